import * as z from "zod/mini";
import { countdown } from "../../pages/format";
import { api } from "./api";
import { byId } from "./dom";
import { showHeld } from "./event-ui";
import { HoldClock } from "./hold-clock";
import { Checkout, Hold } from "./schemas";
import { forget, keys, load, save } from "./storage";

export interface HoldPanelOptions {
  eventId: string;
  /** Each item's words ("Section A, row 1, seat 3"; "Floor × 2"). */
  labels: (hold: Hold) => string[];
  /** Marks seats on the map as the fan's own hold (or not). */
  setMine: (seatIds: string[], mine: boolean) => void;
  say: (text: string, kind?: "info" | "error" | "success") => void;
  /** Says something and moves focus to it. */
  tell: (text: string, kind?: "info" | "error" | "success") => void;
  /** The hold is over: the page goes back to choosing. */
  onEnd: () => void;
  /** An event with several ticket types: what a price is made of, shown under each held line. */
  madeOf?: (unit: { breakdown: { baseCents: number; feesCents: number; taxCents: number } }) => string;
}

const seatIdsOf = (h: Hold): string[] => h.items.flatMap((i) => (i.seatId ? [i.seatId] : []));

/**
 * The event page's held state: the held seats, a countdown to `expiresAt` (announced at real
 * thresholds, see HoldClock), "Checkout" on to the pay page, and "Release". Kept in the tab's
 * storage so that a reload shows it again while it lasts.
 */
export class HoldPanel {
  hold: Hold | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private clock: HoldClock | undefined;
  private readonly checkoutButton = byId<HTMLButtonElement>("checkout");

  constructor(private readonly o: HoldPanelOptions) {
    this.checkoutButton.addEventListener("click", () => void this.checkout());
    byId("release").addEventListener("click", () => void this.release());
    byId("extend-hold").addEventListener("click", () => void this.extend());
  }

  show(h: Hold): void {
    if (h.holdId !== this.hold?.holdId) byId("extend-hold").hidden = false;
    this.hold = h;
    save(keys.hold(this.o.eventId), h);
    this.o.setMine(seatIdsOf(h), true);
    showHeld(h, this.o.labels(h), this.o.madeOf);
    const clock = byId("countdown");
    clock.dataset.expiresAt = h.expiresAt;
    clock.setAttribute("datetime", h.expiresAt);
    byId("selection-panel").hidden = true;
    byId("hold-panel").hidden = false;
    this.checkoutButton.disabled = false;
    this.clock = new HoldClock((Date.parse(h.expiresAt) - Date.now()) / 1000);
    this.tick();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1000);
  }

  focus(): void {
    this.checkoutButton.focus();
  }

  private tick(): void {
    if (!this.hold) return;
    const left = (Date.parse(this.hold.expiresAt) - Date.now()) / 1000;
    byId("countdown").textContent = countdown(Math.ceil(left));
    const due = this.clock?.announce(left);
    if (due) byId("countdown-announce").textContent = due;
    if (left <= 0) this.end("Your hold expired and the seats went back on sale. You can choose again.");
  }

  end(text: string): void {
    if (this.hold) this.o.setMine(seatIdsOf(this.hold), false);
    this.hold = undefined;
    clearInterval(this.timer);
    forget(keys.hold(this.o.eventId));
    delete byId("countdown").dataset.expiresAt;
    byId("countdown-announce").textContent = "";
    byId("hold-panel").hidden = true;
    byId("selection-panel").hidden = false;
    this.o.onEnd();
    this.o.tell(text);
  }

  private async checkout(): Promise<void> {
    const hold = this.hold;
    if (!hold) return;
    const button = this.checkoutButton;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    this.o.say("Starting checkout…");
    const result = await api("POST", `/api/v1/holds/${encodeURIComponent(hold.holdId)}/checkout`, Checkout, {
      idempotencyKey: `checkout-${hold.holdId}`,
    });
    button.removeAttribute("aria-busy");
    if (result.ok) {
      const payment = result.data.payment;
      if (payment?.clientSecret) save(keys.payment(result.data.orderId), payment.clientSecret);
      forget(keys.hold(this.o.eventId));
      // A free order is confirmed at checkout: straight to its tickets.
      const orderId = encodeURIComponent(result.data.orderId);
      location.assign(payment ? `/pay/${orderId}` : `/orders/${orderId}`);
      return;
    }
    button.disabled = false;
    const orderId = result.details.orderId;
    if (result.code === "HOLD_NOT_ACTIVE" && typeof orderId === "string") {
      location.assign(`/orders/${encodeURIComponent(orderId)}`);
    } else if (result.code === "HOLD_EXPIRED" || result.code === "NOT_FOUND") {
      this.end("Your hold has expired. Please choose again.");
    } else this.o.tell(result.message, "error");
  }

  /** POST …/extend (allowed a set number of times per hold): the countdown restarts from the new expiry. */
  private async extend(): Promise<void> {
    if (!this.hold) return;
    const button = byId<HTMLButtonElement>("extend-hold");
    const result = await api("POST", `/api/v1/holds/${encodeURIComponent(this.hold.holdId)}/extend`, Hold);
    if (result.ok) {
      this.show(result.data);
      this.o.tell(
        `Extended: you now have ${countdown((Date.parse(result.data.expiresAt) - Date.now()) / 1000)}.`,
        "success",
      );
      return;
    }
    button.hidden = true;
    this.checkoutButton.focus();
    this.o.say(result.code === "EXTENSION_LIMIT" ? "This hold cannot be extended again." : result.message, "error");
  }

  private async release(): Promise<void> {
    if (!this.hold) return;
    const result = await api("DELETE", `/api/v1/holds/${encodeURIComponent(this.hold.holdId)}`, z.unknown());
    if (result.ok || result.code === "HOLD_EXPIRED" || result.code === "NOT_FOUND") {
      this.end("Released. The seats are back on sale.");
    } else this.o.tell(result.message, "error");
  }

  /** A hold made before a reload comes back while it lasts (and is still held). */
  restore(): void {
    const stored = load(keys.hold(this.o.eventId), Hold);
    if (!stored) return;
    if (Date.parse(stored.expiresAt) <= Date.now()) {
      forget(keys.hold(this.o.eventId));
      return;
    }
    void api("GET", `/api/v1/holds/${encodeURIComponent(stored.holdId)}`, Hold).then((result) => {
      if (result.ok && result.data.status === "held") this.show(result.data);
      else forget(keys.hold(this.o.eventId));
    });
  }
}
