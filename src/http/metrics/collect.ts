import { activeEventIds, notificationCounts, paymentCounts, soldBySection } from "../../db/metrics";
import { type HistogramSnapshot, mergeHistograms } from "../../domain/histogram";
import type { DecisionMetricsSnapshot } from "../../rooms/decision-metrics";
import { queueStatus } from "../../waiting-room/status-cache";
import { eventRoomStats } from "../room-split";
import { edgeCounts } from "./edge-counters";
import { Exposition } from "./prometheus";

/** What one active event's room reports; undefined when it did not answer (counted, not fatal). */
interface RoomReport {
  eventId: string;
  stats?: {
    holdsActive: number;
    holdsCreated: number;
    holdsExpired: number;
    holdsReleased: number;
    holdsPurchased: number;
    sold: number;
    held: number;
    available: number;
    capacity: number;
    revenueCents: number;
    waitlist: { offersMade: number; offersClaimed: number; offersExpired: number; waiting: number };
    decisions?: DecisionMetricsSnapshot;
  };
  queue?: { joined: number; admitted: number; waiting: number };
}

async function reportOf(env: Env, ctx: ExecutionContext, eventId: string): Promise<RoomReport> {
  // Inside async functions, so that a room that cannot even be addressed is a failed report, not a throw.
  const [stats, queue] = await Promise.allSettled([
    (async () => eventRoomStats(env, eventId))(),
    (async () => queueStatus(env, ctx, eventId))(),
  ]);
  return {
    eventId,
    stats: stats.status === "fulfilled" && stats.value.ok ? (stats.value.value as RoomReport["stats"]) : undefined,
    queue: queue.status === "fulfilled" && queue.value.ok ? queue.value.value : undefined,
  };
}

/** The rooms' numbers for every active event, side by side. */
export async function roomReports(env: Env, ctx: ExecutionContext, now: number): Promise<RoomReport[]> {
  const ids = await activeEventIds(env.DB, now);
  return Promise.all(ids.map((id) => reportOf(env, ctx, id)));
}

const sum = (reports: RoomReport[], pick: (s: NonNullable<RoomReport["stats"]>) => number) =>
  reports.reduce((n, r) => n + (r.stats ? pick(r.stats) : 0), 0);

/**
 * One scrape: aggregated from the rooms of active events (each the exact single writer of its
 * counts) and D1 (payments, notifications, tickets sold), plus this isolate's edge counts.
 */
