import type { EventView } from "./event";
import { clockTime, eventTime } from "./format";

/** A description as paragraphs: blank lines part them; JSX escapes the text, so no markup gets through. */
export const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/**
 * What a fan reads before choosing seats: the image (with its alt text), doors and end, the age
 * rule, the venue's address with a map link, and the description.
 */
export function EventAbout({ event }: { event: EventView }) {
  const { venue } = event;
  const zone = venue.timezone;
  const facts = [
    event.doorsAt && { label: "Doors", value: clockTime(Date.parse(event.doorsAt), zone), at: event.doorsAt },
    event.endsAt && { label: "Ends", value: eventTime(event.endsAt, zone), at: event.endsAt },
  ].filter((f) => !!f);
  const hasPlace = venue.address || venue.mapUrl;
  if (!event.imageUrl && !event.description && !facts.length && !event.ageRule && !hasPlace) return null;
  return (
    <section class="event-about" aria-label="About this event">
      {event.imageUrl && (
        <img class="event-image" src={event.imageUrl} alt={`${event.title} at ${venue.name}`} decoding="async" />
      )}
      <div>
        {(facts.length > 0 || event.ageRule) && (
          <dl class="event-facts">
            {facts.map((f) => (
              <>
                <dt>{f.label}</dt>
                <dd>
                  <time datetime={f.at}>{f.value}</time>
                </dd>
              </>
            ))}
            {event.ageRule && (
              <>
                <dt>Age</dt>
                <dd data-age-rule>{event.ageRule}</dd>
              </>
            )}
          </dl>
        )}
        {hasPlace && (
          <p class="venue-place">
            {venue.address && <span>{venue.address}</span>}{" "}
            {venue.mapUrl && (
              <a href={venue.mapUrl} rel="noopener noreferrer" target="_blank">
                Map of {venue.name} (opens in a new tab)
              </a>
            )}
          </p>
        )}
        {event.description && (
          <div class="event-description" data-event-description>
            {paragraphsOf(event.description).map((p) => (
              <p>{p}</p>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
