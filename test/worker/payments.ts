import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { z } from "zod";
import { Checkout, ErrorBody, WebhookReceipt } from "../../src/contract/responses";
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

/** What the webhook did with a delivered Stripe event (its answer's `outcome`: confirmed, duplicate, …). */
export async function outcomeOf(delivered: Response | Promise<Response>): Promise<string> {
  return (await json(await delivered, WebhookReceipt)).outcome;
}

/** Anything that names an order and its PaymentIntent: a checkout's answer or an order's view. */
export interface PayableOrder {
  orderId: string;
  totalCents: number;
  currency: string;
  payment: { paymentIntentId: string | null } | null;
}

export function intentEvent(
  type: "payment_intent.succeeded" | "payment_intent.payment_failed",
  order: PayableOrder,
  overrides: { amount?: number; currency?: string; id?: string } = {},
) {
  const paymentIntentId = order.payment?.paymentIntentId;
  if (!paymentIntentId) throw new Error(`order ${order.orderId} has no PaymentIntent (a free order?)`);
  return {
    id: overrides.id ?? `evt_test_${Date.now().toString(36)}${(counter++).toString(36)}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: paymentIntentId,
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

/** One call the Stripe test server received (test/stripe-server.ts), its form body parsed; other params kept. */
export const StripeCall = z.object({
  method: z.string(),
  path: z.string(),
  idempotencyKey: z.string().optional(),
  params: z.looseObject({
    amount: z.string().optional(),
    currency: z.string().optional(),
    payment_intent: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  }),
});
export type StripeCallView = z.output<typeof StripeCall>;

export async function stripeCalls(): Promise<StripeCallView[]> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__calls`);
  return z.array(StripeCall).parse(await response.json());
}

/** Checkout's answer, either way: the order to pay (or a free order, confirmed), or the contract's error. */
export const CheckoutAnswer = z.union([Checkout, ErrorBody]);

/** A checkout that awaits a card: `pending`, with its PaymentIntent (a free order's `payment` is null). */
export const PendingCheckout = Checkout.extend({
  status: z.literal("pending"),
  payment: Checkout.shape.payment.unwrap(),
});
export type PendingCheckoutView = z.output<typeof PendingCheckout>;

/**
 * Checks out a hold. Without `schema` the body is what checkout may answer (success or error); with
 * one (e.g. PendingCheckout) the body must match it, whatever the status (a test asserts the status).
 */
export async function checkout(
  holdId: string,
  token: string,
  headers?: Record<string, string>,
): Promise<{ response: Response; body: z.output<typeof CheckoutAnswer> }>;
export async function checkout<S extends z.ZodType>(
  holdId: string,
  token: string,
  headers: Record<string, string>,
  schema: S,
): Promise<{ response: Response; body: z.output<S> }>;
export async function checkout(
  holdId: string,
  token: string,
  headers: Record<string, string> = {},
  schema: z.ZodType = CheckoutAnswer,
): Promise<{ response: Response; body: unknown }> {
  const response = await call("POST", `/api/v1/holds/${holdId}/checkout`, { token, headers });
  return { response, body: await json(response, schema) };
}
