import * as z from "zod/mini";
import { sectionOfSeat } from "../domain/seat-map";
import { countdown, money, seatName } from "../pages/format";
import { api } from "./lib/api";
import { byId, el, pageData, say } from "./lib/dom";
import { HoldClock } from "./lib/hold-clock";
import { Checkout, Hold, OrderStatus } from "./lib/schemas";
import { keys, load, save } from "./lib/storage";

/**
 * The pay page. Simulated payments (local development): "Pay" or "Decline" asks the server to
 * deliver the matching signed webhook, then "Pay" goes on to the order page. Stripe: the Payment
 * Element, confirmed with a return to the order page (which waits for the webhook). Both show the
 * held seats with the hold's countdown and "extend"; a declined card may be retried while the hold
 * lasts, and after it the page leads back to the event.
 */

const Data = z.object({
  orderId: z.string(),
  holdId: z.string(),
  eventId: z.string(),
  mode: z.enum(["simulated", "stripe", "unconfigured"]),
  publishableKey: z.nullable(z.string()),
});
const data = pageData(Data);
const message = byId("pay-message");
/** Says something and moves focus to it (the control that was pressed may be gone or disabled). */
const tell = (text: string, kind: "info" | "error" | "success" = "info") => {
  say(message, text, kind);
  message.focus();
};
const payButtons = () => document.querySelectorAll<HTMLButtonElement>("button[data-result], #stripe-pay");
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
      for (const b of payButtons()) b.disabled = true;
      say(message, button.dataset.result === "succeed" ? "Paying…" : "Declining…");
      const result = await api("POST", location.pathname, OrderStatus, { body: { result: button.dataset.result } });
      if (!result.ok) {
        for (const b of payButtons()) b.disabled = false;
        tell(result.message, "error");
        return;
      }
      byId("status").textContent = result.data.status;
      if (result.data.status === "confirmed") {
        say(message, "Paid. Fetching your tickets…", "success");
        location.assign(orderUrl);
      } else if (result.data.status === "pending" && holdLasts()) {
        // The card was declined and the hold stands: another card may be tried until it ends.
        for (const b of payButtons()) b.disabled = false;
        byId("pay").textContent = "Pay with another card";
        tell("Your card was declined. Try another card: your seats stay held until the timer runs out.", "error");
      } else if (result.data.status === "failed" || result.data.status === "pending") {
        over("The payment was declined and your seats were released. You can choose seats again.");
      } else tell(`The order is ${result.data.status}.`);
    });
  }
}

// ------------------------------------------------------------------ the hold: seats, countdown, extend

let expiresAt: number | undefined;
let clock: HoldClock | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

const holdLasts = () => expiresAt !== undefined && expiresAt > Date.now();

/** Paying is no longer possible (the hold ended, or the payment failed for good): back to the event. */
function over(text: string): void {
  expiresAt = undefined;
  clearInterval(timer);
  for (const b of payButtons()) b.disabled = true;
  byId("extend").hidden = true;
  byId("pay-back").hidden = false;
  tell(text, "error");
}

function startClock(iso: string): void {
  expiresAt = Date.parse(iso);
  const time = byId("countdown");
  time.dataset.expiresAt = iso;
  time.setAttribute("datetime", iso);
  byId("pay-countdown-line").hidden = false;
  clock = new HoldClock((expiresAt - Date.now()) / 1000);
  clearInterval(timer);
  tick();
  timer = setInterval(tick, 1000);
}

function tick(): void {
  if (expiresAt === undefined) return;
  const left = (expiresAt - Date.now()) / 1000;
  byId("countdown").textContent = countdown(Math.ceil(left));
  const due = clock?.announce(left);
  if (due) byId("countdown-announce").textContent = due;
  if (left <= 0) over("Your hold ran out and the seats went back on sale.");
}

const EventInfo = z.looseObject({ sections: z.array(z.looseObject({ id: z.string(), name: z.string() })) });

async function showHold(): Promise<void> {
  if (!document.getElementById("pay-hold")) return;
  const [hold, event] = await Promise.all([
    api("GET", `/api/v1/holds/${encodeURIComponent(data.holdId)}`, Hold),
    api("GET", `/api/v1/events/${encodeURIComponent(data.eventId)}`, EventInfo),
  ]);
  if (!hold.ok) {
    byId("pay-lines").replaceChildren(el("li", {}, "Your seats could not be loaded."));
    return;
  }
  const name = (id: string | undefined) => (event.ok ? event.data.sections.find((s) => s.id === id)?.name : undefined);
  const h = hold.data;
  byId("pay-lines").replaceChildren(
    ...h.items.map((item) =>
      el(
        "li",
        {},
        el(
          "span",
          {},
          item.seatId
            ? seatName(item.seatId, name(sectionOfSeat(item.seatId)))
            : `${name(item.sectionId) ?? item.sectionId} × ${item.quantity}`,
        ),
        el("span", { class: "price" }, money(item.priceCents * item.quantity, h.currency)),
      ),
    ),
  );
  if (h.status === "held" || h.status === "checkout") {
    startClock(h.expiresAt);
    // Offered while the hold lives; the room answers EXTENSION_LIMIT once the event's allowance is used.
    byId("extend").hidden = false;
  } else if (h.status === "expired" || h.status === "released") {
    over("This hold has ended and its seats went back on sale.");
  }
}

async function extend(): Promise<void> {
  const button = byId<HTMLButtonElement>("extend");
  button.disabled = true;
  const result = await api("POST", `/api/v1/holds/${encodeURIComponent(data.holdId)}/extend`, Hold);
  button.disabled = false;
  if (result.ok) {
    startClock(result.data.expiresAt);
    tell(
      `Extended: you now have ${countdown((Date.parse(result.data.expiresAt) - Date.now()) / 1000)} to pay.`,
      "success",
    );
    return;
  }
  button.hidden = true;
  tell(
    result.code === "EXTENSION_LIMIT"
      ? "This hold cannot be extended again."
      : `The hold could not be extended: ${result.message}`,
    "error",
  );
}

/** The PaymentIntent's client secret: kept by the event page at checkout, else asked again (idempotent). */
async function clientSecret(): Promise<string | undefined> {
  const kept = load(keys.payment(data.orderId), z.string());
  if (kept) return kept;
  const again = await api("POST", `/api/v1/holds/${encodeURIComponent(data.holdId)}/checkout`, Checkout, {
    idempotencyKey: `checkout-${data.holdId}`,
  });
  const secret = again.ok ? again.data.payment?.clientSecret : undefined;
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
    button.disabled = !holdLasts();
    tell(`${error?.message ?? "The payment did not go through."}${holdLasts() ? " Try another card." : ""}`, "error");
  });
}

document.getElementById("extend")?.addEventListener("click", () => void extend());
void showHold();
if (data.mode === "simulated") simulated();
else if (data.mode === "stripe" && document.getElementById("stripe-form")) void stripe();
