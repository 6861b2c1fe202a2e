import Stripe from "stripe";
import { noteSignal } from "../alerts/signals";
import { settingsFrom } from "../config";

/** What Stripe says about a PaymentIntent: enough to settle an order whose webhook never came. */
export interface IntentRecord {
  id: string;
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  /** The refunded total of its charge (`latest_charge.amount_refunded`). */
  amountRefunded: number;
}

/** What checkout and refunds need from a payment provider; Stripe, or simulated locally. */
export interface PaymentGateway {
  readonly simulated: boolean;
  createPaymentIntent(input: {
    amountCents: number;
    currency: string;
    metadata: Record<string, string>;
    idempotencyKey: string;
  }): Promise<{ id: string; clientSecret: string }>;
  /** Refunds the whole payment, or `amountCents` of it. A charge already refunded counts as done. */
  refund(input: {
    paymentIntentId: string;
    amountCents?: number;
    idempotencyKey: string;
  }): Promise<{ id: string; status: string }>;
  /** Cancels a PaymentIntent that was not paid; one already cancelled or paid is left as it is. */
  cancel(input: { paymentIntentId: string; idempotencyKey: string }): Promise<{ status: string }>;
  /** Stripe's record of a PaymentIntent; undefined when Stripe has none by that id. */
  retrieve(paymentIntentId: string): Promise<IntentRecord | undefined>;
}

export const SIMULATED_PREFIX = "pi_sim_";

/** A Stripe error that says the thing asked for is already so. */
const alreadyDone = (error: unknown, codes: string[]): boolean =>
  error instanceof Stripe.errors.StripeError && codes.includes(error.code ?? "");

function stripeGateway(secretKey: string, apiBase: string | undefined, timeoutMs: number): PaymentGateway {
  const base = apiBase ? new URL(apiBase) : undefined;
  const stripe = new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: timeoutMs,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
  });
  // The alert rules' Stripe error rate: every answer Stripe gave, and those that were its fault (5xx, 429).
  stripe.on("response", (event: Stripe.ResponseEvent) => {
    noteSignal("stripe_call");
    if (event.status >= 500 || event.status === 429) noteSignal("stripe_error");
  });
  return {
    simulated: false,
    async createPaymentIntent({ amountCents, currency, metadata, idempotencyKey }) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: amountCents,
          currency: currency.toLowerCase(),
          metadata,
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey },
      );
      if (!intent.client_secret) throw new Error("Stripe returned a PaymentIntent without a client secret");
      return { id: intent.id, clientSecret: intent.client_secret };
    },
    async refund({ paymentIntentId, amountCents, idempotencyKey }) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: paymentIntentId, ...(amountCents !== undefined && { amount: amountCents }) },
          { idempotencyKey },
        );
        return { id: refund.id, status: refund.status ?? "pending" };
      } catch (error) {
        // Nothing (or less than asked) is left to give back: our refunds only ever name sold tickets
        // or "the rest", so another of ours (a full refund, a retry) has already paid this back.
        if (alreadyDone(error, ["charge_already_refunded", "amount_too_large"])) return { id: "", status: "succeeded" };
        // Stripe has no such payment (a forged or foreign id): there is no money to give back.
        if (alreadyDone(error, ["resource_missing"])) return { id: "", status: "missing" };
        throw error;
      }
    },
    async cancel({ paymentIntentId, idempotencyKey }) {
      try {
        const intent = await stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey });
        return { status: intent.status };
      } catch (error) {
        if (alreadyDone(error, ["payment_intent_unexpected_state"])) {
          return { status: (await stripe.paymentIntents.retrieve(paymentIntentId)).status };
        }
        throw error;
      }
    },
    async retrieve(paymentIntentId) {
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge"] });
      } catch (error) {
        if (alreadyDone(error, ["resource_missing"])) return undefined;
        throw error;
      }
      const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
      return {
        id: intent.id,
        status: intent.status,
        amount: intent.amount,
        currency: intent.currency,
        metadata: intent.metadata ?? {},
        amountRefunded: charge?.amount_refunded ?? 0,
      };
    },
  };
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Local development without a Stripe account: intents are named `pi_sim_...` (derived from the
 * idempotency key, so a retried checkout gets the same one) and the pay page sends a signed
 * `payment_intent.succeeded` to our own webhook, which treats it like Stripe's. There is no
 * record to ask: a simulated intent is reported as still awaiting payment.
 */
const simulatedGateway: PaymentGateway = {
  simulated: true,
  async createPaymentIntent({ idempotencyKey }) {
    const id = `${SIMULATED_PREFIX}${await digest(idempotencyKey)}`;
    return { id, clientSecret: `${id}_secret_${await digest(`secret:${idempotencyKey}`)}` };
  },
  async refund({ idempotencyKey }) {
    return { id: `re_sim_${await digest(idempotencyKey)}`, status: "succeeded" };
  },
  async cancel() {
    return { status: "canceled" };
  },
  async retrieve(paymentIntentId) {
    return {
      id: paymentIntentId,
      status: "requires_payment_method",
      amount: 0,
      currency: "",
      metadata: {},
      amountRefunded: 0,
    };
  },
};

/**
 * Stripe when a key is set; simulated payments only in local development; otherwise none
 * (checkout answers 503 PAYMENTS_UNAVAILABLE rather than pretend to take money).
 */
export function paymentGateway(env: Env): PaymentGateway | undefined {
  const { stripe, isDevelopment } = settingsFrom(env);
  if (stripe.secretKey) return stripeGateway(stripe.secretKey, stripe.apiBase, stripe.timeoutMs);
  return isDevelopment ? simulatedGateway : undefined;
}
