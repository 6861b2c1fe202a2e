import { z } from "zod";
import { Cents, Currency, Time } from "./primitives";

/** `GET /admin/events/:eventId/stats`: an event's live numbers, its organizer's dashboard. No platform imports. */
const count = z.number().int();
export const EventStats = z.object({
  eventId: z.string(),
  sold: count,
  held: count,
  available: count,
  capacity: count,
  revenueCents: Cents,
  currency: Currency,
  holdsActive: count,
  holdsCreated: count,
  holdsExpired: count,
  holdsReleased: count,
  holdsPurchased: count,
  conversion: z.number(),
  /** Holds granted in the last minute, as counted by the rooms (from zero again after a room restarts). */
  holdsLastMinute: count,
  /** Orders paid, and orders with a declined payment (a decline stays counted if a later try succeeds). */
  payments: z.object({ succeeded: count, failed: count }),
  /** Per section, in the venue's order: tickets sold, held, left to sell, and the capacity. */
  sections: z.array(
    z.object({ sectionId: z.string(), name: z.string(), capacity: count, available: count, held: count, sold: count }),
  ),
  queueLength: count,
  admitted: count,
  queue: z.object({
    mode: z.enum(["off", "always", "auto"]),
    active: z.boolean(),
    joined: count,
    waiting: count,
    admitted: count,
    admitPerMinute: count,
    /** Admissions in the last minute, as measured by the queue. */
    admittedLastMinute: z.number(),
    activeShoppers: count,
  }),
  sales: z.object({
    bucketSeconds: z.number(),
    points: z.array(z.object({ at: Time, orders: count, tickets: count, revenueCents: Cents })),
  }),
  /** The room's waitlist: fans waiting (per line: a section id, or `*` for any section) and its offers. */
  waitlist: z.object({
    waiting: count,
    lengths: z.record(z.string(), count),
    joined: count,
    offersMade: count,
    offersClaimed: count,
    offersExpired: count,
    left: count,
  }),
  /** Notifications about this event (src/notify): sent, waiting in the queue, retries, no address, dead-lettered. */
  notifications: z.object({ sent: count, queued: count, retried: count, skipped: count, deadLettered: count }),
  /** Only for a cancelled event: how far its refunds (worked through in the background) have come. */
  cancellation: z
    .object({
      done: z.boolean(),
      ordersRefunded: count,
      ordersToRefund: count,
      paymentsToCancel: count,
      refundedCents: Cents,
      /** Orders refunded so far (same as `ordersRefunded`). */
      refunded: count,
      /** Refunds that failed, with Stripe's reason: retried with backoff, or dead-lettered (`retrying: false`). */
      failed: z.array(z.object({ orderId: z.string(), reason: z.string(), retrying: z.boolean() })),
    })
    .optional(),
  version: count,
  at: Time,
});
