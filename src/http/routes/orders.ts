import { Hono } from "hono";
import { z } from "zod";
import { database } from "../../db/client";
import { findEventBundle } from "../../db/events";
import {
  attachPaymentIntent,
  findOrder,
  findOrderByHold,
  itemsAndTickets,
  type OrderRow,
  ordersOfUser,
  pendingOrderFor,
  type Statement,
} from "../../db/orders";
import { eventIdOfHold, randomId } from "../../domain/ids";
import { enqueue } from "../../notify/enqueue";
import { paymentGateway } from "../../payments/gateway";
import { confirmation, itemRows } from "../../payments/issue";
import { refundOrder } from "../../payments/refunds";
import type { AppEnv } from "../context";
import { ApiError, unwrap } from "../errors";
import { assertOwner, auth, currentUser, isAdmin } from "../middleware/auth";
import { roomFor } from "../rooms";
import { HoldIdParam, IdempotencyKey, OrderIdParam } from "../schemas";
import { issuesOf, parse, pathParams, validationFailed } from "../validate";
import { orderView } from "../views";

export const RefundBody = z.strictObject({
  ticketIds: z
    .array(z.string().regex(/^tkt_[a-z0-9_]{1,60}$/, "must be a ticket id"))
    .min(1)
    .max(50)
    .optional(),
});

/** A free order needs no payment: the room sells the hold at once and the tickets are issued. */
async function confirmFree(env: Env, db: ReturnType<typeof database>, order: OrderRow): Promise<void> {
  const sale = unwrap(await roomFor(env, order.eventId).sell(order.holdId));
  await db.batch((await confirmation(env, db, order, sale)) as [Statement, ...Statement[]]);
  await enqueue(env, { kind: "order_confirmed", eventId: order.eventId, orderId: order.id });
}

const freeAnswer = (order: OrderRow) => ({
  orderId: order.id,
  status: "confirmed" as const,
  totalCents: 0,
  currency: order.currency,
  payment: null,
});

