import type { Child } from "hono/jsx";
import { planOf } from "../domain/room-split";
import type { User } from "../http/context";
import type { eventView } from "../http/views";
import { EventAbout } from "./event-about";
import { GaTypeSteppers, type PagePricing, pagePricing, StepButton, TypePrices, VoucherField } from "./event-pricing";
import { NumberInput } from "./fields";
import { eventTime, money } from "./format";
import { Layout } from "./layout";
import { Legend, type MapSection, priceTiers, SectionMap, SectionOverview, SectionShell, tierOf } from "./seat-map";

export type EventView = ReturnType<typeof eventView>;

/** What the event page's script needs (src/client/event.ts parses it with the same field names). */
export interface EventPageData {
  eventId: string;
  currency: string;
  perOrder: number;
  queueActive: boolean;
  queueUrl: string;
  signedIn: boolean;
  signIn: string | null;
  /** Seated sections are drawn only when opened (a big venue): the page fetches their seats. */
  lazy: boolean;
  /** Before on-sale (and after sales end) the map is shown read-only. */
  selling: boolean;
  onSaleAt: string;
  /** The event's split into rooms (src/domain/room-split.ts), null for one room: the live map follows each. */
  rooms: string[][] | null;
  sections: { id: string; name: string; kind: "seated" | "ga"; priceCents: number; available: number }[];
  /** Only for an event with more than one ticket type: the fan picks a type per seat and per standing ticket. */
  pricing?: PagePricing;
}

/** Up to this many seats the whole map is in the first HTML; above it, a section overview first. */
export const FULL_MAP_MAX_SEATS = 600;

export interface EventPageProps {
  event: EventView;
  sections: MapSection[];
  user: User | undefined;
  signIn: string | undefined;
  queueActive: boolean;
}

const STATUS_NOTES: Record<string, string> = {
  paused: "Sales are paused for a moment. Keep this page open: the map stays live.",
  sold_out: "This event is sold out. Seats may come back if holds expire: the map stays live.",
  closed: "Sales for this event have closed.",
  cancelled: "This event has been cancelled.",
};

