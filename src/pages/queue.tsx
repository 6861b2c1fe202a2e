import type { User } from "../http/context";
import type { EventView } from "./event";
import { eventTime } from "./format";
import { Layout } from "./layout";

export interface QueuePageData {
  eventId: string;
}

/**
 * The waiting room. The script (src/client/queue.ts) joins, polls no faster than the server's
 * `pollAfterSeconds`, and on admission goes on to the event page with the access token.
 */
export function QueuePage({
  event,
  user,
  signIn,
}: {
  event: EventView;
  user: User | undefined;
  signIn: string | undefined;
}) {
  const data: QueuePageData = { eventId: event.eventId };
  return (
    <Layout title={`Waiting room · ${event.title}`} user={user} signIn={signIn} scripts={["queue.js"]} data={data}>
      <section class="queue card narrow" id="queue" data-queue-state="joining" aria-labelledby="queue-heading">
        <p class="eyebrow">Waiting room</p>
        <h1 id="queue-heading">{event.title}</h1>
        <p class="when">
          {eventTime(event.startsAt, event.venue.timezone)} · {event.venue.name}, {event.venue.city}
        </p>
        <p id="queue-status" class="queue-status" role="status" aria-live="polite">
          Joining the line…
        </p>
        <dl class="queue-stats">
          <div>
            <dt>Your place in line</dt>
            <dd id="position">—</dd>
          </div>
          <div>
            <dt>People ahead of you</dt>
            <dd id="ahead">—</dd>
          </div>
          <div>
            <dt>Estimated wait</dt>
            <dd id="eta">—</dd>
          </div>
        </dl>
        <progress id="queue-progress" max="100" value="0" aria-label="Your progress through the line">
          0%
        </progress>
        <p class="muted">
          Keep this tab open: when it is your turn you go on to the seat map by yourself, and you then have{" "}
          {event.waitingRoom.accessMinutes} minutes to hold seats. Reloading keeps your place.
        </p>
        <p id="queue-rejoin-box" hidden>
          <button type="button" id="queue-rejoin" class="primary">
            Join the line again
          </button>
        </p>
        <p id="queue-actions" hidden>
          <a class="button" id="queue-continue" href={`/events/${event.eventId}`}>
            Continue to the seat map
          </a>
        </p>
      </section>
    </Layout>
  );
}
