import { and, count, eq, inArray, sum } from "drizzle-orm";
import { roomFor } from "../bindings";
import type { OrderRow } from "../db/orders";
import { events, orders } from "../db/schema";
import { enqueue } from "../notify/enqueue";
import { stopPayment } from "./cancel";
import { type Deps, refundOrder } from "./refunds";

/** Orders of a cancelled event still to be worked through: unpaid ones to stop, sold ones to refund. */
const OPEN: OrderRow["status"][] = ["pending", "confirmed", "partially_refunded"];

/** How many orders one pass refunds at once: Stripe allows ~100 requests per second per account. */
const PARALLEL = 8;

/**
 * Works through a cancelled event's orders, at most `budget` of them per call: every sold order is
 * refunded in full (idempotent refunds through Stripe; its tickets void, its seats back), every
 * unpaid one is cancelled with its PaymentIntent (a payment that still arrives is refunded by the
 * webhook, since the room no longer sells). Called once when the event is cancelled and then by
 * the cron until nothing is left, so an event with 50,000 orders finishes however long it takes.
 * Returns how many orders it settled.
 */
export async function workThroughCancelledEvent(deps: Deps, eventId: string, budget: number): Promise<number> {
  let settled = 0;
  while (settled < budget) {
    const batch = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.eventId, eventId), inArray(orders.status, OPEN)))
      .orderBy(orders.createdAt)
      .limit(Math.min(PARALLEL * 4, budget - settled));
    if (batch.length === 0) break;
    for (let i = 0; i < batch.length; i += PARALLEL) {
      const results = await Promise.allSettled(batch.slice(i, i + PARALLEL).map((order) => settleOne(deps, order)));
      for (const result of results) {
        if (result.status === "rejected") {
          deps.log("warn", "an order of a cancelled event could not be settled yet; the cron will retry", {
            eventId,
            error: result.reason instanceof Error ? result.reason.message : String(result.reason),
          });
          return settled;
        }
      }
    }
    settled += batch.length;
  }
  return settled;
}

async function settleOne(deps: Deps, order: OrderRow): Promise<void> {
  if (order.status === "pending") {
    await stopPayment(deps, order, "cancelled");
    const undone = await roomFor(deps.env, order.eventId).undo(order.holdId);
    if (!undone.ok && undone.error.code !== "NOT_FOUND") throw new Error(`could not return hold ${order.holdId}`);
    return;
  }
  // The buyer hears once, that the event was cancelled and what was refunded.
  const result = await refundOrder(deps, order, undefined, { notify: false });
  if (!result.ok) throw new Error(result.message);
  await enqueue(
    deps.env,
    {
      kind: "event_cancelled",
      eventId: order.eventId,
      userId: order.userId,
      orderId: order.id,
      refundedCents: result.order.refundedCents,
    },
    deps.log,
  );
}

/** Cancelled events that still have orders to work through (for the cron). */
export async function cancelledEventsWithOpenOrders(deps: Deps, limit: number): Promise<string[]> {
  const rows = await deps.db
    .selectDistinct({ eventId: orders.eventId })
    .from(orders)
    .innerJoin(events, eq(events.id, orders.eventId))
    .where(and(eq(events.state, "cancelled"), inArray(orders.status, OPEN)))
    .limit(limit);
  return rows.map((r) => r.eventId);
}

/** A cancelled event's refund progress, for the organizer's stats. */
export async function cancellationProgress(deps: Pick<Deps, "db">, eventId: string) {
  const rows = await deps.db
    .select({ status: orders.status, orders: count(), refundedCents: sum(orders.refundedCents) })
    .from(orders)
    .where(eq(orders.eventId, eventId))
    .groupBy(orders.status);
  const of = (status: OrderRow["status"]) => rows.find((r) => r.status === status);
  const toRefund = (of("confirmed")?.orders ?? 0) + (of("partially_refunded")?.orders ?? 0);
  const pending = of("pending")?.orders ?? 0;
  return {
    done: toRefund + pending === 0,
    ordersRefunded: of("refunded")?.orders ?? 0,
    ordersToRefund: toRefund,
    paymentsToCancel: pending,
    refundedCents: rows.reduce((n, r) => n + Number(r.refundedCents ?? 0), 0),
  };
}
