import { type roomFor, roomOfHold } from "../bindings";
import { attachPaymentIntent, findOrderByHold, type OrderRow, pendingOrderFor, type Statement } from "../db/orders";
import { randomId } from "../domain/ids";
import { refuse } from "../domain/refusals";
import { type DomainError, ok, type Result } from "../domain/result";
import { enqueue } from "../notify/enqueue";
import { countedByLedger, lengthenLease, sellHold } from "../user-ledger/steps";
import { confirmation, itemRows } from "./issue";
import type { Deps } from "./refunds";

/**
 * Checkout: a hold becomes one pending order and one PaymentIntent, whoever retries, with the amount
 * fixed when the hold was made; a hold whose total is 0 is confirmed at once, without a payment.
 * The order of the steps is the point: the room moves the hold to `checkout` (and grants the payment
 * grace period once) before D1 gets the order, and the PaymentIntent is created last, with an
 * idempotency key per hold, so that a retry after any failure finds what the first try made.
 */

type Room = ReturnType<typeof roomFor>;

export interface CheckoutDeps extends Deps {
  /** The hold's room. The edge passes its own stub (with its one retry); by default the binding's. */
  room?: (eventId: string, holdId: string) => Room;
}

export interface CheckoutInput {
  holdId: string;
  eventId: string;
  /** Who pays: only the holder may (an admin neither), and the order's notices go to `email`. */
  buyer: { id: string; email?: string | undefined };
}

export type CheckoutOutcome =
  | { kind: "free"; order: OrderRow }
  | {
      kind: "payment";
      order: OrderRow;
      holdExpiresAt: number;
      paymentIntentId: string;
      clientSecret: string;
      simulated: boolean;
    };

/** A refusal: the room's own, or no payment provider for an order that costs money. */
export type CheckoutRefusal = DomainError | { code: "PAYMENTS_UNAVAILABLE"; message: string };

export async function checkout(
  deps: CheckoutDeps,
  input: CheckoutInput,
): Promise<{ ok: true; value: CheckoutOutcome } | { ok: false; error: CheckoutRefusal }> {
  const { holdId, eventId, buyer } = input;
  const roomOf = deps.room ?? ((id: string, hold: string) => roomOfHold(deps.env, id, hold));

  const earlier = await findOrderByHold(deps.db, holdId);
  if (earlier && earlier.userId !== buyer.id) return refuse.notYours();
  if (earlier?.status === "confirmed" && earlier.totalCents === 0) return ok({ kind: "free", order: earlier });
  if (earlier && earlier.status !== "pending") {
    return refuse.orderAlready(earlier.id, earlier.status);
  }
  const room = roomOf(eventId, holdId);
  // A free order whose confirmation was cut short: the sale is idempotent, finish it.
  if (earlier && earlier.totalCents === 0) return confirmFree(deps, room, earlier);

  const held = await room.getHold(holdId);
  if (!held.ok) return held;
  if (held.value.userId !== buyer.id) return refuse.notYours();
  const gateway = held.value.totalCents > 0 ? deps.gateway : undefined;
  if (held.value.totalCents > 0 && !gateway) {
    return { ok: false, error: { code: "PAYMENTS_UNAVAILABLE", message: "Payments are not available right now." } };
  }
  // A split event's ledger first covers the payment grace (src/user-ledger/steps.ts).
  const lease = await lengthenLease(deps.env, eventId, held.value, "checkout");
  if (!lease.ok) return lease;
  const started = await room.startCheckout(holdId, buyer.id);
  if (!started.ok) return started;
  const hold = started.value;
  const order = await pendingOrderFor(
    deps.db,
    {
      id: randomId("ord"),
      userId: buyer.id,
      eventId,
      holdId,
      totalCents: hold.totalCents,
      currency: hold.currency,
      email: buyer.email ?? null,
      orderFeeJson: hold.orderFee ? JSON.stringify(hold.orderFee) : null,
      voucherCode: hold.voucherCode ?? null,
    },
    (orderId) => itemRows(orderId, hold),
  );
  if (!gateway) return confirmFree(deps, room, order);

  const intent = await gateway.createPaymentIntent({
    amountCents: order.totalCents,
    currency: order.currency,
    metadata: { orderId: order.id, holdId, eventId, userId: buyer.id },
    idempotencyKey: `checkout-${holdId}`,
  });
  if (order.paymentIntentId !== intent.id) {
    await attachPaymentIntent(deps.db, order, intent.id, gateway.simulated ? "simulated" : "stripe");
  }
  return ok({
    kind: "payment",
    order,
    holdExpiresAt: hold.expiresAt,
    paymentIntentId: intent.id,
    clientSecret: intent.clientSecret,
    simulated: gateway.simulated,
  });
}

/** A free order needs no payment: the room sells the hold at once and the tickets are issued. */
async function confirmFree(deps: Deps, room: Room, order: OrderRow): Promise<Result<CheckoutOutcome>> {
  const sale = countedByLedger(order.holdId)
    ? await sellHold(deps.env, order.eventId, order.holdId, order.userId)
    : await room.sell(order.holdId);
  if (!sale.ok) return sale;
  await deps.db.batch((await confirmation(deps.env, deps.db, order, sale.value)) as [Statement, ...Statement[]]);
  await enqueue(deps.env, { kind: "order_confirmed", eventId: order.eventId, orderId: order.id }, deps.log);
  return ok({ kind: "free", order });
}
