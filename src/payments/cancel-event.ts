import { and, count, eq, inArray, isNotNull, isNull, lte, or, sum } from "drizzle-orm";
import type { OrderRow } from "../db/orders";
import { events, orders } from "../db/schema";
import { enqueue } from "../notify/enqueue";
import { undoHold } from "../user-ledger/steps";
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
  let tried = 0;
  // Orders set aside during this pass are due only after it (their retry time is later than this).
  const startedAt = Date.now();
  while (tried < budget) {
    const batch = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.eventId, eventId), inArray(orders.status, OPEN), due(startedAt)))
      .orderBy(orders.createdAt)
      .limit(Math.min(PARALLEL * 4, budget - tried));
    if (batch.length === 0) break;
    tried += batch.length;
    for (let i = 0; i < batch.length; i += PARALLEL) {
      const part = batch.slice(i, i + PARALLEL);
      const results = await Promise.allSettled(part.map((order) => settleOne(deps, order)));
      // A refusal sets that order aside (retried later, or for good) and the rest go on: one
      // disputed charge never holds up everyone else's refund.
      for (const [j, result] of results.entries()) {
        if (result.status === "fulfilled") settled++;
        else await setAside(deps, part[j]!, result.reason, Date.now());
      }
    }
  }
  return settled;
}

/** Open orders whose refund is due: never tried, or its backoff is over. A dead-lettered one never is. */
const due = (now: number) => or(isNull(orders.refundRetryAt), lte(orders.refundRetryAt, now));

/** Tries after which a refund that keeps failing is dead-lettered for the organizer. */
const MAX_ATTEMPTS = 6;
/** Never again (until an operator clears it): the dead letter. */
const NEVER = Number.MAX_SAFE_INTEGER;

/** Stripe refused for good (a 4xx other than a rate limit: disputed, already refunded elsewhere...). */
function refusedForGood(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 429 && status !== 409;
}

async function setAside(deps: Deps, order: OrderRow, error: unknown, now: number): Promise<void> {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  const attempts = order.refundAttempts + 1;
  const dead = refusedForGood(error) || attempts >= MAX_ATTEMPTS;
  // The first retry is the next pass (the cron, a minute on); then 30 s, 1, 2, 4 min... capped at 30.
  const backoff = attempts === 1 ? 1 : Math.min(30_000 * 2 ** (attempts - 2), 30 * 60_000);
  const retryAt = dead ? NEVER : now + backoff;
  await deps.db
    .update(orders)
    .set({ refundFailure: reason, refundAttempts: attempts, refundRetryAt: retryAt })
    .where(eq(orders.id, order.id));
  deps.log(
    dead ? "error" : "warn",
    dead
      ? "a cancelled event's refund was refused; dead-lettered"
      : "a cancelled event's refund failed; it will be retried",
    {
      eventId: order.eventId,
      orderId: order.id,
      attempts,
      reason,
    },
  );
}

async function settleOne(deps: Deps, order: OrderRow): Promise<void> {
  if (order.status === "pending") {
    await stopPayment(deps, order, "cancelled");
    const undone = await undoHold(deps.env, order.eventId, order.holdId, order.userId);
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
    .where(and(eq(events.state, "cancelled"), inArray(orders.status, OPEN), due(Date.now())))
    .limit(limit);
  return rows.map((r) => r.eventId);
}

/** A cancelled event's refund progress, for the organizer's stats, with the refunds that failed and why. */
export async function cancellationProgress(deps: Pick<Deps, "db">, eventId: string) {
  const [rows, failures] = await deps.db.batch([
    deps.db
      .select({ status: orders.status, orders: count(), refundedCents: sum(orders.refundedCents) })
      .from(orders)
      .where(eq(orders.eventId, eventId))
      .groupBy(orders.status),
    deps.db
      .select({ orderId: orders.id, reason: orders.refundFailure, retryAt: orders.refundRetryAt })
      .from(orders)
      .where(and(eq(orders.eventId, eventId), inArray(orders.status, OPEN), isNotNull(orders.refundFailure)))
      .orderBy(orders.createdAt)
      .limit(100),
  ]);
  const of = (status: OrderRow["status"]) => rows.find((r) => r.status === status);
  const toRefund = (of("confirmed")?.orders ?? 0) + (of("partially_refunded")?.orders ?? 0);
  const pending = of("pending")?.orders ?? 0;
  const refunded = of("refunded")?.orders ?? 0;
  return {
    done: toRefund + pending === 0,
    ordersRefunded: refunded,
    refunded,
    ordersToRefund: toRefund,
    paymentsToCancel: pending,
    refundedCents: rows.reduce((n, r) => n + Number(r.refundedCents ?? 0), 0),
    /** Refunds that failed: `retrying` until their backoff ends, else dead-lettered for the organizer. */
    failed: failures.map((f) => ({ orderId: f.orderId, reason: f.reason ?? "", retrying: f.retryAt !== NEVER })),
  };
}
