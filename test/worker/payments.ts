import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { TEST_BINDINGS } from "../bindings";
import { call, json } from "./helpers";

/** Stripe test helpers: webhook events signed with the SDK's own helper, and the test server's call log. */

const cryptoProvider = Stripe.createSubtleCryptoProvider();
let counter = 0;

export interface DeliverOptions {
  secret?: string;
  timestamp?: number;
  signature?: string | null;
}

export async function deliver(event: object, options: DeliverOptions = {}): Promise<Response> {
  const payload = JSON.stringify(event);
  const signature =
    options.signature !== undefined
      ? options.signature
      : await Stripe.webhooks.generateTestHeaderStringAsync({
          payload,
          secret: options.secret ?? TEST_BINDINGS.STRIPE_WEBHOOK_SECRET,
          timestamp: options.timestamp,
          cryptoProvider,
        });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  return call("POST", "/webhooks/stripe", { rawBody: payload, headers });
}

export function intentEvent(
  type: "payment_intent.succeeded" | "payment_intent.payment_failed",
  order: { orderId: string; totalCents: number; currency: string; payment: { paymentIntentId: string } },
  overrides: { amount?: number; currency?: string; id?: string } = {},
) {
  return {
    id: overrides.id ?? `evt_test_${Date.now().toString(36)}${(counter++).toString(36)}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: order.payment.paymentIntentId,
        object: "payment_intent",
        amount: overrides.amount ?? order.totalCents,
        amount_received: type === "payment_intent.succeeded" ? (overrides.amount ?? order.totalCents) : 0,
        currency: (overrides.currency ?? order.currency).toLowerCase(),
        status: type === "payment_intent.succeeded" ? "succeeded" : "requires_payment_method",
        metadata: { orderId: order.orderId },
      },
    },
  };
}

export function chargeRefunded(paymentIntentId: string, amount: number) {
  return {
    id: `evt_test_${Date.now().toString(36)}${(counter++).toString(36)}`,
    object: "event",
    type: "charge.refunded",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `ch_${counter}`,
        object: "charge",
        payment_intent: paymentIntentId,
        amount,
        amount_refunded: amount,
        refunded: true,
      },
    },
  };
}

export interface StripeCall {
  method: string;
  path: string;
  idempotencyKey?: string;
  params: Record<string, any>;
}

export async function stripeCalls(): Promise<StripeCall[]> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__calls`);
  return (await response.json()) as StripeCall[];
}

export async function checkout(holdId: string, token: string, headers: Record<string, string> = {}) {
  const response = await call("POST", `/api/v1/holds/${holdId}/checkout`, { token, headers });
  return { response, body: await json(response) };
}
