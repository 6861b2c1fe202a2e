import { and, eq, inArray } from "drizzle-orm";
import { findOrderByHold, type OrderRow, transitionOrder } from "../db/orders";
import { payments } from "../db/schema";
import { type Deps, gatewayOf } from "./refunds";

/** Payment statuses of a PaymentIntent that could still take money. */
export const PAYABLE = ["requires_payment", "requires_payment_method"];

/**
 * Stops an unpaid order from being paid: the order becomes `to` (from pending only) and its
 * PaymentIntent is cancelled at Stripe. D1 first: if Stripe is down, the reconciliation job
 * cancels the intent later (it looks for payable intents of orders that are no longer pending),
 * and a payment that still gets through is honoured within the limits or refunded.
 */
export async function stopPayment(deps: Deps, order: OrderRow, to: "cancelled" | "failed"): Promise<void> {
  await deps.db.batch([transitionOrder(deps.db, order.id, to, ["pending"])]);
  if (!order.paymentIntentId) return;
  await cancelIntent(deps, order.paymentIntentId).catch((error: unknown) =>
    deps.log("warn", "could not cancel a PaymentIntent; reconciliation will retry", {
      orderId: order.id,
      paymentIntentId: order.paymentIntentId,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
}

/** Cancels at Stripe and records it; an intent that was paid meanwhile is left to its webhook. */
export async function cancelIntent(deps: Deps, paymentIntentId: string): Promise<string> {
  const { status } = await gatewayOf(deps).cancel({ paymentIntentId, idempotencyKey: `cancel-${paymentIntentId}` });
  if (status === "canceled") {
    await deps.db
      .update(payments)
      .set({ status: "canceled", updatedAt: Date.now() })
      .where(and(eq(payments.id, paymentIntentId), inArray(payments.status, PAYABLE)));
  }
  return status;
}

/** The owner released a hold in checkout: its order is cancelled and its PaymentIntent too. */
export async function releasedInCheckout(deps: Deps, holdId: string): Promise<void> {
  const order = await findOrderByHold(deps.db, holdId);
  if (order?.status === "pending") await stopPayment(deps, order, "cancelled");
}