export const orders = new Hono<AppEnv>()
  /**
   * Starts payment for a hold: one order and one PaymentIntent per hold, whoever retries, with
   * the amount fixed when the hold was made. The hold moves to `checkout` and gets the payment
   * grace period once. A hold whose total is 0 is confirmed here, without a payment.
   */
  .post("/holds/:holdId/checkout", pathParams(HoldIdParam), auth(), async (c) => {
    const key = IdempotencyKey.safeParse(c.req.header("idempotency-key"));
    if (!key.success) throw validationFailed(issuesOf(key.error, "Idempotency-Key"));
    const { holdId } = c.var.params;
    const user = currentUser(c);
    const eventId = eventIdOfHold(holdId);
    if (!eventId) throw new ApiError("NOT_FOUND", "No such hold.");
    const db = database(c.env.DB);

    const paid = await findOrderByHold(db, holdId);
    if (paid) assertOwner(user, paid.userId, "hold", { adminToo: false });
    if (paid && paid.status === "confirmed" && paid.totalCents === 0) return c.json(freeAnswer(paid), 201);
    if (paid && paid.status !== "pending") {
      throw new ApiError("HOLD_NOT_ACTIVE", `This hold's order is already ${paid.status}.`, {
        orderId: paid.id,
        status: paid.status,
      });
    }
    const room = roomFor(c.env, eventId);
    // A free order whose confirmation was cut short: the sale is idempotent, finish it.
    if (paid && paid.totalCents === 0) {
      await confirmFree(c.env, db, paid);
      return c.json(freeAnswer(paid), 201);
    }
    const held = unwrap(await room.getHold(holdId));
    assertOwner(user, held.userId, "hold", { adminToo: false });
    const gateway = held.totalCents > 0 ? paymentGateway(c.env) : undefined;
    if (held.totalCents > 0 && !gateway) {
      throw new ApiError("PAYMENTS_UNAVAILABLE", "Payments are not available right now.", {}, { "retry-after": "60" });
    }
    const hold = unwrap(await room.startCheckout(holdId, user.id));
    const order = await pendingOrderFor(
      db,
      {
        id: randomId("ord"),
        userId: user.id,
        eventId,
        holdId,
        totalCents: hold.totalCents,
        currency: hold.currency,
        email: user.email ?? null,
      },
      (orderId) => itemRows(orderId, hold),
    );
    if (!gateway) {
      await confirmFree(c.env, db, order);
      return c.json(freeAnswer(order), 201);
    }
    const intent = await gateway.createPaymentIntent({
      amountCents: order.totalCents,
      currency: order.currency,
      metadata: { orderId: order.id, holdId, eventId, userId: user.id },
      idempotencyKey: `checkout-${holdId}`,
    });
    if (order.paymentIntentId !== intent.id)
      await attachPaymentIntent(db, order, intent.id, gateway.simulated ? "simulated" : "stripe");
    return c.json(
      {
        orderId: order.id,
        status: order.status,
        totalCents: order.totalCents,
        currency: order.currency,
        holdExpiresAt: new Date(hold.expiresAt).toISOString(),
        payment: {
          provider: "stripe",
          clientSecret: intent.clientSecret,
          paymentIntentId: intent.id,
          simulated: gateway.simulated,
        },
        ...(gateway.simulated && { payUrl: `/pay/${order.id}` }),
      },
      201,
    );
  })

  .get("/orders/:orderId", pathParams(OrderIdParam), auth(), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const order = await findOrder(db, c.var.params.orderId);
    if (!order) throw new ApiError("NOT_FOUND", "No such order.");
    assertOwner(user, order.userId, "order");
    const { items, tickets } = await itemsAndTickets(db, [order.id]);
    return c.json(orderView(order, items, tickets));
  })

  .get("/me/orders", auth(), async (c) => {
    const db = database(c.env.DB);
    const rows = await ordersOfUser(db, currentUser(c).id);
    const { items, tickets } = await itemsAndTickets(
      db,
      rows.map((o) => o.id),
    );
    return c.json({ data: rows.map((o) => orderView(o, items, tickets)) });
  })

  /**
   * Refunds the whole order or only `ticketIds` through the payment provider; those tickets are
   * void and their seats back on sale as soon as Stripe has accepted the refund.
   */
  .post("/admin/orders/:orderId/refund", pathParams(OrderIdParam), auth({ roles: ["organizer"] }), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const text = new TextDecoder().decode(await c.req.arrayBuffer());
    let raw: unknown = {};
    if (text.trim() !== "") {
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ApiError("MALFORMED_JSON", "The request body is not valid JSON.");
      }
    }
    const { ticketIds } = parse(RefundBody, raw, "");
    const order = await findOrder(db, c.var.params.orderId);
    if (!order) throw new ApiError("NOT_FOUND", "No such order.");
    const event = await findEventBundle(db, order.eventId);
    if (!isAdmin(user) && event?.event.organizerId !== user.id) {
      throw new ApiError("FORBIDDEN", "This order is for another organizer's event.");
    }
    const gateway = paymentGateway(c.env);
    if (!gateway && order.totalCents > 0) {
      throw new ApiError("PAYMENTS_UNAVAILABLE", "Payments are not available right now.", {}, { "retry-after": "60" });
    }
    const result = await refundOrder({ env: c.env, db, gateway, log: c.var.log }, order, ticketIds);
    if (!result.ok) {
      throw new ApiError(result.code, result.message, {
        status: order.status,
        ...(result.ticketIds && { ticketIds: result.ticketIds }),
      });
    }
    const after = result.order;
    return c.json(
      {
        orderId: after.id,
        status: after.status,
        refundedCents: after.refundedCents,
        totalCents: after.totalCents,
        currency: after.currency,
        ...(result.refundId && { refundId: result.refundId }),
      },
      202,
    );
  });
