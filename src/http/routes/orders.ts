import { Hono } from "hono";
import { z } from "zod";
import { database } from "../../db/client";
import { findEventBundle } from "../../db/events";
import {
  attachPaymentIntent,
  findOrder,
  findOrderByHold,
  itemsAndTickets,
  ordersOfUser,
  pendingOrderFor,
} from "../../db/orders";
import { eventIdOfHold, randomId } from "../../domain/ids";
import { type Deps, handleEvent } from "../../payments/fulfilment";
import { paymentGateway } from "../../payments/gateway";
import type { AppEnv } from "../context";
import { ApiError, unwrap } from "../errors";
import { auth, currentUser, isAdmin } from "../middleware/auth";
import { roomFor } from "../rooms";
import { HoldIdParam, IdempotencyKey } from "../schemas";
import { issuesOf, pathParams, validationFailed } from "../validate";
import { orderView } from "../views";

export const OrderIdParam = z.object({ orderId: z.string().regex(/^ord_[a-z0-9]{1,40}$/, "must be an order id") });

export const orders = new Hono<AppEnv>()
  /**
   * Starts payment for a hold: one order and one PaymentIntent per hold, whoever retries, with
   * the amount fixed when the hold was made. The hold moves to `checkout` and gets the payment
   * grace period once.
   */
  .post("/holds/:holdId/checkout", pathParams(HoldIdParam), auth(), async (c) => {
    const key = IdempotencyKey.safeParse(c.req.header("idempotency-key"));
    if (!key.success) throw validationFailed(issuesOf(key.error, "Idempotency-Key"));
    const { holdId } = c.var.params;
    const user = currentUser(c);
    const eventId = eventIdOfHold(holdId);
    if (!eventId) throw new ApiError("NOT_FOUND", "No such hold.");
    const db = database(c.env.DB);
    const gateway = paymentGateway(c.env);

    const paid = await findOrderByHold(db, holdId);
    if (paid && paid.status !== "pending") {
      if (paid.userId !== user.id) throw new ApiError("FORBIDDEN", "This hold belongs to someone else.");
      throw new ApiError("HOLD_NOT_ACTIVE", `This hold's order is already ${paid.status}.`, {
        orderId: paid.id,
        status: paid.status,
      });
    }
    const hold = unwrap(await roomFor(c.env, eventId).startCheckout(holdId, user.id));
    const order = await pendingOrderFor(db, {
      id: randomId("ord"),
      userId: user.id,
      eventId,
      holdId,
      totalCents: hold.totalCents,
      currency: hold.currency,
    });
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
    if (order.userId !== user.id && !isAdmin(user))
      throw new ApiError("FORBIDDEN", "This order belongs to someone else.");
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

  /** Refunds through the payment provider; the provider's refund webhook returns the seats. */
  .post("/admin/orders/:orderId/refund", pathParams(OrderIdParam), auth({ roles: ["organizer"] }), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const order = await findOrder(db, c.var.params.orderId);
    if (!order) throw new ApiError("NOT_FOUND", "No such order.");
    const event = await findEventBundle(db, order.eventId);
    if (!isAdmin(user) && event?.event.organizerId !== user.id) {
      throw new ApiError("FORBIDDEN", "This order is for another organizer's event.");
    }
    if (order.status === "refunded") return c.json({ orderId: order.id, status: "refunded" });
    if (order.status !== "confirmed" || !order.paymentIntentId) {
      throw new ApiError("CONFLICT", `Only a confirmed order can be refunded; this one is ${order.status}.`, {
        status: order.status,
      });
    }
    const gateway = paymentGateway(c.env);
    const refund = await gateway.refund({
      paymentIntentId: order.paymentIntentId,
      idempotencyKey: `refund-${order.id}`,
    });
    if (gateway.simulated) {
      // No Stripe to send the webhook: complete it through the same handler Stripe's would reach.
      const deps: Deps = { env: c.env, db, gateway, log: c.var.log };
      await handleEvent(deps, {
        id: `evt_sim_${refund.id}`,
        type: "refund.updated",
        data: {
          object: {
            id: refund.id,
            payment_intent: order.paymentIntentId,
            status: "succeeded",
            amount: order.totalCents,
          },
        },
      });
    }
    const after = await findOrder(db, order.id);
    return c.json({ orderId: order.id, status: after?.status ?? order.status, refundId: refund.id }, 202);
  });
