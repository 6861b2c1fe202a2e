import type { Database } from "../db/client";
import {
  findOrder,
  findOrderByIntent,
  insertItems,
  insertTickets,
  isProcessed,
  markProcessed,
  type OrderItemRow,
  type OrderRow,
  type Statement,
  setPaymentStatus,
  type TicketRow,
  transitionOrder,
  voidTicketsOfOrder,
} from "../db/orders";
import type { Hold } from "../domain/types";
import type { Logger } from "../log";
import { roomFor } from "../rooms/stub";
import { signTicketCode } from "../tickets/codes";
import { keyRing } from "../tickets/keys";
import type { PaymentGateway } from "./gateway";
import type { WebhookEvent } from "./webhook";

/**
 * Turns verified Stripe events into orders, tickets and refunds. Stripe delivers at least once,
 * in any order: every step is idempotent (the room's sale, guarded status transitions,
 * deterministic ids, INSERT OR IGNORE), and everything D1 learns from one event commits in one
 * batch together with the event's "processed" mark. Anything that fails before that batch throws,
 * the webhook answers 5xx, and Stripe's retry finishes the job.
 */

export interface Deps {
  env: Env;
  db: Database;
  gateway: PaymentGateway;
  log: Logger;
}

export type Outcome =
  | "duplicate"
  | "ignored"
  | "unknown_payment"
  | "unchanged"
  | "amount_mismatch"
  | "confirmed"
  | "refunded_unfulfillable"
  | "failed"
  | "refunded";

export async function handleEvent(
  deps: Deps,
  event: WebhookEvent | { id: string; type: string; ignored: true },
): Promise<Outcome> {
  if (await isProcessed(deps.db, event.id)) return "duplicate";
  if ("ignored" in event) {
    await deps.db.batch([markProcessed(deps.db, event.id, event.type)]);
    return "ignored";
  }
  switch (event.type) {
    case "payment_intent.succeeded":
      return paymentSucceeded(deps, event);
    case "payment_intent.payment_failed":
      return paymentFailed(deps, event);
    case "charge.refunded":
      if (!event.data.object.refunded || !event.data.object.payment_intent) return settle(deps, event, [], "unchanged");
      return refunded(deps, event, event.data.object.payment_intent);
    case "refund.updated":
      if (event.data.object.status !== "succeeded" || !event.data.object.payment_intent) {
        return settle(deps, event, [], "unchanged");
      }
      return refunded(deps, event, event.data.object.payment_intent);
  }
}

