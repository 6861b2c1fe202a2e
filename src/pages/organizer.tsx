import type { AlertRule, FiringAlert } from "../http/alerts/rules";
import type { User } from "../http/context";
import type { eventStats } from "../http/event-stats";
import { salesChart } from "./chart";
import { SECTION_COLUMNS, sectionRows, statItems } from "./dashboard-numbers";
import type { EventView } from "./event";
import { clockTime, eventTime } from "./format";
import { Layout } from "./layout";
import { actionsFor, stateWord } from "./organizer-actions";
import type { OrganizerOrder, OrganizerVenue } from "./organizer-data";
import { CreateEventForm, OrdersList } from "./organizer-parts";

export type EventStats = Awaited<ReturnType<typeof eventStats>>;

export interface OrganizerEvent {
  event: EventView;
  orders: OrganizerOrder[];
  /** draft | published | paused | cancelled: what the organizer controls. */
  state: string;
  stats: EventStats | undefined;
}

export interface OrganizerPageData {
  /** Events whose numbers the page refreshes (those it drew numbers for). */
  eventIds: string[];
  pollSeconds: number;
}

export function SalesChart({ stats, now }: { stats: EventStats; now: number }) {
  const { g, label } = salesChart(stats, now);
  return (
    <svg
      class="chart"
      data-chart
      data-total={g.total}
      viewBox={`0 0 ${g.width} ${g.height}`}
      width={g.width}
      height={g.height}
      role="img"
      aria-label={label}
    >
      <line class="axis" x1={g.plot.left} y1={g.plot.bottom} x2={g.plot.right} y2={g.plot.bottom} />
      <line class="axis" x1={g.plot.left} y1={g.plot.top} x2={g.plot.left} y2={g.plot.bottom} />
      {g.yTicks.map((t) => (
        <text class="tick" x={g.plot.left - 6} y={t.y + 4} text-anchor="end">
          {t.value}
        </text>
      ))}
      {g.xTicks.map((t, i) => (
        <text class="tick" x={t.x} y={g.height - 10} text-anchor={i === 0 ? "start" : i === 3 ? "end" : "middle"}>
          {clockTime(t.at, undefined, g.tickSeconds)}
        </text>
      ))}
      {g.bars.map((b) => (
        <rect class="bar" data-point x={b.x} y={b.y} width={b.width} height={b.height}>
          <title>{`${clockTime(b.at)}: ${b.tickets} tickets`}</title>
        </rect>
      ))}
      <path class="running" d={g.line} />
    </svg>
  );
}

export function StatsList({ stats }: { stats: EventStats | undefined }) {
  return (
    <dl class="stats">
      {statItems(stats).map((item) => (
        <div>
          <dt>{item.label}</dt>
          <dd data-stat={item.name}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Sold, held and left per section (src/client/organizer.ts redraws the cells on each poll). */
export function SectionTable({ eventId, stats }: { eventId: string; stats: EventStats }) {
  return (
    <table class="section-stats" data-sections-for={eventId}>
      <caption>By section</caption>
      <thead>
        <tr>
          <th scope="col">Section</th>
          {SECTION_COLUMNS.map(([, label]) => (
            <th scope="col">{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sectionRows(stats).map((row) => (
          <tr data-section={row.sectionId}>
            <th scope="row">{row.name}</th>
            {row.cells.map((cell) => (
              <td data-col={cell.key}>{cell.value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The buttons for an event's next step (src/client/organizer.ts redraws them on a change). */
export function Actions({ eventId, state, status }: { eventId: string; state: string; status: string }) {
  return (
    <div class="actions" data-actions-for={eventId}>
      {actionsFor(state, status).map((next) => (
        <button type="button" class={next.kind} data-action={next.action} data-event-id={eventId}>
          {next.label}
        </button>
      ))}
    </div>
  );
}

/** What an organizer (not an admin) reads of a platform alert: no other organizer's event ids. */
const ALERT_SENTENCES: Record<AlertRule, string> = {
  payment_failure_rate: "More payments than usual are being declined.",
  webhook_signature_failures: "Payment confirmations are failing their signature check.",
  dead_lettered_mail: "Some notifications could not be delivered.",
  room_unavailable: "An event's live inventory is overloaded or not answering.",
  stripe_error_rate: "The payment provider is answering with errors.",
  books_mismatch: "An event's sales records disagree (seats, tickets or refunds); the platform team is checking.",
};

/** The alert rules firing at the last scheduled evaluation (src/http/alerts/rules.ts). */
export function AlertBanner({ alerts, admin }: { alerts: FiringAlert[]; admin: boolean }) {
  if (alerts.length === 0) return null;
  return (
    <section class="alert-banner" role="alert" aria-label="Alerts">
      <strong>Alerts</strong>
      <ul>
        {alerts.map((a) => (
          <li data-alert-rule={a.rule}>{admin ? a.summary : (ALERT_SENTENCES[a.rule] ?? a.rule)}</li>
        ))}
      </ul>
    </section>
  );
}

export function OrganizerPage({
  user,
  events,
  venues,
  now,
  alerts = [],
}: {
  user: User;
  events: OrganizerEvent[];
  venues: OrganizerVenue[];
  now: number;
  alerts?: FiringAlert[];
}) {
  const data: OrganizerPageData = {
    eventIds: events.filter((e) => e.stats !== undefined).map((e) => e.event.eventId),
    pollSeconds: 3,
  };
  return (
    <Layout title="Organizer" user={user} scripts={["organizer.js"]} data={data}>
      <AlertBanner alerts={alerts} admin={user.roles.includes("admin")} />
      <section class="hero">
        <h1>Your events</h1>
        <p>
          Live numbers, refreshed every few seconds. <span id="org-updated" class="muted" aria-live="off" />
        </p>
      </section>
      <CreateEventForm venues={venues} />
      {events.length === 0 && <p class="empty">No events yet.</p>}
      <div class="org-events">
        {events.map(({ event, state, stats, orders }) => (
          <article class="org-event card" data-event-id={event.eventId} aria-labelledby={`t-${event.eventId}`}>
            <header>
              <div>
                <h2 id={`t-${event.eventId}`}>
                  <a href={`/events/${event.eventId}`}>{event.title}</a>
                </h2>
                <p class="when">
                  {eventTime(event.startsAt, event.venue.timezone)} · {event.venue.name}, {event.venue.city}
                </p>
              </div>
              <span class="badge" data-state={state} data-org-state={event.eventId} role="status">
                {stateWord(state)}
              </span>
            </header>
            <div class="org-body">
              <div data-stats-for={event.eventId}>
                <StatsList stats={stats} />
                {stats && <SectionTable eventId={event.eventId} stats={stats} />}
              </div>
              <figure class="chart-box">
                <figcaption>Tickets sold over time (your time zone)</figcaption>
                <div data-chart-for={event.eventId}>{stats && <SalesChart stats={stats} now={now} />}</div>
                <ul class="chart-legend">
                  <li>
                    <span class="key key-bar" aria-hidden="true" /> Tickets sold in each interval
                  </li>
                  <li>
                    <span class="key key-line" aria-hidden="true" /> Running total
                  </li>
                </ul>
              </figure>
            </div>
            <Actions eventId={event.eventId} state={state} status={event.status} />
            <OrdersList orders={orders} sectionName={(id) => event.sections.find((s) => s.id === id)?.name} />
            <p class="message" data-message-for={event.eventId} role="status" aria-live="polite" tabindex={-1} />
          </article>
        ))}
      </div>
    </Layout>
  );
}