export async function collectMetrics(env: Env, ctx: ExecutionContext, now = Date.now()): Promise<string> {
  const reports = await roomReports(env, ctx, now);
  const answered = reports.filter((r) => r.stats);
  const [payments, notifications, sections] = await Promise.all([
    paymentCounts(env.DB),
    notificationCounts(env.DB),
    soldBySection(
      env.DB,
      reports.map((r) => r.eventId),
    ),
  ]);
  const out = new Exposition();

  // ---------------------------------------------------------------- holds (the rooms)
  const results = new Map<string, number>();
  for (const r of answered) {
    for (const [result, n] of Object.entries(r.stats?.decisions?.holds ?? {})) {
      results.set(result, (results.get(result) ?? 0) + n);
    }
  }
  // Holds the edge refused from its copy never reach a room: `edge_<code>` (this isolate's count).
  for (const [code, n] of edgeCounts().holdRefusals) {
    const result = `edge_${code.toLowerCase()}`;
    results.set(result, (results.get(result) ?? 0) + n);
  }
  out.declare(
    "tickets_holds_total",
    "counter",
    "Hold decisions by result: granted, the room's refusal code, or edge_<code> for the edge's refusals.",
  );
  for (const [result, n] of [...results].sort()) {
    out.counter("tickets_holds_total", "", n, { result });
  }
  const latency: HistogramSnapshot = mergeHistograms(
    answered
      .map((r) => r.stats!.decisions!)
      .filter(Boolean)
      .map((d) => d.latency),
  );
  out.histogram(
    "tickets_hold_decision_seconds",
    "Seconds from a hold reaching its room to the room's answer (decision and group commit).",
    latency,
  );
  for (const [reason, pick] of [
    ["expired", (s: NonNullable<RoomReport["stats"]>) => s.holdsExpired],
    ["released", (s: NonNullable<RoomReport["stats"]>) => s.holdsReleased],
    ["purchased", (s: NonNullable<RoomReport["stats"]>) => s.holdsPurchased],
  ] as const) {
    out.counter(
      "tickets_holds_ended_total",
      "Holds that ended, by how (persisted by the rooms).",
      sum(answered, pick),
      {
        reason,
      },
    );
  }
  out.counter(
    "tickets_holds_created_total",
    "Holds created, waitlist offers included (persisted by the rooms).",
    sum(answered, (s) => s.holdsCreated),
  );
  out.gauge(
    "tickets_active_holds",
    "Holds active now, over every active event.",
    sum(answered, (s) => s.holdsActive),
  );
  out.gauge(
    "tickets_sold",
    "Seats and GA places sold, over every active event.",
    sum(answered, (s) => s.sold),
  );
  out.gauge(
    "tickets_available",
    "Seats and GA places on sale now, over every active event.",
    sum(answered, (s) => s.available),
  );
  out.gauge(
    "tickets_revenue_cents",
    "Revenue of the active events, refunds deducted (cents, mixed currencies).",
    sum(answered, (s) => s.revenueCents),
  );
  for (const r of answered) {
    const labels = { event: r.eventId };
    out.gauge(
      "tickets_event_active_holds",
      "Holds active now, per event (the hot partition shows here).",
      r.stats!.holdsActive,
      labels,
    );
    out.gauge("tickets_event_sold", "Sold per event, from its room.", r.stats!.sold, labels);
    out.gauge("tickets_event_capacity", "Capacity per event.", r.stats!.capacity, labels);
  }
  out.declare("tickets_section_sold_tickets", "gauge", "Valid or used tickets per section, from D1.");
  for (const s of sections) {
    out.gauge("tickets_section_sold_tickets", "", s.sold, { event: s.eventId, section: s.sectionId });
  }

  // ---------------------------------------------------------------- waiting room and waitlist
  const queued = reports.filter((r) => r.queue);
  out.gauge(
    "tickets_queue_waiting",
    "Visitors waiting in the waiting rooms of active events.",
    queued.reduce((n, r) => n + r.queue!.waiting, 0),
  );
  out.counter(
    "tickets_queue_joins_total",
    "Visitors who joined a waiting room.",
    queued.reduce((n, r) => n + r.queue!.joined, 0),
  );
  out.counter(
    "tickets_queue_admitted_total",
    "Visitors admitted from a waiting room.",
    queued.reduce((n, r) => n + r.queue!.admitted, 0),
  );
  out.counter(
    "tickets_waitlist_offers_total",
    "Returned seats offered to the waitlist.",
    sum(answered, (s) => s.waitlist.offersMade),
  );
  out.gauge(
    "tickets_waitlist_waiting",
    "Fans on the waitlists of active events.",
    sum(answered, (s) => s.waitlist.waiting),
  );

  // ---------------------------------------------------------------- payments and notifications (D1)
  for (const result of ["succeeded", "failed", "refunded"] as const) {
    out.counter(
      "tickets_payments_total",
      "Orders by payment outcome (failed: declined at least once).",
      payments[result],
      { result },
    );
  }
  out.declare(
    "tickets_notifications_total",
    "counter",
    "Notifications by kind and final outcome (sent, skipped, dead).",
  );
  out.declare("tickets_notifications_pending", "gauge", "Notifications not yet sent (queued or sending), by kind.");
  const pending = new Map<string, number>();
  for (const n of notifications) {
    if (n.status === "queued" || n.status === "sending") pending.set(n.kind, (pending.get(n.kind) ?? 0) + n.count);
    else out.counter("tickets_notifications_total", "", n.count, { kind: n.kind, outcome: n.status });
  }
  for (const [kind, n] of pending) out.gauge("tickets_notifications_pending", "", n, { kind });

  // ---------------------------------------------------------------- scrape health and the edge
  out.gauge("tickets_rooms_scraped", "Active events' rooms asked in this scrape.", reports.length);
  out.gauge(
    "tickets_rooms_unavailable",
    "Active events' rooms that did not answer this scrape.",
    reports.length - answered.length,
  );
  const edge = edgeCounts();
  out.declare("tickets_edge_requests_total", "counter", "This isolate's requests by route class and status.");
  for (const [key, n] of [...edge.requests].sort()) {
    const [routeClass = "", status = ""] = key.split(" ");
    out.counter("tickets_edge_requests_total", "", n, { class: routeClass, status });
  }
  out.declare(
    "tickets_edge_refusals_total",
    "counter",
    "This isolate's error answers by code (RATE_LIMITED, CHALLENGE_REQUIRED...).",
  );
  for (const [code, n] of [...edge.refusals].sort()) out.counter("tickets_edge_refusals_total", "", n, { code });
  out.declare("tickets_edge_cache_total", "counter", "This isolate's cached reads by result (x-cache: hit, miss...).");
  for (const [result, n] of [...edge.cache].sort()) out.counter("tickets_edge_cache_total", "", n, { result });
  return out.text();
}
