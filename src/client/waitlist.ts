import type { WaitlistEntry } from "../contract/client.gen";
import { countdown } from "../pages/format";
import { call } from "./lib/api";

/**
 * The event page's waitlist panel (shown when the event or a section is sold out): join with a
 * quantity, see your place, and when seats come back the offer with its countdown and a checkout
 * button (the offer is a hold like any other). Polls your entry while you wait.
 */

type Entry = WaitlistEntry;

const panel = document.getElementById("waitlist");
if (panel) start(panel);

function start(root: HTMLElement) {
  const eventId = root.dataset.eventId ?? "";
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const status = $<HTMLParagraphElement>("waitlist-status");
  const quantity = $<HTMLSelectElement>("waitlist-quantity");
  const join = $<HTMLButtonElement>("waitlist-join");
  const leave = $<HTMLButtonElement>("waitlist-leave");
  const offer = $<HTMLDivElement>("waitlist-offer");
  const clock = $<HTMLTimeElement>("waitlist-countdown");
  const claim = $<HTMLButtonElement>("waitlist-claim");
  let entry: Entry | undefined;
  // Only a fan who joined from this browser (or came from an offer's link) asks for their entry:
  // everyone else would get a 404 for nothing.
  const joinedKey = `waitlist:${eventId}`;
  const remembered = () => {
    try {
      return localStorage.getItem(joinedKey) === "1" || new URLSearchParams(location.search).has("offer");
    } catch {
      return false;
    }
  };
  const remember = (joined: boolean) => {
    try {
      if (joined) localStorage.setItem(joinedKey, "1");
      else localStorage.removeItem(joinedKey);
    } catch {
      // Storage refused (private mode): the panel still works for this page view.
    }
  };

  const params = { eventId };

  const show = (next: Entry | undefined) => {
    entry = next;
    const waiting = next?.status === "waiting";
    const offered = next?.status === "offered" && next.offer;
    join.hidden = waiting || Boolean(offered);
    quantity.closest("label")!.hidden = join.hidden;
    leave.hidden = !(waiting || offered);
    offer.hidden = !offered;
    if (!next || next.status === "left") status.textContent = "Seats that come back go to fans in line first.";
    else if (waiting)
      status.textContent = `You are number ${next.position} in line for ${next.quantity} ticket${next.quantity === 1 ? "" : "s"}.`;
    else if (offered) status.textContent = "Seats came back for you: they are held until the countdown ends.";
    else if (next.status === "claimed") status.textContent = "You claimed your waitlist tickets.";
    else status.textContent = "Your waitlist offer has ended. You can join the line again.";
    if (offered && next.offer) clock.dataset.expiresAt = next.offer.expiresAt;
    tick();
  };

  const tick = () => {
    const expiresAt = entry?.status === "offered" ? entry.offer?.expiresAt : undefined;
    if (expiresAt) {
      clock.dateTime = expiresAt;
      clock.textContent = countdown((Date.parse(expiresAt) - Date.now()) / 1000);
    }
  };

  const refresh = async () => {
    const result = await call("getMyWaitlistEntry", { params });
    if (result.ok) show(result.data);
    else if (result.status === 404) {
      remember(false);
      show(undefined);
    } else if (result.status === 401) status.textContent = "Sign in to join the waitlist.";
  };

  join.addEventListener("click", async () => {
    join.disabled = true;
    const result = await call("joinWaitlist", { params, body: { quantity: Number(quantity.value) } });
    join.disabled = false;
    if (result.ok) {
      remember(true);
      show(result.data);
    } else {
      status.textContent = result.status === 401 ? "Sign in to join the waitlist." : result.message;
    }
  });

  leave.addEventListener("click", async () => {
    const result = await call("leaveWaitlist", { params });
    if (result.ok) {
      remember(false);
      show(result.data);
    }
  });

  claim.addEventListener("click", async () => {
    const holdId = entry?.offer?.holdId;
    if (!holdId) return;
    claim.disabled = true;
    const result = await call("checkout", { params: { holdId } }, { idempotencyKey: `waitlist-${holdId}` });
    claim.disabled = false;
    if (!result.ok) status.textContent = result.message;
    else if (result.data.status === "confirmed") location.assign(`/orders/${result.data.orderId}`);
    else location.assign(result.data.payUrl ?? `/pay/${result.data.orderId}`);
  });

  // Every poll is a call to the event's one room: the further back in line, the rarer (an offer is
  // also mailed), never while the tab is hidden, with jitter so that a crowd does not poll in step.
  const pollSeconds = () => {
    if (entry?.status !== "waiting") return 5;
    return entry.position <= 5 ? 5 : entry.position <= 100 ? 15 : 60;
  };
  let nextPoll = Date.now();
  const poll = () => {
    tick();
    const live = entry?.status === "waiting" || entry?.status === "offered";
    if (live && document.visibilityState === "visible" && Date.now() >= nextPoll) {
      nextPoll = Date.now() + pollSeconds() * 1000 * (0.8 + Math.random() * 0.4);
      void refresh();
    }
  };
  if (remembered()) void refresh();
  nextPoll = Date.now() + 5000;
  window.setInterval(poll, 1000);
}
