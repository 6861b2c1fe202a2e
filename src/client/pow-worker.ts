import { leadingZeroBits, powDigest } from "../protection/pow";
import type { WorkerMessage } from "./lib/challenge";

/**
 * The proof-of-work search, off the page's main thread: hashes candidates in batches (Web Crypto
 * is asynchronous, so a batch keeps it busy) and reports progress about ten times a second.
 */

const BATCH = 256;
const MAX_TRIES = 2 ** 28;

function post(message: WorkerMessage): void {
  postMessage(message);
}

addEventListener("message", async (event: MessageEvent<{ nonce: string; difficulty: number }>) => {
  const { nonce, difficulty } = event.data;
  let reported = 0;
  for (let start = 0; start < MAX_TRIES; start += BATCH) {
    const candidates = Array.from({ length: BATCH }, (_, i) => String(start + i));
    const digests = await Promise.all(candidates.map((c) => powDigest(nonce, c)));
    const found = digests.findIndex((d) => leadingZeroBits(d) >= difficulty);
    if (found >= 0) {
      post({ type: "solved", solution: candidates[found]!, tries: start + found + 1 });
      return;
    }
    const now = performance.now();
    if (now - reported > 100) {
      reported = now;
      post({ type: "progress", tries: start + BATCH });
    }
  }
  post({ type: "failed", tries: MAX_TRIES });
});
