import * as z from "zod/mini";
import { SCAN_WORDS } from "../domain/scan";
import { call } from "./lib/api";
import { byId, pageData } from "./lib/dom";
import { ScanBook, type Verdict } from "./lib/scan-book";
import { type Camera, startCamera } from "./lib/scan-camera";

/**
 * The door (/scan): codes from the camera or typed in are checked online, or offline from what the
 * device downloaded (src/client/lib/scan-book.ts). The keys and revocations are downloaded on opening
 * and every SYNC_MS while online, and check-ins made offline are sent as soon as the network is back.
 */

const SYNC_MS = 30_000;
/** A code still in front of the camera is one scan; shown again after this long away, it is another. */
const AWAY_MS = 700;

const data = pageData(z.object({ eventId: z.nullable(z.string()) }));
if (data.eventId) openDoor(data.eventId);

function openDoor(eventId: string): void {
  const book = new ScanBook(eventId);
  const result = byId("scan-result");
  const syncNote = byId("scan-sync");
  const countsLine = byId("scan-counts");
  const checkedIn = byId("scan-checked-in");
  const total = byId("scan-total");
  const video = byId<HTMLVideoElement>("scan-video");
  const toggle = byId<HTMLButtonElement>("scan-camera-toggle");
  const manual = byId<HTMLFormElement>("scan-manual");
  const codeField = byId<HTMLInputElement>("scan-code");
  let counts: { checkedIn: number; total: number } | undefined;
  let busy = false;
  let lastCode = "";
  let lastSeen = 0;
  let camera: Camera | undefined;

  const time = (iso: string) => new Date(iso).toLocaleTimeString("en-GB");

  function showCounts(): void {
    checkedIn.textContent = counts ? String(counts.checkedIn) : "…";
    total.textContent = counts ? String(counts.total) : "…";
    countsLine.dataset.checkedIn = counts ? String(counts.checkedIn) : "";
    countsLine.dataset.total = counts ? String(counts.total) : "";
  }

  function showSync(note?: string): void {
    const list = book.revokedUntil
      ? `${book.revokedCount} void ${book.revokedCount === 1 ? "ticket" : "tickets"} known, list of ${time(book.revokedUntil)}`
      : "no revocation list yet";
    const pending = book.pendingCount ? ` · ${checkIns(book.pendingCount)} to send` : "";
    const mode = navigator.onLine ? "Online" : "Offline: codes are checked on this device";
    syncNote.dataset.revoked = String(book.revokedCount);
    syncNote.dataset.online = String(navigator.onLine);
    syncNote.dataset.pending = String(book.pendingCount);
    syncNote.textContent = `${mode} · ${list}${pending}${note ? ` · ${note}` : ""}`;
  }

  function show(verdict: Verdict): void {
    const words = SCAN_WORDS[verdict.result];
    let advice = words.advice;
    if (verdict.result === "already_used" && verdict.firstScannedAt) {
      advice = `First scanned at ${time(verdict.firstScannedAt)}.`;
    }
    if (verdict.offline) advice += " Checked offline.";
    result.dataset.result = verdict.result;
    result.dataset.offline = String(verdict.offline);
    result.replaceChildren(paragraph("scan-word", words.title), paragraph("scan-advice", advice));
  }

  function showError(message: string): void {
    result.dataset.result = "error";
    result.replaceChildren(paragraph("scan-word", "Not checked"), paragraph("scan-advice", message));
  }

  async function refreshCounts(): Promise<void> {
    const answer = await call("getCheckinCounts", { params: { eventId } });
    if (answer.ok) counts = answer.data;
    showCounts();
  }

  async function sync(): Promise<void> {
    if (!navigator.onLine) return showSync();
    const reached = await book.refresh();
    const { sent, refused } = reached ? await book.sendPending() : { sent: 0, refused: 0 };
    const note = sent ? `${checkIns(sent)} sent${refused ? `, ${refused} refused` : ""}` : undefined;
    showSync(reached ? note : "the server cannot be reached");
    if (reached) await refreshCounts();
  }

  async function check(code: string): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      if (!book.canJudgeOffline && !navigator.onLine) {
        showError("This device has not downloaded the keys yet: go online once.");
        return;
      }
      const verdict = await book.check(code);
      show(verdict);
      if (verdict.offline) {
        if (verdict.result === "admitted" && counts) counts = { ...counts, checkedIn: counts.checkedIn + 1 };
        showCounts();
        showSync();
      } else await refreshCounts();
    } catch (error) {
      showError(error instanceof Error ? error.message : "The code could not be checked.");
    } finally {
      busy = false;
    }
  }

  function seen(code: string): void {
    const now = Date.now();
    const again = code === lastCode && now - lastSeen < AWAY_MS;
    lastSeen = now;
    if (again || busy) return;
    lastCode = code;
    void check(code);
  }

  toggle.addEventListener("click", async () => {
    if (camera) {
      camera.stop();
      camera = undefined;
      delete video.dataset.on;
      toggle.textContent = "Start camera";
      return;
    }
    toggle.disabled = true;
    try {
      camera = await startCamera(video, seen);
      video.dataset.on = "";
      toggle.textContent = "Stop camera";
    } catch {
      showError("The camera could not be started: allow it, or type the code below.");
    } finally {
      toggle.disabled = false;
    }
  });

  manual.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeField.value.trim();
    if (!code) return;
    codeField.value = "";
    void check(code);
  });

  addEventListener("online", () => void sync());
  addEventListener("offline", () => showSync());
  setInterval(() => void sync(), SYNC_MS);
  showCounts();
  void sync();
}

const checkIns = (n: number) => `${n} offline ${n === 1 ? "check-in" : "check-ins"}`;

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}
