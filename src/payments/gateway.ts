import Stripe from "stripe";

/** What checkout and refunds need from a payment provider; Stripe, or simulated locally. */
export interface PaymentGateway {
  readonly simulated: boolean;
  createPaymentIntent(input: {
    amountCents: number;
    currency: string;
    metadata: Record<string, string>;
    idempotencyKey: string;
  }): Promise<{ id: string; clientSecret: string }>;
  refund(input: { paymentIntentId: string; idempotencyKey: string }): Promise<{ id: string; status: string }>;
}

export const SIMULATED_PREFIX = "pi_sim_";

function stripeGateway(secretKey: string, apiBase: string | undefined): PaymentGateway {
  const base = apiBase ? new URL(apiBase) : undefined;
  const stripe = new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
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
    async refund({ paymentIntentId, idempotencyKey }) {
      const refund = await stripe.refunds.create({ payment_intent: paymentIntentId }, { idempotencyKey });
      return { id: refund.id, status: refund.status ?? "pending" };
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
 * `payment_intent.succeeded` to our own webhook, which treats it like Stripe's.
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
};

export function paymentGateway(env: Env): PaymentGateway {
  const key = env.STRIPE_SECRET_KEY?.trim();
  return key ? stripeGateway(key, env.STRIPE_API_BASE?.trim() || undefined) : simulatedGateway;
}
