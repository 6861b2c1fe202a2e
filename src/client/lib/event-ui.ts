import { money } from "../../pages/format";
import type { FailureCode } from "./api";
import { byId, el } from "./dom";
import type { Hold } from "./schemas";

type Breakdown = { baseCents: number; feesCents: number; taxCents: number };

/** The event page's DOM updates that hold no state of their own (src/client/event.ts decides). */

export interface Line {
  label: string;
  cents: number;
  /** Absent for a line that goes with the others (the order fee). */
  remove?: () => void;
  /** Shown under the line: a ticket type chooser, what the price is made of. */
  extra?: Node[];
}

/**
 * The selection's lines, each with a "Remove" named after its seat. A control under a line that had
 * focus (a type chooser: `data-focus-key`) has it again after the lines are drawn anew.
 */
export function showLines(items: Line[], currency: string, onRemove: (index: number, line: Line) => void): void {
  const focused = document.activeElement?.getAttribute("data-focus-key");
  byId("selection").replaceChildren(
    ...items.map((line, index) => {
      let button: HTMLElement = el("span");
      if (line.remove) {
        button = el("button", { type: "button", class: "link", "aria-label": `Remove ${line.label}` }, "Remove");
        button.addEventListener("click", () => onRemove(index, line));
      }
      return el(
        "li",
        {},
        el("span", {}, line.label),
        el("span", { class: "price" }, money(line.cents, currency)),
        button,
        ...(line.extra ? [el("div", { class: "line-extra" }, ...line.extra)] : []),
      );
    }),
  );
  if (focused) document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
}

/** The held lines; `madeOf` (an event with several types) adds what each price is made of, the order fee and the voucher. */
export function showHeld(h: Hold, labels: string[], madeOf?: (unit: { breakdown: Breakdown }) => string): void {
  const line = (label: string, cents: number, detail?: string) =>
    el(
      "li",
      {},
      el("span", {}, label),
      el("span", { class: "price" }, money(cents, h.currency)),
      ...(detail ? [el("span", { class: "line-extra breakdown muted small" }, detail)] : []),
    );
  const each = (priceCents: number, quantity: number) =>
    quantity > 1 ? `${money(priceCents, h.currency)} each: ` : "";
  byId("held-lines").replaceChildren(
    ...h.items.map((item, i) =>
      line(
        labels[i] ?? "",
        item.priceCents * item.quantity,
        madeOf && item.breakdown && `${each(item.priceCents, item.quantity)}${madeOf({ breakdown: item.breakdown })}`,
      ),
    ),
    ...(madeOf && h.orderFee ? [line("Order fee", h.orderFee.priceCents, madeOf(h.orderFee))] : []),
    ...(madeOf && h.voucher
      ? [el("li", { class: "voucher-line" }, el("span", {}, `Voucher ${h.voucher} applied`))]
      : []),
  );
  byId("held-count").textContent = `Held: ${labels.join("; ")}`;
  byId("held-total").textContent = money(h.totalCents, h.currency);
}

/** "N left" wherever a section's count shows (overview, captions, standing), as the live map says. */
export function showCounts(live: Map<string, number>, known: Map<string, number>, perOrder: number): void {
  for (const [sectionId, left] of live) {
    if (known.get(sectionId) === left) continue;
    known.set(sectionId, left);
    const id = CSS.escape(sectionId);
    for (const element of document.querySelectorAll<HTMLElement>(`[data-left-of="${id}"]`)) {
      element.textContent = `${left} left`;
    }
    const meter = document.querySelector<HTMLMeterElement>(`[data-meter-of="${id}"]`);
    if (meter) meter.value = left;
    for (const input of document.querySelectorAll<HTMLInputElement>(`[data-ga-quantity="${id}"]`)) {
      input.max = String(Math.min(left, perOrder));
    }
  }
}

/** On a phone the pinned bar's selection and held seats open and close with these buttons. */
export function wireToggles(): void {
  for (const [toggle, panel] of [
    ["selection-toggle", "selection-panel"],
    ["held-toggle", "hold-panel"],
  ] as const) {
    const button = byId(toggle);
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      byId(panel).classList.toggle("open", open);
    });
  }
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** What to say after a hold was refused (other than for taken seats), and where to go, if anywhere. */
export function refusal(
  code: FailureCode,
  message: string,
  details: Record<string, unknown>,
  o: { retryAfter?: number | undefined; queueUrl: string; signIn: string | null },
): { text: string; go?: string } {
  switch (code) {
    case "QUEUE_REQUIRED": {
      const url = details.queueUrl;
      const go = typeof url === "string" && url.startsWith("/") ? url : o.queueUrl;
      return { text: "This event has a waiting room: taking you to the line…", go };
    }
    case "UNAUTHENTICATED":
      return o.signIn
        ? { text: "Sign in to hold seats: taking you there…", go: o.signIn }
        : { text: "Sign in to hold seats." };
    case "RATE_LIMITED":
      return { text: `Too many tries just now. Try again in ${o.retryAfter ?? 10} seconds.` };
    default:
      return { text: message };
  }
}
