import { roomOfHold } from "../bindings";
import {
  findOrder,
  findOrderByIntent,
  isProcessed,
  markDeclined,
  markProcessed,
  type OrderRow,
  recordRefunded,
  type Statement,
  setPaymentStatus,
  transitionOrder,
} from "../db/orders";
import { enqueue, enqueueAfter } from "../notify/enqueue";
import { sellHold, undoHold } from "../user-ledger/steps";
import { confirmation } from "./issue";
import { refundFailedAtStripe } from "./refund-failed";
import { type Deps, fullRefundStatements, gatewayOf } from "./refunds";
import type { WebhookEvent } from "./webhook";

export type { Deps } from "./refunds";

/**
 * Turns verified Stripe events into orders, tickets and refunds. Stripe delivers at least once,
 * in any order: every step is idempotent (the room's sale and undo, guarded status transitions,
 * deterministic ids, INSERT OR IGNORE, Stripe idempotency keys), and everything D1 learns from one
 * event commits in one batch together with the event's "processed" mark. Anything that fails
 * before that batch throws, the webhook answers 5xx, and Stripe's retry finishes the job.
 * Money is never kept without an order: a payment that cannot become one is refunded.
 */

export type Outcome =
  | "duplicate"
  | "ignored"
  | "unknown_payment"
  | "unchanged"
  | "amount_mismatch"
  | "confirmed"
  | "refunded_unfulfillable"
  | "declined"
  | "refunded"
  | "partially_refunded"
  | "refund_reissued";

export async function handleEvent(
  deps: Deps,
  event: WebhookEvent | { id: string; type: string; ignored: true },
): Promise<Outcome> {
  if (await isProcessed(deps.db, event.id)) return "duplicate";
  if ("ignored" in event) return settle(deps, event, [], "ignored");
  switch (event.type) {
    case "payment_intent.succeeded":
      return paymentSucceeded(deps, event, event.data.object);
    case "payment_intent.payment_failed":
      return paymentFailed(deps, event);
    case "charge.refunded": {
      const charge = event.data.object;
      if (!charge.payment_intent) return settle(deps, event, [], "unchanged");
      return refundedAtStripe(deps, event, charge.payment_intent, charge.amount_refunded);
    }
    case "refund.failed":
      return settle(deps, event, [], await refundFailedAtStripe(deps, event.data.object));
    case "refund.updated": {
      const refund = event.data.object;
      if (refund.status === "failed" || refund.status === "canceled") {
        return settle(deps, event, [], await refundFailedAtStripe(deps, refund));
      }
      if (refund.status !== "succeeded" || !refund.payment_intent) return settle(deps, event, [], "unchanged");
      // A refund event carries its own amount, not the total: ask Stripe for the charge's.
      const total = deps.gateway?.simulated
        ? undefined
        : (await gatewayOf(deps).retrieve(refund.payment_intent))?.amountRefunded;
      return refundedAtStripe(deps, event, refund.payment_intent, total ?? refund.amount);
    }
  }
}

async function settle(deps: Deps, event: Trigger, statements: Statement[], outcome: Outcome) {
  await deps.db.batch([markProcessed(deps.db, event.id, event.type), ...statements]);
  return outcome;
}

async function orderOf(deps: Deps, intent: { id: string; metadata?: Record<string, string> }) {
  const byIntent = await findOrderByIntent(deps.db, intent.id);
  if (byIntent) return byIntent;
  const orderId = intent.metadata?.orderId;
  const order = orderId ? await findOrder(deps.db, orderId) : undefined;
  return order && (order.paymentIntentId === null || order.paymentIntentId === intent.id) ? order : undefined;
}

type Failed = Extract<WebhookEvent, { type: "payment_intent.payment_failed" }>;
export interface PaidIntent {
  id: string;
  amount: number;
  currency: string;
  metadata?: Record<string, string>;
}

