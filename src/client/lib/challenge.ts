import { el } from "./dom";
import { type Challenge, Clearance } from "./schemas";

/**
 * The proof-of-work challenge behind 403 CHALLENGE_REQUIRED (src/http/middleware/bot-score.ts,
 * src/http/routes/challenge.ts): find a solution whose SHA-256 over `${nonce}:${solution}` starts
 * with `difficulty` zero bits. Solved in a Web Worker (src/client/pow-worker.ts, Web Crypto) so the
 * page stays responsive, with a progress bar; the solution is traded at POST /api/v1/challenge
 * for a clearance, which the API helper sends back as X-Clearance.
 */

export type WorkerMessage =
  | { type: "progress"; tries: number }
  | { type: "solved"; solution: string; tries: number }
  | { type: "failed"; tries: number };

export type Solved = { ok: true; clearance: string; expiresAt: string } | { ok: false; message: string };

function workerUrl(): string {
  const url = document.body.dataset.powWorker;
  if (!url) throw new Error("the page does not name its proof-of-work worker");
  return url;
}

/** A small modal that says what is happening and how far along it is. */
function progressDialog() {
  const bar = el("progress", { max: "100", value: "0", "aria-label": "Checking progress" });
  const text = el(
    "p",
    { role: "status", "aria-live": "polite" },
    "One moment: checking this browser before we continue…",
  );
  const dialog = el(
    "dialog",
    { class: "challenge-dialog", "aria-labelledby": "challenge-title" },
    el("h2", { id: "challenge-title" }, "Just a second"),
    text,
    bar,
  );
  document.body.append(dialog);
  dialog.showModal();
  return {
    progress(fraction: number) {
      bar.value = Math.min(99, Math.round(fraction * 100));
    },
    done(message: string) {
      bar.value = 100;
      text.textContent = message;
      dialog.close();
      dialog.remove();
    },
  };
}

function solveInWorker(challenge: Challenge, onProgress: (fraction: number) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(workerUrl(), { type: "module", name: "proof-of-work" });
    const expected = 2 ** challenge.difficulty;
    const finish = (solution: string | undefined) => {
      worker.terminate();
      resolve(solution);
    };
    const deadline = setTimeout(() => finish(undefined), Math.max(5_000, Date.parse(challenge.expiresAt) - Date.now()));
    worker.addEventListener("message", (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === "progress") {
        // The chance of having found it by now: a smooth bar for a search of random length.
        onProgress(1 - Math.exp(-message.tries / expected));
        return;
      }
      clearTimeout(deadline);
      finish(message.type === "solved" ? message.solution : undefined);
    });
    worker.addEventListener("error", () => {
      clearTimeout(deadline);
      finish(undefined);
    });
    worker.postMessage({ nonce: challenge.nonce, difficulty: challenge.difficulty });
  });
}

export async function solveChallenge(challenge: Challenge): Promise<Solved> {
  const dialog = progressDialog();
  try {
    const solution = await solveInWorker(challenge, (fraction) => dialog.progress(fraction));
    if (!solution) return { ok: false, message: "We could not finish the browser check. Please try again." };
    const response = await fetch(challenge.solveUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ token: challenge.token, solution }),
      credentials: "same-origin",
    });
    const body: unknown = await response.json().catch(() => undefined);
    const clearance = Clearance.safeParse(body);
    if (!response.ok || !clearance.success) {
      return { ok: false, message: "The browser check did not pass. Please try again." };
    }
    return { ok: true, clearance: clearance.data.clearance, expiresAt: clearance.data.expiresAt };
  } finally {
    dialog.done("Done.");
  }
}
