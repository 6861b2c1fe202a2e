import * as z from "zod/mini";
import { LiveSeatMap } from "../live/client";
import { countdown, money, seatName } from "../pages/format";
import { accessFor } from "./lib/access";
import { api, newIdempotencyKey } from "./lib/api";
import { byId, el, pageData, say } from "./lib/dom";
import { Checkout, Hold } from "./lib/schemas";
import { SeatMapView } from "./lib/seat-map-view";
import { forget, keys, load, save } from "./lib/storage";

/**
 * The event page: the live seat map, a selection (seats and standing tickets) with its total,
 * "Hold" with a countdown to the hold's expiry, alternatives when seats were taken, and
 * "Checkout" on to the pay page. Sends visitors to the waiting room when the event has one on.
 */

const Data = z.object({
  eventId: z.string(),
  currency: z.string(),
  perOrder: z.int(),
  queueActive: z.boolean(),
  queueUrl: z.string(),
  signedIn: z.boolean(),
  signIn: z.nullable(z.string()),
  sections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["seated", "ga"]),
      priceCents: z.int(),
      available: z.int(),
    }),
  ),
});

const StoredSelection = z.object({ seats: z.array(z.string()), ga: z.record(z.string(), z.int()) });

const data = pageData(Data);
const access = accessFor(data.eventId);

if (data.queueActive && !access) {
  // The waiting room is on: take a place in line first; the queue page comes back with a token.
  location.replace(data.queueUrl);
} else {
  start();
}

