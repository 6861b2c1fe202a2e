/**
 * Signals the alert rules read that no durable record holds: webhook signature failures, rooms
 * answering 503, Stripe calls and their errors. Noted in memory where they happen and added to
 * per-minute counters in KV (`signal:<name>:<minute>`, kept 15 minutes) when the request ends, so
 * that the scheduled rules (another isolate, maybe another location) can sum the last minutes.
 * KV is eventually consistent and the add is a read then a write: under a burst some counts are
 * lost and a count can show up to a minute late. Enough to say "more than zero" or "over 10%".
 */
export const SIGNALS = ["webhook_signature_failed", "room_unavailable", "stripe_call", "stripe_error"] as const;
export type Signal = (typeof SIGNALS)[number];

const MINUTE_MS = 60_000;
const KEEP_SECONDS = 15 * 60;

const pending = new Map<Signal, number>();

/** Notes one occurrence in this isolate; `flushSignals` adds the notes to KV. */
export function noteSignal(signal: Signal, count = 1): void {
  pending.set(signal, (pending.get(signal) ?? 0) + count);
}

export const hasPendingSignals = (): boolean => pending.size > 0;

const keyOf = (signal: Signal, minute: number) => `signal:${signal}:${minute}`;

/** Adds what this isolate noted to the current minute's counters. Never throws. */
export async function flushSignals(kv: KVNamespace, now = Date.now()): Promise<void> {
  const notes = [...pending];
  pending.clear();
  const minute = Math.floor(now / MINUTE_MS);
  await Promise.all(
    notes.map(async ([signal, count]) => {
      try {
        const key = keyOf(signal, minute);
        const before = Number((await kv.get(key)) ?? 0) || 0;
        await kv.put(key, String(before + count), { expirationTtl: KEEP_SECONDS });
      } catch {
        // An alert signal must never fail the request it was noted in.
      }
    }),
  );
}

/** The signal's count over the `minutes` minutes up to `now` (the current one included). */
export async function signalCount(kv: KVNamespace, signal: Signal, now: number, minutes = 5): Promise<number> {
  const last = Math.floor(now / MINUTE_MS);
  const counts = await Promise.all(
    Array.from({ length: minutes }, (_, i) => kv.get(keyOf(signal, last - i)).then((v) => Number(v ?? 0) || 0)),
  );
  return counts.reduce((a, b) => a + b, 0);
}
