import type { User } from "../http/context";
import { money } from "./format";
import { Layout } from "./layout";
import { STRIPE_JS } from "./page-context";

export interface PayPageData {
  orderId: string;
  holdId: string;
  eventId: string;
  mode: "simulated" | "stripe" | "unconfigured";
  publishableKey: string | null;
}

export interface PayPageProps {
  user: User;
  order: { id: string; holdId: string; eventId: string; status: string; totalCents: number; currency: string };
  simulated: boolean;
  publishableKey: string | undefined;
}

/**
 * Payment: simulated in local development (the "Pay" button asks the server to deliver a signed
 * payment_intent.succeeded to our own webhook, then goes to the order page), or Stripe's Payment
 * Element when a publishable key is configured (Stripe.js is loaded only then).
 */
export function PayPage({ user, order, simulated, publishableKey }: PayPageProps) {
  const mode = simulated ? "simulated" : publishableKey ? "stripe" : "unconfigured";
  const data: PayPageData = {
    orderId: order.id,
    holdId: order.holdId,
    eventId: order.eventId,
    mode,
    publishableKey: mode === "stripe" ? (publishableKey ?? null) : null,
  };
  const pending = order.status === "pending";
  return (
    <Layout
      title="Pay for your order"
      user={user}
      scripts={["pay.js"]}
      externalScripts={mode === "stripe" && pending ? [`${STRIPE_JS}/v3/`] : []}
      data={data}
    >
      <section class="card narrow pay" aria-labelledby="pay-heading">
        <p class="eyebrow">Checkout</p>
        <h1 id="pay-heading">Pay {money(order.totalCents, order.currency)}</h1>
        <p>
          Order <code>{order.id}</code> — status <strong id="status">{order.status}</strong>
        </p>
        {pending && (
          <div class="pay-hold" id="pay-hold">
            <h2 class="small-heading">Your seats</h2>
            <ul id="pay-lines" class="lines">
              <li class="muted">Loading your seats…</li>
            </ul>
            <p class="countdown-line" id="pay-countdown-line" hidden>
              Held for <time id="countdown" class="countdown" aria-live="off" />
              <span class="visually-hidden" id="countdown-announce" aria-live="polite" />
            </p>
            <button type="button" id="extend" class="link" hidden>
              Need more time? Extend the hold
            </button>
          </div>
        )}
        {!pending ? (
          <p>
            <a class="button" href={`/orders/${order.id}`}>
              See your order
            </a>
          </p>
        ) : mode === "simulated" ? (
          <>
            <p class="notice">Local development: this is a simulated payment. No card is charged.</p>
            <div class="actions">
              <button type="button" id="pay" class="primary" data-result="succeed">
                Pay
              </button>
              <button type="button" id="decline" class="secondary" data-result="fail">
                Decline
              </button>
            </div>
          </>
        ) : mode === "stripe" ? (
          <form id="stripe-form" class="stripe-form">
            <div id="payment-element" />
            <button type="submit" id="stripe-pay" class="primary wide" disabled>
              Pay
            </button>
          </form>
        ) : (
          <p class="notice">
            This order is paid through Stripe's Payment Element, and this site has no Stripe publishable key
            (STRIPE_PUBLISHABLE_KEY) configured.
          </p>
        )}
        <p id="pay-message" class="message" role="status" aria-live="polite" tabindex={-1} />
        <p id="pay-back" hidden>
          <a class="button" href={`/events/${order.eventId}`}>
            Back to the event
          </a>
        </p>
      </section>
    </Layout>
  );
}
