import Stripe from "stripe";
import { z } from "zod";

/**
 * Stripe webhook events: verified with the SDK (SubtleCrypto in workerd), then parsed with zod —
 * only the fields we act on, so that Stripe adding fields changes nothing.
 */

const cryptoProvider = Stripe.createSubtleCryptoProvider();

const PaymentIntentObject = z.object({
  id: z.string(),
  amount: z.number().int(),
  amount_received: z.number().int().optional(),
  currency: z.string(),
  metadata: z.record(z.string(), z.string()).default({}),
  last_payment_error: z
    .object({ message: z.string().max(2000).optional() })
    .nullable()
    .optional(),
});

const ChargeObject = z.object({
  id: z.string(),
  payment_intent: z.string().nullable(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  refunded: z.boolean(),
});

const RefundObject = z.object({
  id: z.string(),
  payment_intent: z.string().nullable(),
  status: z.string().nullable(),
  amount: z.number().int(),
});

export const WebhookEvent = z.discriminatedUnion("type", [
  z.object({
    id: z.string(),
    type: z.literal("payment_intent.succeeded"),
    data: z.object({ object: PaymentIntentObject }),
  }),
  z.object({
    id: z.string(),
    type: z.literal("payment_intent.payment_failed"),
    data: z.object({ object: PaymentIntentObject }),
  }),
  z.object({ id: z.string(), type: z.literal("charge.refunded"), data: z.object({ object: ChargeObject }) }),
  z.object({ id: z.string(), type: z.literal("refund.updated"), data: z.object({ object: RefundObject }) }),
  z.object({ id: z.string(), type: z.literal("refund.failed"), data: z.object({ object: RefundObject }) }),
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** What every Stripe event is, whatever its type: anything else is refused. */
const Envelope = z.object({ id: z.string().min(1).max(255), type: z.string().min(1).max(255), data: z.object({}) });

export type Verified =
  | { ok: true; event: WebhookEvent | { id: string; type: string; ignored: true } }
  | { ok: false; reason: string; malformed?: boolean };

export async function verifyWebhook(payload: string, signature: string | undefined, secret: string): Promise<Verified> {
  if (!signature) return { ok: false, reason: "missing Stripe-Signature header" };
  let raw: unknown;
  try {
    raw = await Stripe.webhooks.constructEventAsync(payload, signature, secret, undefined, cryptoProvider);
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, reason: "the payload is not JSON", malformed: true };
    return { ok: false, reason: "the signature does not match this payload, or its timestamp is too old" };
  }
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: "the payload is not a Stripe event", malformed: true };
  const event = envelope.data;
  const parsed = WebhookEvent.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const known = WebhookEvent.options.some((o) => o.shape.type.value === event.type);
  if (known) return { ok: false, reason: `malformed ${event.type} event`, malformed: true };
  return { ok: true, event: { id: event.id, type: event.type, ignored: true } };
}

/** Signs a payload the way Stripe does: used by the simulated pay page and by tests. */
export function signWebhook(payload: string, secret: string): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider });
}
