import { Hono } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import { database } from "../../db/client";
import { findOrder } from "../../db/orders";
import { SIMULATED_PREFIX } from "../../payments/gateway";
import { signWebhook } from "../../payments/webhook";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { jsonBody, pathParams } from "../validate";

type Dispatch = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

const OrderIdParam = z.object({ orderId: z.string().regex(/^ord_[a-z0-9]{1,40}$/, "must be an order id") });
const Outcome = z.object({ result: z.enum(["succeed", "fail"]).default("succeed") });

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);

/**
 * Simulated payment for local development (no STRIPE_SECRET_KEY): the page's "Pay" button asks
 * the server to sign a `payment_intent.succeeded` with STRIPE_WEBHOOK_SECRET and deliver it to
 * our own /webhooks/stripe through the app — the real webhook path, signature check included.
 */
export const pay = (dispatch: Dispatch) =>
  new Hono<AppEnv>()
    .get("/pay/:orderId", pathParams(OrderIdParam), auth(), async (c) => {
      const order = await findOrder(database(c.env.DB), c.var.params.orderId);
      if (!order || order.userId !== currentUser(c).id) throw new ApiError("NOT_FOUND", "No such order.");
      const simulated = order.paymentIntentId?.startsWith(SIMULATED_PREFIX) ?? false;
      return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Pay for your order</title>
    <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.4rem}</style>
  </head>
  <body>
    <h1>Pay ${money(order.totalCents, order.currency)}</h1>
    <p>Order <code>${order.id}</code> — status <strong id="status">${order.status}</strong></p>
    ${
      simulated
        ? html`<p>Local development: this is a simulated payment. No card is charged.</p>
            <button type="button" id="pay" data-result="succeed">Pay</button>
            <button type="button" id="decline" data-result="fail">Decline</button>
            <script>
              for (const button of document.querySelectorAll("button[data-result]")) {
                button.addEventListener("click", async () => {
                  button.disabled = true;
                  const response = await fetch(location.pathname, {
                    method: "POST",
                    headers: { "content-type": "application/json" },
                    body: JSON.stringify({ result: button.dataset.result }),
                  });
                  const body = await response.json();
                  document.getElementById("status").textContent = body.status ?? body.error?.message;
                  if (body.status === "confirmed") location.href = "/orders/" + body.orderId;
                });
              }
            </script>`
        : html`<p>This order is paid through Stripe's Payment Element.</p>`
    }
  </body>
</html>`);
    })

    .post("/pay/:orderId", pathParams(OrderIdParam), auth(), jsonBody(Outcome), async (c) => {
      const db = database(c.env.DB);
      const order = await findOrder(db, c.var.params.orderId);
      if (!order || order.userId !== currentUser(c).id) throw new ApiError("NOT_FOUND", "No such order.");
      const intent = order.paymentIntentId;
      if (!intent?.startsWith(SIMULATED_PREFIX)) {
        throw new ApiError("CONFLICT", "This order is not paid by simulation.");
      }
      const secret = c.env.STRIPE_WEBHOOK_SECRET?.trim();
      if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not configured");
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