/** The room refuses these for good: the money goes back. */
const UNFULFILLABLE = ["SEATS_UNAVAILABLE", "HOLD_NOT_ACTIVE", "NOT_FOUND", "LIMIT_EXCEEDED", "NOT_ON_SALE"];

/**
 * What settles a payment, recorded once as processed (so a replay changes nothing): a verified Stripe
 * event, or the reconciliation cron's mark for one PaymentIntent (`reconcileTrigger`).
 */
export type Trigger = { id: string; type: string };

/** The reconciliation cron's trigger for a PaymentIntent Stripe says succeeded: one per intent. */
export const reconcileTrigger = (paymentIntentId: string): Trigger => ({
  id: `evt_reconcile_${paymentIntentId}`,
  type: "reconcile",
});

/** Also used by reconciliation, with Stripe's own record of the PaymentIntent. */
export async function paymentSucceeded(deps: Deps, event: Trigger, paid: PaidIntent): Promise<Outcome> {
  let intent = paid;
  let order = await orderOf(deps, intent);
  const mismatched = (o: OrderRow, i: PaidIntent) =>
    i.amount !== o.totalCents || i.currency.toUpperCase() !== o.currency;
  if (!order || mismatched(order, intent)) {
    // Before giving money back or keeping it, ask Stripe what was really paid: a signed event
    // that Stripe does not confirm changes nothing.
    const record = deps.gateway?.simulated ? intent : await gatewayOf(deps).retrieve(intent.id);
    if (!record || ("status" in record && record.status !== "succeeded")) {
      deps.log("warn", "a payment event that Stripe does not confirm; ignored", { paymentIntentId: intent.id });
      return settle(deps, event, [], "unchanged");
    }
    if (record !== intent) {
      intent = { ...intent, amount: record.amount, currency: record.currency };
      order ??= await orderOf(deps, {
        id: intent.id,
        metadata: (record as { metadata?: Record<string, string> }).metadata,
      });
    }
  }
  if (!order) {
    await gatewayOf(deps).refund({ paymentIntentId: intent.id, idempotencyKey: `refund-orphan-${intent.id}` });
    deps.log("warn", "payment for no known order; refunded", { paymentIntentId: intent.id, stripeEventId: event.id });
    return settle(deps, event, [], "unknown_payment");
  }
  if (mismatched(order, intent)) {
    await gatewayOf(deps).refund({ paymentIntentId: intent.id, idempotencyKey: `refund-mismatch-${intent.id}` });
    deps.log("error", "payment amount does not match its order; refunded", {
      orderId: order.id,
      paymentIntentId: intent.id,
      expected: `${order.totalCents} ${order.currency}`,
      received: `${intent.amount} ${intent.currency.toUpperCase()}`,
    });
    // The order's own PaymentIntent is spent: the order fails and its hold goes (the room's undo).
    const own = order.paymentIntentId === intent.id;
    if (own) await undoHold(deps.env, order.eventId, order.holdId, order.userId);
    return settle(
      deps,
      event,
      [
        setPaymentStatus(deps.db, intent.id, "refunded_mismatch"),
        ...(own ? [transitionOrder(deps.db, order.id, "failed", ["pending"])] : []),
      ],
      "amount_mismatch",
    );
  }
  if (!["pending", "failed", "cancelled"].includes(order.status)) return settle(deps, event, [], "unchanged");

  const sale = await sellHold(deps.env, order.eventId, order.holdId, order.userId);
  if (!sale.ok) {
    if (!UNFULFILLABLE.includes(sale.error.code)) {
      throw new Error(`the room could not sell hold ${order.holdId}: ${sale.error.code}`);
    }
    return refundUnfulfillable(deps, event, order, intent.id, sale.error.code);
  }
  const confirmed = { kind: "order_confirmed", eventId: order.eventId, orderId: order.id } as const;
  return enqueueAfter(
    deps.env,
    confirmed,
    settle(
      deps,
      event,
      [
        ...(await confirmation(deps.env, deps.db, order, sale.value)),
        setPaymentStatus(deps.db, intent.id, "succeeded"),
      ],
      "confirmed",
    ),
    deps.log,
  );
}