async function settle(deps: Deps, event: { id: string; type: string }, statements: Statement[], outcome: Outcome) {
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

type Succeeded = Extract<WebhookEvent, { type: "payment_intent.succeeded" }>;
type Failed = Extract<WebhookEvent, { type: "payment_intent.payment_failed" }>;

async function paymentSucceeded(deps: Deps, event: Succeeded): Promise<Outcome> {
  const intent = event.data.object;
  const order = await orderOf(deps, intent);
  if (!order) {
    deps.log("warn", "payment for no known order", { paymentIntentId: intent.id, stripeEventId: event.id });
    return settle(deps, event, [], "unknown_payment");
  }
  if (order.status !== "pending" && order.status !== "failed") return settle(deps, event, [], "unchanged");
  if (intent.amount !== order.totalCents || intent.currency.toUpperCase() !== order.currency) {
    deps.log("error", "payment amount does not match its order; not confirmed", {
      orderId: order.id,
      paymentIntentId: intent.id,
      expected: `${order.totalCents} ${order.currency}`,
      received: `${intent.amount} ${intent.currency.toUpperCase()}`,
    });
    return settle(deps, event, [setPaymentStatus(deps.db, intent.id, "amount_mismatch")], "amount_mismatch");
  }

  const sale = await roomFor(deps.env, order.eventId).sell(order.holdId);
  if (!sale.ok) {
    // NOT_FOUND: the hold ended so long ago that the room forgot it; its seats are long gone too.
    const unfulfillable = ["SEATS_UNAVAILABLE", "HOLD_NOT_ACTIVE", "NOT_FOUND"];
    if (!unfulfillable.includes(sale.error.code)) {
      throw new Error(`the room could not sell hold ${order.holdId}: ${sale.error.code}`);
    }
    // Paid after the hold ended and the seats went to someone else: the money goes back.
    await deps.gateway.refund({ paymentIntentId: intent.id, idempotencyKey: `refund-unfulfillable-${order.id}` });
    deps.log("warn", "paid after the seats were sold again; refunded", {
      orderId: order.id,
      paymentIntentId: intent.id,
    });
    return settle(
      deps,
      event,
      [
        transitionOrder(deps.db, order.id, "refunded", ["pending", "failed"]),
        setPaymentStatus(deps.db, intent.id, "refunded"),
      ],
      "refunded_unfulfillable",
    );
  }

  const { items, tickets } = await fulfilmentRows(deps, order, sale.value);
  return settle(
    deps,
    event,
    [
      transitionOrder(deps.db, order.id, "confirmed", ["pending", "failed"]),
      ...insertItems(deps.db, items),
      ...insertTickets(deps.db, tickets),
      setPaymentStatus(deps.db, intent.id, "succeeded"),
    ],
    "confirmed",
  );
}

async function paymentFailed(deps: Deps, event: Failed): Promise<Outcome> {
  const intent = event.data.object;
  const order = await orderOf(deps, intent);
  if (order?.status !== "pending") return settle(deps, event, [], "unchanged");
  const released = await roomFor(deps.env, order.eventId).abandon(order.holdId);
  if (!released.ok && released.error.code !== "NOT_FOUND") throw new Error(`could not release hold ${order.holdId}`);
  return settle(
    deps,
    event,
    [transitionOrder(deps.db, order.id, "failed", ["pending"]), setPaymentStatus(deps.db, intent.id, "failed")],
    "failed",
  );
}

async function refunded(deps: Deps, event: { id: string; type: string }, paymentIntentId: string): Promise<Outcome> {
  const order = await findOrderByIntent(deps.db, paymentIntentId);
  if (!order || order.status === "refunded") return settle(deps, event, [], "unchanged");
  const room = roomFor(deps.env, order.eventId);
  const result = order.status === "confirmed" ? await room.refund(order.holdId) : await room.abandon(order.holdId);
  if (!result.ok && result.error.code !== "NOT_FOUND") throw new Error(`could not return hold ${order.holdId}`);
  return settle(
    deps,
    event,
    [
      transitionOrder(deps.db, order.id, "refunded", ["confirmed", "pending", "failed"]),
      voidTicketsOfOrder(deps.db, order.id, Date.now()),
      setPaymentStatus(deps.db, paymentIntentId, "refunded"),
    ],
    "refunded",
  );
}

/** One order item per hold item; one ticket per seat or GA unit. Ids are derived, so a retry repeats them. */
async function fulfilmentRows(deps: Deps, order: OrderRow, hold: Hold) {
  const ring = await keyRing(deps.env, deps.db);
  const now = Date.now();
  const base = order.id.replace(/^ord_/, "");
  const items: OrderItemRow[] = [];
  const tickets: TicketRow[] = [];
  for (const [i, item] of hold.items.entries()) {
    items.push({
      id: `itm_${base}_${i}`,
      orderId: order.id,
      seatId: item.seatId ?? null,
      sectionId: item.sectionId ?? null,
      quantity: item.quantity,
      priceCents: item.priceCents,
    });
    for (let unit = 0; unit < item.quantity; unit++) {
      const id = `tkt_${base}_${tickets.length}`;
      const code = await signTicketCode(
        ring,
        { tid: id, eid: order.eventId, ...(item.seatId ? { seat: item.seatId } : { sec: item.sectionId }), v: 1 },
        now,
      );
      tickets.push({
        id,
        orderId: order.id,
        eventId: order.eventId,
        userId: order.userId,
        seatId: item.seatId ?? null,
        sectionId: item.seatId ? null : (item.sectionId ?? null),
        status: "valid",
        code,
        version: 1,
        issuedAt: now,
        voidedAt: null,
        replacesId: null,
        replacedById: null,
        firstScannedAt: null,
      });
    }
  }
  return { items, tickets };
}