function start(): void {
  const sections = new Map(data.sections.map((s) => [s.id, s]));
  const selected = new Set<string>();
  const gaQuantities = new Map<string, number>();
  const available = new Map(data.sections.map((s) => [s.id, s.available]));
  let hold: Hold | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let announcedMinute = false;
  let alternatives: { take: string[] } | undefined;

  const message = byId("message");
  const holdButton = byId<HTMLButtonElement>("hold");
  const checkoutButton = byId<HTMLButtonElement>("checkout");
  const liveStatus = byId("live-status");
  const alternativesBox = byId("alternatives");

  const view = new SeatMapView(document, data.sections, data.currency, toggleSeat);

  const count = () => selected.size + [...gaQuantities.values()].reduce((n, q) => n + q, 0);

  function toggleSeat(seatId: string): void {
    if (hold) {
      say(message, "Your seats are held: check out, or release them to choose again.");
      return;
    }
    if (selected.has(seatId)) {
      selected.delete(seatId);
      view.setSelected(seatId, false);
    } else {
      if (view.status(seatId) !== "available") {
        say(message, `${seatName(seatId, view.seatInfo(seatId)?.section.name)} is not available.`);
        return;
      }
      if (count() >= data.perOrder) {
        say(message, `You can hold up to ${data.perOrder} tickets per order.`, "error");
        return;
      }
      selected.add(seatId);
      view.setSelected(seatId, true);
    }
    render();
  }

  function setGa(sectionId: string, wanted: number): void {
    const others = count() - (gaQuantities.get(sectionId) ?? 0);
    const max = Math.max(0, Math.min(available.get(sectionId) ?? 0, data.perOrder - others));
    const quantity = Math.max(0, Math.min(Number.isFinite(wanted) ? Math.floor(wanted) : 0, max));
    if (wanted > max) say(message, `At most ${max} more for ${sections.get(sectionId)?.name ?? sectionId}.`);
    if (quantity === 0) gaQuantities.delete(sectionId);
    else gaQuantities.set(sectionId, quantity);
    const input = document.querySelector<HTMLInputElement>(`[data-ga-quantity="${CSS.escape(sectionId)}"]`);
    if (input) input.value = String(quantity);
    render();
  }

  function lines(): { label: string; cents: number; remove: () => void }[] {
    const out: { label: string; cents: number; remove: () => void }[] = [];
    for (const seatId of selected) {
      const info = view.seatInfo(seatId);
      out.push({
        label: seatName(seatId, info?.section.name),
        cents: info?.section.priceCents ?? 0,
        remove: () => toggleSeat(seatId),
      });
    }
    for (const [sectionId, quantity] of gaQuantities) {
      const section = sections.get(sectionId);
      out.push({
        label: `${section?.name ?? sectionId} × ${quantity}`,
        cents: (section?.priceCents ?? 0) * quantity,
        remove: () => setGa(sectionId, 0),
      });
    }
    return out;
  }

  function render(): void {
    const list = byId("selection");
    const items = lines();
    list.replaceChildren(
      ...items.map((line) => {
        const remove = el("button", { type: "button", class: "link", "aria-label": `Remove ${line.label}` }, "Remove");
        remove.addEventListener("click", line.remove);
        return el(
          "li",
          {},
          el("span", {}, line.label),
          el("span", { class: "price" }, money(line.cents, data.currency)),
          remove,
        );
      }),
    );
    byId("selection-empty").hidden = items.length > 0;
    byId("total").textContent = money(
      items.reduce((n, l) => n + l.cents, 0),
      data.currency,
    );
    holdButton.disabled = items.length === 0 || hold !== undefined;
    save(keys.selection(data.eventId), { seats: [...selected], ga: Object.fromEntries(gaQuantities) });
  }

  // ---------------------------------------------------------------- live map

  const params = access ? `?access=${encodeURIComponent(access.token)}` : "";
  const live = new LiveSeatMap({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/events/${encodeURIComponent(data.eventId)}/live${params}`,
    onStatus(status) {
      liveStatus.dataset.live = status;
      liveStatus.textContent =
        status === "live"
          ? "Live"
          : status === "connecting"
            ? "Connecting…"
            : status === "reconnecting"
              ? "Reconnecting…"
              : "Offline";
    },
    onChange(state, changed) {
      const taken: string[] = [];
      for (const seatId of changed) {
        const status = state.seats.get(seatId);
        if (status === undefined || !view.setStatus(seatId, status)) continue;
        if (status !== "available" && selected.has(seatId)) taken.push(seatId);
      }
      for (const [sectionId, left] of state.sections) {
        available.set(sectionId, left);
        for (const element of document.querySelectorAll<HTMLElement>(`[data-left-of="${CSS.escape(sectionId)}"]`)) {
          element.textContent = `${left} left`;
        }
        const input = document.querySelector<HTMLInputElement>(`[data-ga-quantity="${CSS.escape(sectionId)}"]`);
        if (input) input.max = String(Math.min(left, data.perOrder));
      }
      if (taken.length > 0) {
        for (const seatId of taken) {
          selected.delete(seatId);
          view.setSelected(seatId, false);
        }
        say(
          message,
          `${taken.map((id) => seatName(id, view.seatInfo(id)?.section.name)).join("; ")} ${taken.length === 1 ? "was" : "were"} just taken by someone else.`,
          "error",
        );
        render();
      }
    },
  });
  live.connect();
  addEventListener("pagehide", () => live.close());

  // ---------------------------------------------------------------- hold

  async function placeHold(): Promise<void> {
    const body = {
      seatIds: [...selected],
      ga: [...gaQuantities].map(([sectionId, quantity]) => ({ sectionId, quantity })),
    };
    if (body.seatIds.length === 0 && body.ga.length === 0) return;
    if (!data.signedIn) {
      // The selection is kept for this tab (render saved it) and comes back after signing in.
      if (data.signIn) location.assign(data.signIn);
      else say(message, "Sign in to hold seats.", "error");
      return;
    }
    for (const seat of document.querySelectorAll(".seat.offered")) seat.classList.remove("offered");
    holdButton.disabled = true;
    holdButton.setAttribute("aria-busy", "true");
    alternativesBox.hidden = true;
    say(message, "Holding your seats…");
    const headers: Record<string, string> = access ? { "x-access-token": access.token } : {};
    const result = await api("POST", `/api/v1/events/${encodeURIComponent(data.eventId)}/holds`, Hold, {
      body,
      headers,
      idempotencyKey: newIdempotencyKey(),
    });
    holdButton.removeAttribute("aria-busy");
    holdButton.disabled = false;
    if (result.ok) {
      for (const seatId of selected) view.setSelected(seatId, false);
      selected.clear();
      gaQuantities.clear();
      for (const input of document.querySelectorAll<HTMLInputElement>("[data-ga-quantity]")) input.value = "0";
      forget(keys.selection(data.eventId));
      showHold(result.data);
      say(message, "Held. Check out before the timer runs out.", "success");
      checkoutButton.focus();
      return;
    }
    const d = result.details;
    switch (result.code) {
      case "SEATS_UNAVAILABLE": {
        // Those seats cannot be held: out of the selection, shown as taken; nearby ones offered.
        const gone = stringList(d.unavailableSeatIds).filter((id) => selected.has(id));
        for (const id of gone) {
          selected.delete(id);
          view.setSelected(id, false);
          view.setStatus(id, "held");
        }
        render();
        const offered = stringList(d.alternatives)
          .filter((id) => !selected.has(id) && view.status(id) === "available")
          .slice(0, Math.max(1, gone.length));
        const names = (ids: string[]) => ids.map((id) => seatName(id, view.seatInfo(id)?.section.name)).join("; ");
        say(
          message,
          `Sorry: ${names(gone) || "some of those seats"} ${gone.length === 1 ? "is" : "are"} no longer available.`,
          "error",
        );
        if (offered.length > 0) {
          alternatives = { take: offered };
          byId("alternatives-text").textContent = `Free seats nearby: ${names(offered)}.`;
          alternativesBox.hidden = false;
          for (const id of offered) view.seats.get(id)?.classList.add("offered");
        }
        break;
      }
      case "SOLD_OUT":
        say(
          message,
          `${result.message} ${typeof d.available === "number" ? `Only ${d.available} left.` : ""}`,
          "error",
        );
        break;
      case "LIMIT_EXCEEDED":
        say(message, result.message, "error");
        break;
      case "QUEUE_REQUIRED":
        say(message, "This event has a waiting room: taking you to the line…");
        location.assign(typeof d.queueUrl === "string" && d.queueUrl.startsWith("/") ? d.queueUrl : data.queueUrl);
        break;
      case "UNAUTHENTICATED":
        if (data.signIn) {
          say(message, "Sign in to hold seats: taking you there…");
          location.assign(data.signIn);
        } else say(message, "Sign in to hold seats.", "error");
        break;
      case "RATE_LIMITED":
        say(message, `Too many tries just now. Try again in ${result.retryAfter ?? 10} seconds.`, "error");
        break;
      default:
        say(message, result.message, "error");
    }
  }

  function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  }

  function takeAlternatives(): void {
    if (!alternatives) return;
    for (const id of alternatives.take) {
      view.seats.get(id)?.classList.remove("offered");
      if (view.status(id) === "available" && count() < data.perOrder) {
        selected.add(id);
        view.setSelected(id, true);
      }
    }
    alternatives = undefined;
    alternativesBox.hidden = true;
    render();
    say(message, "Swapped in the free seats. Press Hold to hold them.");
    holdButton.focus();
  }

  function heldSeatIds(h: Hold): string[] {
    return h.items.flatMap((i) => (i.seatId ? [i.seatId] : []));
  }

  function showHold(h: Hold): void {
    hold = h;
    save(keys.hold(data.eventId), h);
    view.setMine(heldSeatIds(h), true);
    byId("held-lines").replaceChildren(
      ...h.items.map((item) =>
        el(
          "li",
          {},
          el(
            "span",
            {},
            item.seatId
              ? seatName(item.seatId, view.seatInfo(item.seatId)?.section.name)
              : `${sections.get(item.sectionId ?? "")?.name ?? item.sectionId} × ${item.quantity}`,
          ),
          el("span", { class: "price" }, money(item.priceCents * item.quantity, h.currency)),
        ),
      ),
    );
    byId("held-total").textContent = money(h.totalCents, h.currency);
    const clock = byId("countdown");
    clock.dataset.expiresAt = h.expiresAt;
    clock.setAttribute("datetime", h.expiresAt);
    byId("selection-panel").hidden = true;
    byId("hold-panel").hidden = false;
    checkoutButton.disabled = false;
    announcedMinute = false;
    tick();
    clearInterval(timer);
    timer = setInterval(tick, 1000);
  }

  function tick(): void {
    if (!hold) return;
    const left = (Date.parse(hold.expiresAt) - Date.now()) / 1000;
    byId("countdown").textContent = countdown(Math.ceil(left));
    if (left <= 60 && !announcedMinute) {
      announcedMinute = true;
      byId("countdown-announce").textContent = "One minute left on your hold.";
    }
    if (left <= 0) {
      endHold("Your hold expired and the seats went back on sale. You can choose again.");
    }
  }

  function endHold(text: string): void {
    if (hold) view.setMine(heldSeatIds(hold), false);
    hold = undefined;
    clearInterval(timer);
    forget(keys.hold(data.eventId));
    const clock = byId("countdown");
    delete clock.dataset.expiresAt;
    byId("hold-panel").hidden = true;
    byId("selection-panel").hidden = false;
    say(message, text);
    render();
  }

  async function checkout(): Promise<void> {
    if (!hold) return;
    checkoutButton.disabled = true;
    checkoutButton.setAttribute("aria-busy", "true");
    say(message, "Starting checkout…");
    const result = await api("POST", `/api/v1/holds/${encodeURIComponent(hold.holdId)}/checkout`, Checkout, {
      idempotencyKey: `checkout-${hold.holdId}`,
    });
    checkoutButton.removeAttribute("aria-busy");
    if (result.ok) {
      if (result.data.payment.clientSecret) save(keys.payment(result.data.orderId), result.data.payment.clientSecret);
      forget(keys.hold(data.eventId));
      location.assign(`/pay/${encodeURIComponent(result.data.orderId)}`);
      return;
    }
    checkoutButton.disabled = false;
    const orderId = result.details.orderId;
    if (result.code === "HOLD_NOT_ACTIVE" && typeof orderId === "string") {
      location.assign(`/orders/${encodeURIComponent(orderId)}`);
    } else if (result.code === "HOLD_EXPIRED" || result.code === "NOT_FOUND") {
      endHold("Your hold has expired. Please choose again.");
    } else say(message, result.message, "error");
  }

  async function release(): Promise<void> {
    if (!hold) return;
    const result = await api("DELETE", `/api/v1/holds/${encodeURIComponent(hold.holdId)}`, z.unknown());
    if (result.ok || result.code === "HOLD_EXPIRED" || result.code === "NOT_FOUND") {
      endHold("Released. The seats are back on sale.");
    } else say(message, result.message, "error");
  }

  holdButton.addEventListener("click", () => void placeHold());
  checkoutButton.addEventListener("click", () => void checkout());
  byId("release").addEventListener("click", () => void release());
  byId("take-alternatives").addEventListener("click", takeAlternatives);
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-qty-step]")) {
    button.addEventListener("click", () => {
      const sectionId = button.dataset.sectionId!;
      setGa(sectionId, (gaQuantities.get(sectionId) ?? 0) + Number(button.dataset.qtyStep));
    });
  }
  for (const input of document.querySelectorAll<HTMLInputElement>("[data-ga-quantity]")) {
    input.addEventListener("change", () => setGa(input.dataset.gaQuantity!, Number(input.value)));
  }

  // A hold made before a reload is shown again while it lasts; a selection made before signing in, too.
  const stored = load(keys.hold(data.eventId), Hold);
  if (stored && Date.parse(stored.expiresAt) > Date.now()) {
    void api("GET", `/api/v1/holds/${encodeURIComponent(stored.holdId)}`, Hold).then((result) => {
      if (result.ok && result.data.status === "held") showHold(result.data);
      else forget(keys.hold(data.eventId));
    });
  } else if (stored) forget(keys.hold(data.eventId));
  const previous = load(keys.selection(data.eventId), StoredSelection);
  if (previous && !hold) {
    for (const seatId of previous.seats) {
      if (view.status(seatId) === "available" && count() < data.perOrder) {
        selected.add(seatId);
        view.setSelected(seatId, true);
      }
    }
    for (const [sectionId, quantity] of Object.entries(previous.ga)) setGa(sectionId, quantity);
  }
  render();
}
