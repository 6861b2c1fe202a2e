import { Hono } from "hono";
import { z } from "zod";
import { database } from "../../db/client";
import { findEventBundle } from "../../db/events";
import { findOrder, itemsAndTickets, type OrderRow, ordersOfUser } from "../../db/orders";
import { eventIdOfHold } from "../../domain/ids";
import { checkout } from "../../payments/checkout";
import { paymentGateway } from "../../payments/gateway";
import { refundOrder } from "../../payments/refunds";
import { audit } from "../audit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { assertOwner, auth, currentUser } from "../middleware/auth";
import { roomFor, roomOfHold } from "../rooms";
import { HoldIdParam, IdempotencyKey, OrderIdParam } from "../schemas";
import { mayAct } from "../team-access";
import { issuesOf, parse, pathParams, validationFailed } from "../validate";
import { orderView } from "../views";

export const RefundBody = z.strictObject({
  ticketIds: z
    .array(z.string().regex(/^tkt_[a-z0-9_]{1,60}$/, "must be a ticket id"))
    .min(1)
    .max(50)
    .optional(),
});

const freeAnswer = (order: OrderRow) => ({
  orderId: order.id,
  status: "confirmed" as const,
  totalCents: 0,
  currency: order.currency,
  payment: null,
});

const paymentsUnavailable = () =>
  new ApiError("PAYMENTS_UNAVAILABLE", "Payments are not available right now.", {}, { "retry-after": "60" });

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
    const deps = {
      env: c.env,
      db: database(c.env.DB),
      gateway: paymentGateway(c.env),
      log: c.var.log,
      room: (id: string) => roomOfHold(c.env, holdId) ?? roomFor(c.env, id),
    };
    const result = await checkout(deps, { holdId, eventId, buyer: { id: user.id, email: user.email } });
    if (!result.ok) {
      if (result.error.code === "PAYMENTS_UNAVAILABLE") throw paymentsUnavailable();
      throw ApiError.fromDomain(result.error);
    }
    const done = result.value;
    if (done.kind === "free") return c.json(freeAnswer(done.order), 201);
    const { order } = done;
    return c.json(
      {
        orderId: order.id,
        status: order.status,
        totalCents: order.totalCents,
        currency: order.currency,
        holdExpiresAt: new Date(done.holdExpiresAt).toISOString(),
        payment: {
          provider: "stripe",
          clientSecret: done.clientSecret,
          paymentIntentId: done.paymentIntentId,
          simulated: done.simulated,
        },
        ...(done.simulated && { payUrl: `/pay/${order.id}` }),
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
    const owner = { ownerId: event?.event.organizerId ?? "", orgId: event?.event.orgId ?? null };
    if (!(await mayAct(db, user, owner, "order.refund"))) {
      throw new ApiError("FORBIDDEN", "This order is for another organizer's event.", { action: "order.refund" });
    }
    const gateway = paymentGateway(c.env);
    if (!gateway && order.totalCents > 0) throw paymentsUnavailable();
    const result = await refundOrder({ env: c.env, db, gateway, log: c.var.log }, order, ticketIds);
    if (!result.ok) {
      throw new ApiError(result.code, result.message, {
        status: order.status,
        ...(result.ticketIds && { ticketIds: result.ticketIds }),
      });
    }
    const after = result.order;
    await audit(c, {
      action: "order.refund",
      targetType: "order",
      target: order.id,
      eventId: order.eventId,
      ownerId: event?.event.organizerId ?? user.id,
      details: {
        ...(ticketIds && { ticketIds }),
        status: after.status,
        refundedCents: after.refundedCents,
        currency: after.currency,
        ...(result.refundId && { refundId: result.refundId }),
      },
    });
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
