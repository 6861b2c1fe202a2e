import * as z from "zod/mini";
import { api } from "./lib/api";
import { byId, pageData, say } from "./lib/dom";
import { Checkout, OrderStatus } from "./lib/schemas";
import { keys, load, save } from "./lib/storage";

/**
 * The pay page. Simulated payments (local development): "Pay" or "Decline" asks the server to
 * deliver the matching signed webhook, then "Pay" goes on to the order page. Stripe: the Payment
 * Element, confirmed with a return to the order page (which waits for the webhook).
 */

const Data = z.object({
  orderId: z.string(),
  holdId: z.string(),
  mode: z.enum(["simulated", "stripe", "unconfigured"]),
  publishableKey: z.nullable(z.string()),
});
const data = pageData(Data);
const message = byId("pay-message");
const orderUrl = `/orders/${encodeURIComponent(data.orderId)}`;

interface StripeElements {
  create(type: "payment"): { mount(selector: string): void; on(event: "ready", handler: () => void): void };
}
interface StripeClient {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeClient;
  }
}

function simulated(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-result]")) {
    button.addEventListener("click", async () => {
      for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-result]")) b.disabled = true;
      say(message, button.dataset.result === "succeed" ? "Paying…" : "Declining…");
      const result = await api("POST", location.pathname, OrderStatus, { body: { result: button.dataset.result } });
      if (!result.ok) {
        say(message, result.message, "error");
        for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-result]")) b.disabled = false;
        return;
      }
      byId("status").textContent = result.data.status;
      if (result.data.status === "confirmed") {
        say(message, "Paid. Fetching your tickets…", "success");
        location.assign(orderUrl);
      } else if (result.data.status === "failed") {
        say(message, "The payment was declined and your seats were released.", "error");
      } else say(message, `The order is ${result.data.status}.`);
    });
  }
}

/** The PaymentIntent's client secret: kept by the event page at checkout, else asked again (idempotent). */
async function clientSecret(): Promise<string | undefined> {
  const kept = load(keys.payment(data.orderId), z.string());
  if (kept) return kept;
  const again = await api("POST", `/api/v1/holds/${encodeURIComponent(data.holdId)}/checkout`, Checkout, {
    idempotencyKey: `checkout-${data.holdId}`,
  });
  const secret = again.ok ? again.data.payment.clientSecret : undefined;
  if (secret) save(keys.payment(data.orderId), secret);
  return secret;
}

async function stripe(): Promise<void> {
  const form = byId<HTMLFormElement>("stripe-form");
  const button = byId<HTMLButtonElement>("stripe-pay");
  const factory = window.Stripe;
  const secret = await clientSecret();
  if (!factory || !data.publishableKey || !secret) {
    say(message, "The card form could not be loaded. Reload the page to try again.", "error");
    return;
  }
  const client = factory(data.publishableKey);
  const elements = client.elements({ clientSecret: secret });
  const element = elements.create("payment");
  element.on("ready", () => {
    button.disabled = false;
  });
  element.mount("#payment-element");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    say(message, "Paying…");
    const { error } = await client.confirmPayment({
      elements,
      confirmParams: { return_url: new URL(orderUrl, location.origin).href },
    });
    // Only reached on an error: on success Stripe goes to return_url.
    say(message, error?.message ?? "The payment did not go through.", "error");
    button.disabled = false;
  });
}

if (data.mode === "simulated") simulated();
else if (data.mode === "stripe" && document.getElementById("stripe-form")) void stripe();
