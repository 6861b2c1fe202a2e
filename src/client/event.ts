import { sectionOfSeat } from "../domain/seat-map";
import { breakdownText, eventTime, money, seatName } from "../pages/format";
import { accessFor } from "./lib/access";
import { api, type FailureCode, newIdempotencyKey } from "./lib/api";
import { byId, pageData, say } from "./lib/dom";
import { EventData } from "./lib/event-data";
import { refusal, showCounts, showLines, stringList, wireToggles } from "./lib/event-ui";
import { HoldPanel } from "./lib/hold-panel";
import { LiveRooms } from "./lib/live-rooms";
import { liveUrl } from "./lib/live-seat-map";
import { together, whereIs } from "./lib/party";
import { Hold } from "./lib/schemas";
import { SeatMapView } from "./lib/seat-map-view";
import { fitDrawnSections } from "./lib/section-draw";
import { openSection } from "./lib/sections";
import { gaInput, gaKey, gaOf, heldLabels, Selection, StoredSelection } from "./lib/selection";
import { forget, keys, load, save } from "./lib/storage";

/**
 * The event page: the live seat map (a big venue's sections opened from an overview), a selection
 * and its total, "Hold" (src/client/lib/hold-panel.ts takes it from there), seats that sit together
 * offered when some were taken. Sends visitors to the waiting room when the event has one on.
 */

const data = pageData(EventData);
const access = accessFor(data.eventId);

if (data.queueActive && !access) {
  // The waiting room is on: take a place in line first; the queue page comes back with a token.
  location.replace(data.queueUrl);
} else {
  start();
}

