import * as z from "zod/mini";
import { roughDuration } from "../pages/format";
import { api } from "./lib/api";
import { byId, pageData, say } from "./lib/dom";
import { type QueueView, QueueView as QueueViewSchema } from "./lib/schemas";
import { forgetShared, keys, loadShared, save, saveShared } from "./lib/storage";

/**
 * The waiting room: joins (or keeps the place of a stored queue token), then polls no faster than
 * the server's `pollAfterSeconds`, showing place, people ahead, a progress bar and an estimate.
 * On admission it stores the access token for this tab and goes on to the event page by itself.
 */

const Data = z.object({ eventId: z.string() });
const data = pageData(Data);

const root = byId("queue");
const statusEl = byId("queue-status");
const progress = byId<HTMLProgressElement>("queue-progress");
const base = `/api/v1/events/${encodeURIComponent(data.eventId)}/queue`;

let firstAhead: number | undefined;
/** The place shown: estimates may wobble by one, and a place in line never goes backwards on screen. */
let shownPosition: number | undefined;
let failures = 0;

function setText(id: string, text: string): void {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text;
}

function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Screen readers hear the status only when its words change, not at every poll. */
function status(text: string, kind: "info" | "error" | "success" = "info"): void {
  if (statusEl.textContent !== text) say(statusEl, text, kind);
}

function render(view: QueueView): void {
  root.dataset.queueState = view.state;
  root.dataset.position = String(view.position);
  root.dataset.ahead = String(view.ahead);
  byId("queue-actions").hidden = true;
  switch (view.state) {
    case "waiting": {
      firstAhead = Math.max(firstAhead ?? view.ahead, view.ahead);
      shownPosition = Math.min(shownPosition ?? view.position, view.position);
      const ahead = Math.min(view.ahead, Math.max(0, shownPosition - 1));
      setText("position", shownPosition.toLocaleString("en"));
      setText("ahead", ahead.toLocaleString("en"));
      setText("eta", roughDuration(view.estimatedWaitSeconds));
      // Next in line is nearly through, whatever the place was on joining.
      const done = ahead === 0 ? 0.95 : firstAhead === 0 ? 0 : (firstAhead - ahead) / firstAhead;
      progress.value = Math.round(Math.max(0.02, done) * 100);
      progress.textContent = `${progress.value}%`;
      status(
        ahead === 0
          ? "You're next. Stay on this page."
          : `You're in line. ${ahead.toLocaleString("en")} ${ahead === 1 ? "person is" : "people are"} ahead of you.`,
      );
      break;
    }
    case "admitted":
      progress.value = 100;
      byId("position").textContent = "0";
      byId("ahead").textContent = "0";
      byId("eta").textContent = "now";
      status("It's your turn! Taking you to the seat map…", "success");
      break;
    case "sold_out":
      progress.hidden = true;
      byId("eta").textContent = "—";
      status("Sorry — this event is sold out. We'll keep checking in case seats come back.", "error");
      break;
    case "closed":
      progress.hidden = true;
      byId("eta").textContent = "—";
      status(
        view.reason === "access_expired"
          ? "Your turn came, but the time to choose seats has run out. Join the line again to try once more."
          : "The line is closed: sales for this event are not open right now.",
        "error",
      );
      break;
  }
}

function admitted(view: QueueView): void {
  if (!view.accessToken || !view.accessExpiresAt) return;
  save(keys.access(data.eventId), { token: view.accessToken, expiresAt: view.accessExpiresAt });
  const go = byId<HTMLAnchorElement>("queue-continue");
  byId("queue-actions").hidden = false;
  location.replace(go.href);
}

async function step(): Promise<void> {
  const token = loadShared(keys.queue(data.eventId), z.string());
  const result = token
    ? await api("GET", base, QueueViewSchema, { headers: bearer(token) })
    : await api("POST", base, QueueViewSchema);
  if (!result.ok) {
    if (result.code === "UNAUTHENTICATED" && token) {
      // The stored place is for another run of this event or has expired: take a new one.
      forgetShared(keys.queue(data.eventId));
      return schedule(0);
    }
    failures++;
    status(`${result.message} Retrying…`, "error");
    return schedule(result.retryAfter ?? Math.min(30, 2 ** failures));
  }
  failures = 0;
  const view = result.data;
  saveShared(keys.queue(data.eventId), view.queueToken);
  render(view);
  if (view.state === "admitted") return admitted(view);
  if (view.state === "closed" && view.reason === "access_expired") {
    forgetShared(keys.queue(data.eventId));
    byId("queue-rejoin-box").hidden = false;
    return;
  }
  schedule(Math.max(1, view.pollAfterSeconds));
}

function schedule(seconds: number): void {
  setTimeout(() => void step(), seconds * 1000);
}

byId("queue-rejoin").addEventListener("click", () => {
  byId("queue-rejoin-box").hidden = true;
  progress.hidden = false;
  firstAhead = undefined;
  shownPosition = undefined;
  status("Joining the line…");
  void step();
});

void step();
