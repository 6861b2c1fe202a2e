import { countdown } from "../pages/format";

/**
 * The event page's waitlist panel (shown when the event or a section is sold out): join with a
 * quantity, see your place, and when seats come back the offer with its countdown and a checkout
 * button (the offer is a hold like any other). Polls your entry while you wait.
 */

interface Entry {
  status: "waiting" | "offered" | "claimed" | "expired" | "left";
  position: number;
  quantity: number;
  offer?: { holdId: string; expiresAt: string; totalCents: number; currency: string };
}

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
  const base = `/api/v1/events/${encodeURIComponent(eventId)}/waitlist`;
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

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { ...(body !== undefined && { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, any> };
  };

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
    const { status: code, body } = await call("GET", `${base}/me`);
    if (code === 200) show(body as Entry);
    else if (code === 404) {
      remember(false);
      show(undefined);
    } else if (code === 401) status.textContent = "Sign in to join the waitlist.";
  };

  join.addEventListener("click", async () => {
    join.disabled = true;
    const { status: code, body } = await call("POST", base, { quantity: Number(quantity.value) });
    join.disabled = false;
    if (code === 200 || code === 201) {
      remember(true);
      show(body as Entry);
    } else {
      status.textContent = code === 401 ? "Sign in to join the waitlist." : (body.error?.message ?? "Could not join.");
    }
  });

  leave.addEventListener("click", async () => {
    const { status: code, body } = await call("DELETE", `${base}/me`);
    if (code === 200) {
      remember(false);
      show(body as Entry);
    }
  });

  claim.addEventListener("click", async () => {
    const holdId = entry?.offer?.holdId;
    if (!holdId) return;
    claim.disabled = true;
    const { status: code, body } = await call(
      "POST",
      `/api/v1/holds/${encodeURIComponent(holdId)}/checkout`,
      undefined,
      {
        "idempotency-key": `waitlist-${holdId}`,
      },
    );
    claim.disabled = false;
    if (code === 201 && body.status === "confirmed") location.assign(`/orders/${body.orderId}`);
    else if (code === 201) location.assign(body.payUrl ?? `/pay/${body.orderId}`);
    else status.textContent = body.error?.message ?? "Could not start checkout.";
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