export function EventPage({ event, sections, user, signIn, queueActive }: EventPageProps) {
  const seated = sections.filter((s) => s.kind === "seated");
  const ga = sections.filter((s) => s.kind === "ga");
  const tiers = priceTiers(sections);
  const lazy = seated.reduce((n, s) => n + s.capacity, 0) > FULL_MAP_MAX_SEATS;
  const selling = event.status === "on_sale" || event.status === "sold_out";
  const pricing = pagePricing(event);
  const data: EventPageData = {
    eventId: event.eventId,
    currency: event.currency,
    perOrder: event.limits.perOrder,
    queueActive,
    queueUrl: `/events/${event.eventId}/queue`,
    signedIn: user !== undefined,
    signIn: signIn ?? null,
    lazy,
    selling,
    onSaleAt: event.onSaleAt,
    rooms: planOf(
      event.rooms,
      sections.map((s) => s.id),
    ),
    sections: sections.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      priceCents: s.priceCents,
      available: s.available,
    })),
    ...(pricing && { pricing }),
  };
  const note =
    event.status === "scheduled"
      ? `Sales open ${eventTime(event.onSaleAt, event.venue.timezone)}.`
      : STATUS_NOTES[event.status];
  return (
    <Layout title={event.title} user={user} signIn={signIn} scripts={["event.js", "waitlist.js"]} data={data}>
      <header class="event-head">
        <p class="eyebrow">{event.category}</p>
        <h1>{event.title}</h1>
        {event.artist && event.artist !== event.title && <p class="artist">{event.artist}</p>}
        <p class="when">
          <time datetime={event.startsAt}>{eventTime(event.startsAt, event.venue.timezone)}</time> · {event.venue.name},{" "}
          {event.venue.city}
        </p>
        {note && (
          <p class="notice" data-event-status={event.status}>
            {note}
          </p>
        )}
        <WaitlistPanel event={event} />
      </header>
      <EventAbout event={event} />

      <div class="event-layout">
        <section class="map-area" aria-labelledby="map-heading">
          <div class="map-head">
            <h2 id="map-heading">Choose your seats</h2>
            <p class="live" id="live-status" data-live="connecting" aria-live="polite">
              Connecting…
            </p>
          </div>
          <Legend tiers={tiers} sections={sections} currency={event.currency} />
          {pricing && <TypePrices pricing={pricing} event={event} />}
          <noscript>
            <p class="notice">Choosing seats needs JavaScript.</p>
          </noscript>
          {seated.length > 0 && (
            <div class="venue" data-lazy={lazy ? "true" : "false"}>
              <div class="stage" aria-hidden="true">
                Stage
              </div>
              {lazy && <SectionOverview sections={seated} currency={event.currency} tiers={tiers} />}
              {lazy && (
                <div class="best" id="best" hidden>
                  <label for="best-count">Seats together</label>
                  <NumberInput id="best-count" min="1" max={String(event.limits.perOrder)} value="2" />
                  <button type="button" id="best-hold" class="primary" disabled={!selling}>
                    Hold best available
                  </button>
                </div>
              )}
              <div class={lazy ? "sections one" : "sections"}>
                {seated.map((section) =>
                  lazy ? (
                    <SectionShell section={section} currency={event.currency} tiers={tiers} />
                  ) : (
                    <SectionMap section={section} currency={event.currency} tiers={tiers} />
                  ),
                )}
              </div>
            </div>
          )}
          {ga.length > 0 && (
            <div class="ga-list">
              <h3>Standing</h3>
              {ga.map((section) => (
                <div class="ga card" data-section-id={section.id}>
                  <div>
                    <h4 id={`ga-${section.id}`}>{section.name}</h4>
                    <p>
                      <span class={`tier-chip tier-${tierOf(tiers, section.priceCents)}`}>
                        {money(section.priceCents, event.currency, { short: true })}
                      </span>{" "}
                      <span class="left" data-left-of={section.id}>
                        {section.available} left
                      </span>
                    </p>
                  </div>
                  {pricing ? (
                    <GaTypeSteppers
                      section={section}
                      pricing={pricing}
                      currency={event.currency}
                      perOrder={event.limits.perOrder}
                    />
                  ) : (
                    <fieldset class="qty">
                      <legend class="visually-hidden">Tickets for {section.name}</legend>
                      <StepButton step={-1} section={section} />
                      <NumberInput
                        min="0"
                        max={String(Math.min(section.available, event.limits.perOrder))}
                        value="0"
                        data-ga-quantity={section.id}
                        aria-label={`Tickets for ${section.name}`}
                      />
                      <StepButton step={1} section={section} />
                    </fieldset>
                  )}
                </div>
              ))}
            </div>
          )}
        </section>

        <aside class="summary card" aria-labelledby="summary-heading" data-selling={selling ? "true" : "false"}>
          <div id="selection-panel">
            <h2 id="summary-heading">Your selection</h2>
            <PanelToggle id="selection-toggle" controls="selection-details" countId="selection-count">
              Nothing selected
            </PanelToggle>
            <div id="selection-details">
              <p id="selection-empty" class="muted">
                Pick seats on the map or a number of standing tickets. Up to {event.limits.perOrder} per order.
              </p>
              <ul id="selection" class="lines" />
              {pricing && <VoucherField />}
            </div>
            <p class="total">
              Total <strong id="total">{money(0, event.currency)}</strong>
            </p>
            <button type="button" id="hold" class="primary wide" disabled>
              Hold
            </button>
            {!selling && note && <p class="muted small">{note}</p>}
            {!user && (
              <p class="muted small" id="sign-in-note">
                {signIn ? (
                  <>
                    <a href={signIn}>Sign in</a> to hold seats.
                  </>
                ) : (
                  "Sign in to hold seats."
                )}
              </p>
            )}
          </div>
          <div id="hold-panel" hidden>
            <h2>Your seats are held</h2>
            <PanelToggle id="held-toggle" controls="held-lines" countId="held-count">
              Your seats
            </PanelToggle>
            <ul id="held-lines" class="lines" />
            <p class="total">
              Total <strong id="held-total" />
            </p>
            <p class="countdown-line">
              Held for <time id="countdown" class="countdown" aria-live="off" />
              <span class="visually-hidden" id="countdown-announce" aria-live="polite" />
            </p>
            <button type="button" id="checkout" class="primary wide">
              Checkout
            </button>
            <button type="button" id="extend-hold" class="link">
              Need more time? Extend the hold
            </button>
            <button type="button" id="release" class="link">
              Release these seats
            </button>
          </div>
          <div id="message" class="message" role="status" aria-live="polite" tabindex={-1} />
          <div id="alternatives" hidden>
            <p id="alternatives-text" />
            <button type="button" id="take-alternatives" class="primary">
              Hold these instead
            </button>
          </div>
        </aside>
      </div>
    </Layout>
  );
}

/** "Join the waitlist" when the event or a section is sold out (src/client/waitlist.ts runs it). */
function WaitlistPanel({ event }: { event: EventView }) {
  const soldOut = event.status === "sold_out" || event.sections.some((s) => s.availability === "sold_out");
  if (!soldOut || event.status === "cancelled" || event.status === "closed") return null;
  return (
    <section class="waitlist" id="waitlist" data-event-id={event.eventId} aria-labelledby="waitlist-heading">
      <h2 id="waitlist-heading">Waitlist</h2>
      <p id="waitlist-status" aria-live="polite">
        Seats that come back go to fans in line first.
      </p>
      <label>
        Tickets{" "}
        <select id="waitlist-quantity">
          {Array.from({ length: event.limits.perOrder }, (_, i) => (
            <option value={String(i + 1)}>{i + 1}</option>
          ))}
        </select>
      </label>{" "}
      <button type="button" id="waitlist-join" class="primary">
        Join the waitlist
      </button>
      <button type="button" id="waitlist-leave" class="link" hidden>
        Leave the waitlist
      </button>
      <div id="waitlist-offer" hidden>
        <p>
          Your offer ends in <time id="waitlist-countdown" class="countdown" />
        </p>
        <button type="button" id="waitlist-claim" class="primary">
          Checkout
        </button>
      </div>
    </section>
  );
}

/** On a phone the summary folds away: this button says what is in it and opens it (src/client/lib/event-ui.ts). */
function PanelToggle({
  id,
  controls,
  countId,
  children,
}: {
  id: string;
  controls: string;
  countId: string;
  children: Child;
}) {
  return (
    <button type="button" id={id} class="secondary toggle" aria-expanded="false" aria-controls={controls}>
      <span id={countId}>{children}</span>
    </button>
  );
}