/** Paid, but the seats went to someone else, past the limit, or the event was cancelled. */
async function refundUnfulfillable(
  deps: Deps,
  event: Trigger,
  order: OrderRow,
  paymentIntentId: string,
  reason: string,
): Promise<Outcome> {
  const current = await findOrder(deps.db, order.id);
  if (current?.status === "refunded") return settle(deps, event, [], "unchanged");
  await gatewayOf(deps).refund({ paymentIntentId, idempotencyKey: `refund-unfulfillable-${order.id}` });
  deps.log("warn", "paid for a hold that can no longer be sold; refunded", {
    orderId: order.id,
    paymentIntentId,
    reason,
  });
  const refunded = {
    kind: "order_refunded",
    eventId: order.eventId,
    orderId: order.id,
    refundId: `unfulfillable-${order.id}`,
    amountCents: order.totalCents,
    refundedCents: order.totalCents,
    full: true,
  } as const;
  return enqueueAfter(
    deps.env,
    refunded,
    settle(deps, event, await fullRefundStatements(deps, order, order.totalCents), "refunded_unfulfillable"),
    deps.log,
  );
}

/** A declined card keeps the hold: the customer may retry with the same PaymentIntent until it ends. */
async function paymentFailed(deps: Deps, event: Failed): Promise<Outcome> {
  const intent = event.data.object;
  const order = await orderOf(deps, intent);
  if (order?.status !== "pending") return settle(deps, event, [], "unchanged");
  const message = intent.last_payment_error?.message ?? "The card was declined.";
  // The customer may retry until the hold ends: the notice says until when.
  const held = await roomOfHold(deps.env, order.eventId, order.holdId).getHold(order.holdId);
  const failed = {
    kind: "payment_failed",
    eventId: order.eventId,
    orderId: order.id,
    failureId: event.id,
    reason: message.slice(0, 500),
    ...(held.ok && { retryUntil: held.value.expiresAt }),
  } as const;
  return enqueueAfter(
    deps.env,
    failed,
    settle(
      deps,
      event,
      [markDeclined(deps.db, order.id, message), setPaymentStatus(deps.db, intent.id, "requires_payment_method")],
      "declined",
    ),
    deps.log,
  );
}

/**
 * A refund made at Stripe (dashboard, or ours coming back). Stripe's refunded total is the
 * truth: when it reaches the order's total the order is refunded (tickets void, seats back);
 * below that the order and its tickets stay as they are and only `refundedCents` moves.
 */
async function refundedAtStripe(
  deps: Deps,
  event: Trigger,
  paymentIntentId: string,
  refundedTotal: number,
): Promise<Outcome> {
  const order = await findOrderByIntent(deps.db, paymentIntentId);
  if (!order) return settle(deps, event, [], "unchanged");
  // One notice per refunded total that grew here (an organizer's refund has told the buyer already).
  const notice = async () => {
    if (refundedTotal <= order.refundedCents) return;
    await enqueue(
      deps.env,
      {
        kind: "order_refunded",
        eventId: order.eventId,
        orderId: order.id,
        refundId: `${paymentIntentId}:${refundedTotal}`,
        amountCents: refundedTotal - order.refundedCents,
        refundedCents: Math.min(refundedTotal, order.totalCents),
        full: refundedTotal >= order.totalCents,
      },
      deps.log,
    );
  };
  let outcome: Outcome;
  if (refundedTotal < order.totalCents) {
    outcome = await settle(deps, event, [recordRefunded(deps.db, order.id, refundedTotal)], "partially_refunded");
  } else if (order.status === "refunded") {
    outcome = await settle(deps, event, [recordRefunded(deps.db, order.id, refundedTotal)], "unchanged");
  } else {
    outcome = await settle(deps, event, await fullRefundStatements(deps, order, refundedTotal), "refunded");
  }
  await notice();
  return outcome;
}
