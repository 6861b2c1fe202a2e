import { Hono } from "hono";
import { requireSecret } from "../../config";
import { database } from "../../db/client";
import { handleEvent } from "../../payments/fulfilment";
import { paymentGateway } from "../../payments/gateway";
import { verifyWebhook } from "../../payments/webhook";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

/**
 * Stripe's webhook: the raw body is verified against STRIPE_WEBHOOK_SECRET before anything else.
 * 200 once the event's effects are committed; 5xx (from onError) when they could not be, so that
 * Stripe retries; 400 for a bad signature, which changes nothing.
 */
export const webhooks = new Hono<AppEnv>().post("/webhooks/stripe", async (c) => {
  const secret = requireSecret(c.var.settings, "stripeWebhookSecret", "webhooks cannot be verified");
  const payload = new TextDecoder().decode(await c.req.arrayBuffer());
  const verified = await verifyWebhook(payload, c.req.header("stripe-signature"), secret);
  if (!verified.ok) {
    c.var.log("warn", "refused a webhook", { reason: verified.reason });
    if (verified.malformed) {
      throw new ApiError("VALIDATION_FAILED", `Webhook refused: ${verified.reason}.`, {
        issues: [{ path: "", message: verified.reason }],
      });
    }
    throw new ApiError("INVALID_SIGNATURE", `Webhook refused: ${verified.reason}.`);
  }
  const db = database(c.env.DB);
  const outcome = await handleEvent({ env: c.env, db, gateway: paymentGateway(c.env), log: c.var.log }, verified.event);
  c.var.log("info", "webhook handled", { stripeEventId: verified.event.id, type: verified.event.type, outcome });
  return c.json({ received: true, outcome });
});
