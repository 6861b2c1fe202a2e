import type { Database } from "../db/client";
import type { EventBundle } from "../db/events";
import { paymentCounts } from "../db/metrics";
import { salesOverTime } from "../db/sales";
import { countsForEvent } from "../notify/store";
import { cancellationProgress } from "../payments/cancel-event";
import { queueStatus } from "../waiting-room/status-cache";
import { unwrap } from "./errors";
import { eventRoomStats } from "./room-split";
import { eventView } from "./views";

/**
 * An event's numbers for its organizer: the room's live inventory counts, the waiting room's
 * length and admission rate (the status document the edge caches for a second), and sales over
 * time from the confirmed orders in D1. Shared by the stats route and the organizer page.
 */
export async function eventStats(env: Env, ctx: ExecutionContext, db: Database, bundle: EventBundle, now: number) {
  const eventId = bundle.event.id;
  const configured = bundle.event.state !== "draft";
  const [inventory, queue, sales, cancellation, notifications, payments] = await Promise.all([
    configured ? eventRoomStats(env, eventId) : undefined,
    configured && bundle.event.waitingRoomMode !== "off"
      ? queueStatus(env, ctx, eventId).then((r) => (r.ok ? r.value : undefined))
      : undefined,
    salesOverTime(db, eventId, now),
    bundle.event.state === "cancelled" ? cancellationProgress({ db }, eventId) : undefined,
    countsForEvent(db, eventId),
    paymentCounts(env.DB, 0, eventId),
  ]);
  const live = inventory ? unwrap(inventory) : undefined;
  const capacity = eventView(bundle, now).sections.reduce((n, s) => n + s.capacity, 0);
  const sold = live?.sold ?? 0;
  const created = live?.holdsCreated ?? 0;
  return {
    eventId,
    sold,
    held: live?.held ?? 0,
    available: live?.available ?? capacity,
    capacity,
    revenueCents: live?.revenueCents ?? 0,
    currency: bundle.event.currency,
    holdsActive: live?.holdsActive ?? 0,
    holdsCreated: created,
    holdsExpired: live?.holdsExpired ?? 0,
    holdsReleased: live?.holdsReleased ?? 0,
    holdsPurchased: live?.holdsPurchased ?? 0,
    conversion: created === 0 ? 0 : (live?.holdsPurchased ?? 0) / created,
    holdsLastMinute: live?.holdsLastMinute ?? 0,
    /** Orders paid, and orders with a declined payment (a later success keeps the decline counted). */
    payments: { succeeded: payments.succeeded, failed: payments.failed },
    /** Per section, in the venue's order: sold, held, left to sell, capacity. */
    sections:
      live?.sections.map(({ sectionId, name, capacity, available, held, sold }) => ({
        sectionId,
        name,
        capacity,
        available,
        held,
        sold,
      })) ??
      eventView(bundle, now).sections.map((s) => ({
        sectionId: s.id,
        name: s.name,
        capacity: s.capacity,
        available: s.capacity,
        held: 0,
        sold: 0,
      })),
    queueLength: queue?.waiting ?? 0,
    admitted: queue?.admitted ?? 0,
    queue: {
      mode: bundle.event.waitingRoomMode,
      active: queue?.active ?? false,
      joined: queue?.joined ?? 0,
      waiting: queue?.waiting ?? 0,
      admitted: queue?.admitted ?? 0,
      admitPerMinute: queue?.admitPerMinute ?? bundle.event.admitPerMinute,
      /** Admissions in the last minute, as measured by the room. */
      admittedLastMinute: queue?.measuredPerMinute ?? 0,
      activeShoppers: queue?.activeShoppers ?? 0,
    },
    sales: {
      bucketSeconds: sales.bucketMs / 1000,
      points: sales.points.map((p) => ({ ...p, at: new Date(p.at).toISOString() })),
    },
    /** The room's waitlist: waiting per line (section id, `*` = any section), offers made / claimed / expired. */
    waitlist: live?.waitlist ?? {
      waiting: 0,
      lengths: {},
      joined: 0,
      offersMade: 0,
      offersClaimed: 0,
      offersExpired: 0,
      left: 0,
    },
    /** Notifications about this event: sent, waiting, retried, skipped (no address), dead-lettered. */
    notifications,
    /** A cancelled event's refunds, worked through in the background. */
    ...(cancellation && { cancellation }),
    version: live?.version ?? 0,
    at: new Date(now).toISOString(),
  };
}
