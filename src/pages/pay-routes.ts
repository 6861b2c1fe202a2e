import { Hono } from "hono";
import { requireSecret } from "../config";
import { database } from "../db/client";
import { findOrder } from "../db/orders";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/errors";
import { auth, currentUser } from "../http/middleware/auth";
import { OrderIdParam, SimulatedOutcome } from "../http/schemas";
import { jsonBody, pathParams } from "../http/validate";
import { SIMULATED_PREFIX } from "../payments/gateway";
import { signWebhook } from "../payments/webhook";
import { MessagePage } from "./layout";
import { pageError, pageHeaders, pageUser, signInUrl, stripePublishableKey } from "./page-context";
import { PayPage } from "./pay";

type Dispatch = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

/**
 * The pay page (src/pages/pay.tsx) and simulated payment for local development (no
 * STRIPE_SECRET_KEY): the page's "Pay" button asks the server to sign a
 * `payment_intent.succeeded` with STRIPE_WEBHOOK_SECRET and deliver it to our own /webhooks/stripe
 * through the app — the real webhook path, signature check included.
 */
export const pay = (dispatch: Dispatch) =>
  new Hono<AppEnv>()
    .get("/pay/:orderId", pageHeaders({ stripe: (env) => stripePublishableKey(env) !== undefined }), async (c) => {
      const user = await pageUser(c);
      if (!user) {
        const signIn = signInUrl(c.env, c.req.path);
        const message = "Sign in first, then come back to this page.";
        return pageError(
          c,
          "UNAUTHENTICATED",
          () => MessagePage({ title: "Sign in to pay", message, signIn }),
          message,
        );
      }
      const params = OrderIdParam.safeParse(c.req.param());
      const order = params.success ? await findOrder(database(c.env.DB), params.data.orderId) : undefined;
      if (!order || order.userId !== user.id) {
        const message = "There is no such order in your account.";
        return pageError(c, "NOT_FOUND", () => MessagePage({ title: "Order not found", message, user }), message);
      }
      return c.html(
        PayPage({
          user,
          order,
          simulated: order.paymentIntentId?.startsWith(SIMULATED_PREFIX) ?? false,
          publishableKey: stripePublishableKey(c.env),
        }),
      );
    })

    .post("/pay/:orderId", pathParams(OrderIdParam), auth(), jsonBody(SimulatedOutcome), async (c) => {
      const db = database(c.env.DB);
      const order = await findOrder(db, c.var.params.orderId);
      if (!order || order.userId !== currentUser(c).id) throw new ApiError("NOT_FOUND", "No such order.");
      const intent = order.paymentIntentId;
      if (!intent?.startsWith(SIMULATED_PREFIX)) {
        throw new ApiError("CONFLICT", "This order is not paid by simulation.");
      }
      const secret = requireSecret(c.var.settings, "stripeWebhookSecret", "simulated payments sign their webhook");
      const { result } = c.var.body;
      const payload = JSON.stringify({
        id: `evt_sim_${crypto.randomUUID().replaceAll("-", "")}`,
        object: "event",
        type: result === "succeed" ? "payment_intent.succeeded" : "payment_intent.payment_failed",
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: intent,
            object: "payment_intent",
            amount: order.totalCents,
            amount_received: result === "succeed" ? order.totalCents : 0,
            currency: order.currency.toLowerCase(),
            metadata: { orderId: order.id, holdId: order.holdId, eventId: order.eventId },
          },
        },
      });
      const delivery = await dispatch(
        new Request(new URL("/webhooks/stripe", c.req.url), {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": await signWebhook(payload, secret) },
          body: payload,
        }),
        c.env,
        c.executionCtx as ExecutionContext,
      );
      if (!delivery.ok) throw new Error(`simulated webhook answered ${delivery.status}`);
      const after = await findOrder(db, order.id);
      return c.json({ orderId: order.id, status: after?.status ?? order.status });
    });