function start(): void {
  const sections = new Map(data.sections.map((s) => [s.id, s]));
  const selection = new Selection(data.pricing, sections, data.currency);
  const selected = selection.seats;
  const gaQuantities = selection.ga;
  const available = new Map(data.sections.map((s) => [s.id, s.available]));
  let alternatives: { offer: string[]; replace: string[] } | undefined;
  /** Seats of a hold on its way: the live map marking them held is our own hold, not a rival. */
  let pending: Set<string> | undefined;
  let openedSection: string | undefined;

  const message = byId("message");
  const holdButton = byId<HTMLButtonElement>("hold");
  /** An event with several ticket types: the code sent as the hold's voucher. */
  const voucher = document.getElementById("voucher");
  const liveStatus = byId("live-status");
  const alternativesBox = byId("alternatives");
  const notSelling = `Sales open ${eventTime(data.onSaleAt)}. You can look at the seats until then.`;

  const view = new SeatMapView(document, data.sections, data.currency, toggleSeat);
  fitDrawnSections();
  const names = (ids: string[]) => ids.map((id) => seatName(id, view.seatInfo(id)?.section.name)).join("; ");
  /** Says something and moves focus there, for actions whose control goes away or changes. */
  const tell = (text: string, kind: "info" | "error" | "success" = "info") => {
    say(message, text, kind);
    message.focus();
  };

  const panel = new HoldPanel({
    eventId: data.eventId,
    labels: (h) => heldLabels(h, selection, (id) => names([id]), sections),
    ...(data.pricing && { madeOf: (unit) => breakdownText(unit, data.currency, data.pricing?.taxName ?? null) }),
    setMine: (ids, mine) => view.setMine(ids, mine),
    say: (text, kind) => say(message, text, kind),
    tell,
    onEnd: render,
  });

  const count = () => selection.count();

  function toggleSeat(seatId: string): void {
    if (!data.selling) {
      say(message, notSelling);
      return;
    }
    if (panel.hold) {
      say(message, "Your seats are held: check out, or release them to choose again.");
      return;
    }
    if (selected.has(seatId)) {
      selected.delete(seatId);
      view.setSelected(seatId, false);
    } else {
      if (view.status(seatId) !== "available") {
        say(message, `${names([seatId])} is not available.`);
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

  /** `key`: the section's id, or, with several ticket types, the section and the type (gaKey). */
  function setGa(key: string, wanted: number): void {
    const { sectionId } = gaOf(key);
    const others = count() - (gaQuantities.get(key) ?? 0);
    const left = (available.get(sectionId) ?? 0) - selection.gaIn(sectionId, key);
    const max = Math.max(0, Math.min(left, data.perOrder - others));
    const quantity = Math.max(0, Math.min(Number.isFinite(wanted) ? Math.floor(wanted) : 0, max));
    if (!data.selling && wanted > 0) say(message, notSelling);
    else if (wanted > max) say(message, `At most ${max} more for ${sections.get(sectionId)?.name ?? sectionId}.`);
    if (quantity === 0 || !data.selling) gaQuantities.delete(key);
    else gaQuantities.set(key, quantity);
    const input = gaInput(key);
    if (input) input.value = String(gaQuantities.get(key) ?? 0);
    render();
  }

  function setType(seatId: string, type: string): void {
    selection.setType(seatId, type);
    render();
    const unit = selection.unit(type, sectionOfSeat(seatId));
    say(message, `${names([seatId])}: ${selection.typeName(type)}, ${money(unit?.priceCents ?? 0, data.currency)}.`);
  }

  const lines = () => selection.lines({ seatName: (id) => names([id]), toggleSeat, setGa, setType });

  function remove(index: number, line: { label: string; remove?: () => void }): void {
    line.remove?.();
    // Focus goes to the next line's "Remove" (or the one before), else to the message.
    const buttons = byId("selection").querySelectorAll<HTMLButtonElement>("button");
    const next = buttons[Math.min(index, buttons.length - 1)];
    say(message, `Removed ${line.label}.`);
    if (next) next.focus();
    else message.focus();
  }

  function render(): void {
    const items = lines();
    showLines(items, data.currency, remove);
    byId("selection-empty").hidden = items.length > 0;
    const n = count();
    byId("selection-count").textContent =
      n === 0
        ? "Nothing selected"
        : `${n} ticket${n === 1 ? "" : "s"} selected: ${items.flatMap((l) => (l.remove ? l.label : [])).join("; ")}`;
    byId("total").textContent = money(
      items.reduce((sum, l) => sum + l.cents, 0),
      data.currency,
    );
    holdButton.disabled = items.length === 0 || panel.hold !== undefined || !data.selling;
    save(keys.selection(data.eventId), selection.stored());
  }

  wireToggles();

  // ---------------------------------------------------------------- live map

  // A big venue (sections opened from an overview) follows only the seats it shows or holds a selection in.
  const sectioned = document.querySelector("[data-open-section]") !== null;
  const live = new LiveRooms({
    plan: data.rooms,
    url: (sections) => liveUrl(location, data.eventId, { access: access?.token, sections }),
    followed: () =>
      sectioned ? [openedSection ?? "", ...[...selected].map(sectionOfSeat)].filter(Boolean) : undefined,
    onStatus(status) {
      liveStatus.dataset.live = status;
      const text = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", closed: "Offline" }[
        status
      ];
      if (liveStatus.textContent !== text) liveStatus.textContent = text;
    },
    onChange(state, changed) {
      const taken: string[] = [];
      for (const seatId of changed) {
        const status = state.seats.get(seatId);
        if (status === undefined || !view.setStatus(seatId, status)) continue;
        if (status !== "available" && selected.has(seatId) && !pending?.has(seatId)) taken.push(seatId);
      }
      showCounts(state.sections, available, data.perOrder);
      if (taken.length > 0) {
        for (const seatId of taken) {
          selected.delete(seatId);
          view.setSelected(seatId, false);
        }
        say(message, `${names(taken)} ${taken.length === 1 ? "was" : "were"} just taken by someone else.`, "error");
        render();
      }
    },
  });
  live.connect();
  addEventListener("pagehide", () => live.close());

  // ---------------------------------------------------------------- sections (big venues)

  async function open(sectionId: string): Promise<void> {
    const section = sections.get(sectionId);
    if (!section) return;
    say(message, `Loading ${section.name}…`);
    const opened = await openSection(data.eventId, section, data.currency);
    if ("error" in opened) {
      tell(opened.error, "error");
      return;
    }
    if (opened.version !== undefined) {
      view.attach(opened.figure);
      // The live map may already be past the version fetched: its statuses win.
      if (live.state.version > opened.version) {
        for (const row of view.rows(sectionId)) {
          for (const seat of row.seats) {
            const status = live.state.seats.get(seat.id);
            if (status) view.setStatus(seat.id, status);
          }
        }
      }
      for (const id of selected) view.setSelected(id, true);
      if (panel.hold)
        view.setMine(
          panel.hold.items.flatMap((i) => (i.seatId ? [i.seatId] : [])),
          true,
        );
    }
    openedSection = sectionId;
    live.follow();
    byId("best").hidden = false;
    byId("best-hold").textContent = `Hold best available in ${section.name}`;
    say(message, `${section.name}: ${available.get(sectionId) ?? 0} seats left.`);
    const first = opened.figure.querySelector<SVGElement>('[data-seat-id][tabindex="0"]');
    if (first) view.focusSeat(first.dataset.seatId!);
  }

  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-open-section]")) {
    button.addEventListener("click", () => void open(button.dataset.openSection!));
  }

  function bestAvailable(): void {
    if (!openedSection || panel.hold) return;
    const wanted = Math.floor(Number(byId<HTMLInputElement>("best-count").value));
    const n = Math.max(1, Math.min(Number.isFinite(wanted) ? wanted : 1, data.perOrder));
    const seats = together(view.rows(openedSection), n, (id) => view.status(id) === "available");
    const name = sections.get(openedSection)?.name ?? openedSection;
    if (seats.length === 0) {
      tell(`No ${n} seats together are left in ${name}. Try fewer, or another section.`, "error");
      return;
    }
    replaceSeats([...selected], seats);
    void placeHold();
  }

  /** Swaps seats in the selection (a party's seats for ones that sit together). */
  function replaceSeats(out: string[], into: string[]): void {
    for (const id of out) {
      selected.delete(id);
      view.setSelected(id, false);
    }
    for (const id of into) {
      selected.add(id);
      view.setSelected(id, true);
    }
    render();
  }

  // ---------------------------------------------------------------- hold

  async function placeHold(): Promise<void> {
    const body = {
      ...selection.holdBody(voucher instanceof HTMLInputElement ? voucher.value.trim() : ""),
      // The live map's version: the edge never refuses this fan on older news than they have seen.
      ...(live.state.version > 0 ? { minVersion: live.state.version } : {}),
    };
    if (count() === 0 || !data.selling) return;
    if (!data.signedIn) {
      // The selection is kept for this tab (render saved it) and comes back after signing in.
      if (data.signIn) location.assign(data.signIn);
      else tell("Sign in to hold seats.", "error");
      return;
    }
    for (const seat of document.querySelectorAll(".seat.offered")) seat.classList.remove("offered");
    holdButton.disabled = true;
    holdButton.setAttribute("aria-busy", "true");
    alternativesBox.hidden = true;
    say(message, "Holding your seats…");
    pending = new Set(selected);
    const headers: Record<string, string> = access ? { "x-access-token": access.token } : {};
    const result = await api("POST", `/api/v1/events/${encodeURIComponent(data.eventId)}/holds`, Hold, {
      body,
      headers,
      idempotencyKey: newIdempotencyKey(),
    });
    pending = undefined;
    holdButton.removeAttribute("aria-busy");
    holdButton.disabled = false;
    if (result.ok) {
      for (const seatId of selected) view.setSelected(seatId, false);
      selection.clear();
      for (const input of document.querySelectorAll<HTMLInputElement>("[data-ga-quantity]")) input.value = "0";
      forget(keys.selection(data.eventId));
      panel.show(result.data);
      say(message, "Held. Check out before the timer runs out.", "success");
      panel.focus();
      return;
    }
    refused(result.code, result.message, result.details, result.retryAfter);
  }

  function refused(code: FailureCode, text: string, d: Record<string, unknown>, retryAfter?: number): void {
    switch (code) {
      case "SEATS_UNAVAILABLE": {
        // Those seats cannot be held: out of the selection, shown as taken. The party is offered
        // seats that sit together, as near as can be, held with one press.
        const asked = [...selected];
        const gone = stringList(d.unavailableSeatIds).filter((id) => selected.has(id));
        for (const id of gone) view.setStatus(id, "held");
        const sectionId = gone[0] ? view.seatInfo(gone[0])?.section.id : undefined;
        const party = asked.filter((id) => view.seatInfo(id)?.section.id === sectionId);
        const rows = sectionId ? view.rows(sectionId) : [];
        const near = whereIs(rows, party);
        const offer = together(rows, party.length, (id) => view.status(id) === "available", near);
        replaceSeats(gone, []);
        tell(
          `Sorry: ${names(gone) || "some of those seats"} ${gone.length === 1 ? "is" : "are"} no longer available.`,
          "error",
        );
        if (offer.length > 0) {
          alternatives = { offer, replace: party.filter((id) => !gone.includes(id)) };
          const what = offer.length === 1 ? "A free seat" : `${offer.length} seats together`;
          byId("alternatives-text").textContent = `${what} nearby: ${names(offer)}.`;
          alternativesBox.hidden = false;
          for (const id of offer) view.seats.get(id)?.classList.add("offered");
        }
        return;
      }
      case "VOUCHER_INVALID": {
        // The contract's words say why ("This code has expired."); the field says it is the culprit.
        voucher?.setAttribute("aria-invalid", "true");
        tell(text, "error");
        return;
      }
      default: {
        const next = refusal(code, text, d, { retryAfter, queueUrl: data.queueUrl, signIn: data.signIn });
        if (next.go) {
          say(message, next.text);
          location.assign(next.go);
        } else tell(next.text, "error");
      }
    }
  }

  function takeAlternatives(): void {
    if (!alternatives) return;
    const { offer, replace } = alternatives;
    for (const id of offer) view.seats.get(id)?.classList.remove("offered");
    alternatives = undefined;
    alternativesBox.hidden = true;
    replaceSeats(replace, offer);
    void placeHold();
  }

  holdButton.addEventListener("click", () => void placeHold());
  voucher?.addEventListener("input", () => voucher.removeAttribute("aria-invalid"));
  byId("take-alternatives").addEventListener("click", takeAlternatives);
  document.getElementById("best-hold")?.addEventListener("click", bestAvailable);
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-qty-step]")) {
    button.addEventListener("click", () => {
      const key = gaKey(button.dataset.sectionId!, button.dataset.ticketType);
      setGa(key, (gaQuantities.get(key) ?? 0) + Number(button.dataset.qtyStep));
    });
  }
  for (const input of document.querySelectorAll<HTMLInputElement>("[data-ga-quantity]")) {
    input.addEventListener("change", () =>
      setGa(gaKey(input.dataset.gaQuantity!, input.dataset.ticketType), Number(input.value)),
    );
  }

  // A hold made before a reload is shown again while it lasts; a selection made before signing in, too.
  panel.restore();
  const previous = load(keys.selection(data.eventId), StoredSelection);
  if (previous && !panel.hold && data.selling) {
    selection.restoreTypes(previous.types);
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
