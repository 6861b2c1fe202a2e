import * as z from "zod/mini";
import { money } from "../../pages/format";
import { api } from "./api";
import { say } from "./dom";

/**
 * The organizer page's forms: "Create an event" (a draft in one of the organizer's venues, with a
 * price per section) and refunds of a whole order or of chosen tickets. Each answer is said in the
 * form's own message, which takes focus.
 */

const Created = z.looseObject({ eventId: z.string() });
const Refunded = z.looseObject({ orderId: z.string(), status: z.string(), refundedCents: z.optional(z.number()) });

function tell(message: HTMLElement | null, text: string, kind: "info" | "error" | "success"): void {
  if (!message) return;
  say(message, text, kind);
  message.focus();
}

/** A datetime-local value ("2027-06-14T19:30", the organizer's own time) as an ISO instant. */
const instant = (local: string): string => new Date(local).toISOString();

function wireCreate(form: HTMLFormElement): void {
  const venue = form.querySelector<HTMLSelectElement>("#create-venue");
  const showPrices = () => {
    for (const set of form.querySelectorAll<HTMLFieldSetElement>("[data-prices-for]")) {
      const shown = set.dataset.pricesFor === venue?.value;
      set.hidden = !shown;
      set.disabled = !shown;
    }
  };
  venue?.addEventListener("change", showPrices);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = form.querySelector<HTMLElement>("#create-message");
    const data = new FormData(form);
    const prices: Record<string, number> = {};
    for (const input of form.querySelectorAll<HTMLInputElement>("fieldset:not([disabled]) [data-section-id]")) {
      prices[input.dataset.sectionId!] = Math.round(Number(input.value) * 100);
    }
    const body = {
      venueId: String(data.get("venueId")),
      title: String(data.get("title")),
      category: String(data.get("category")),
      startsAt: instant(String(data.get("startsAt"))),
      onSaleAt: instant(String(data.get("onSaleAt"))),
      currency: String(data.get("currency")).toUpperCase(),
      prices,
    };
    const result = await api("POST", "/api/v1/admin/events", Created, { body });
    if (!result.ok) {
      const issues = Array.isArray(result.details.issues)
        ? result.details.issues
            .map((i) => (typeof i === "object" && i && "path" in i ? `${String(i.path)}: ${String(i.message)}` : ""))
            .filter(Boolean)
            .join("; ")
        : "";
      tell(message, `${result.message}${issues ? ` (${issues})` : ""}`, "error");
      return;
    }
    tell(message, "Created as a draft. Loading it…", "success");
    location.assign(`/organizer#t-${encodeURIComponent(result.data.eventId)}`);
    location.reload();
  });
}

async function refund(button: HTMLButtonElement): Promise<void> {
  const orderId = button.dataset.orderId!;
  const item = button.closest<HTMLElement>("li[data-order-id]");
  const message = item?.querySelector<HTMLElement>("[data-refund-message]") ?? null;
  const ticketIds =
    button.dataset.refund === "tickets"
      ? [...(item?.querySelectorAll<HTMLInputElement>("[data-refund-ticket]:checked") ?? [])].map((i) => i.value)
      : undefined;
  if (ticketIds?.length === 0) {
    tell(message, "Choose the tickets to refund first.", "error");
    return;
  }
  button.disabled = true;
  if (message) say(message, "Refunding…");
  const result = await api("POST", `/api/v1/admin/orders/${encodeURIComponent(orderId)}/refund`, Refunded, {
    body: ticketIds ? { ticketIds } : {},
  });
  button.disabled = false;
  if (!result.ok) {
    tell(message, result.message, "error");
    return;
  }
  if (item) item.dataset.orderStatus = result.data.status;
  for (const input of item?.querySelectorAll<HTMLInputElement>("[data-refund-ticket]:checked") ?? []) {
    input.checked = false;
    if (ticketIds) input.disabled = true;
  }
  const amount = result.data.refundedCents;
  const currency = item?.dataset.currency;
  tell(
    message,
    `Refund started: the order is ${result.data.status.replace("_", " ")}${amount !== undefined && currency ? `, ${money(amount, currency)} refunded so far` : ""}.`,
    "success",
  );
}

export function wireForms(): void {
  const form = document.getElementById("create-event");
  if (form instanceof HTMLFormElement) wireCreate(form);
  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target instanceof HTMLButtonElement && target.dataset.refund) void refund(target);
  });
}
