import { kvTtlSeconds, windowAt } from "./window";

/** The part of a KV namespace the counters use (a Map-backed fake in the Node tests). */
export interface CounterStore {
  get(key: string, options: { type: "text"; cacheTtl: number }): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
}

/** One thing to count: `key` names the bucket (class, scope, subject), `limit` is per window. */
export interface Bucket {
  key: string;
  limit: number;
}

export interface Decision {
  allowed: boolean;
  /** The most restrictive bucket's figures (on refusal: the bucket that refused). */
  limit: number;
  remaining: number;
  resetAt: number;
}

interface Counter {
  windowEnd: number;
  limit: number;
  /** Requests this isolate let through in this window: exact. */
  local: number;
  /** How many of `local` were added to KV. */
  flushed: number;
  /** Everybody else's requests in this window, as last read from KV. */
  others: number;
  lastWriteAt: number;
}

export interface RateCountersOptions {
  /** KV takes about one write per second per key. */
  flushIntervalMs?: number;
  /** A counter goes to KV once this isolate alone has used this share of its limit. */
  shareFraction?: number;
  maxEntries?: number;
  /** A Worker invocation may make about 1,000 KV calls; a flush makes two per key. */
  maxKeysPerFlush?: number;
  /** KV caches reads at the edge for at least 30 s. */
  kvCacheTtlSeconds?: number;
}

/**
 * Fixed-window counters: exact within this isolate (check and increment happen in one
 * synchronous step, so concurrent requests cannot overshoot), and shared through KV by batched,
 * periodic flushes that never sit on the request path. What other isolates counted is learnt on
 * those flushes; KV is eventually consistent, so the shared part is an estimate that errs low.
 */
export class RateCounters {
  private readonly counters = new Map<string, Counter>();
  /** Keys of counters with something to share: flushes look at these only. */
  private readonly dirty = new Set<string>();
  private readonly flushIntervalMs: number;
  private readonly shareFraction: number;
  private readonly maxEntries: number;
  private readonly maxKeysPerFlush: number;
  private readonly kvCacheTtlSeconds: number;

  constructor(options: RateCountersOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.shareFraction = options.shareFraction ?? 0.1;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.maxKeysPerFlush = options.maxKeysPerFlush ?? 100;
    this.kvCacheTtlSeconds = options.kvCacheTtlSeconds ?? 30;
  }

  get size(): number {
    return this.counters.size;
  }

  /** Counts one request against every bucket, or against none when any of them is full. */
  take(buckets: Bucket[], windowMs: number, now: number): Decision {
    const window = windowAt(now, windowMs);
    const keys = buckets.map((b) => `${b.key}@${window.start}`);
    const counters = buckets.map((b, i) => this.counter(keys[i]!, window.end, b.limit, now));
    const full = counters.filter((c) => c.local + c.others >= c.limit);
    if (full.length > 0) {
      const limit = Math.min(...full.map((c) => c.limit));
      return { allowed: false, limit, remaining: 0, resetAt: window.end };
    }
    let tightest: Decision = {
      allowed: true,
      limit: Number.POSITIVE_INFINITY,
      remaining: Infinity,
      resetAt: window.end,
    };
    for (const [i, c] of counters.entries()) {
      c.local += 1;
      if (this.waiting(c, now)) this.dirty.add(keys[i]!);
      const remaining = Math.max(0, c.limit - c.local - c.others);
      if (remaining < tightest.remaining) tightest = { allowed: true, limit: c.limit, remaining, resetAt: window.end };
    }
    return tightest;
  }

  /** How full a bucket is in the current window (0 when unseen); does not count anything. */
  usage(key: string, windowMs: number, now: number): number {
    const counter = this.counters.get(`${key}@${windowAt(now, windowMs).start}`);
    return counter ? (counter.local + counter.others) / counter.limit : 0;
  }

  /** Milliseconds until the next flush has something to write; undefined when nothing waits. */
  dueIn(now: number): number | undefined {
    let due: number | undefined;
    for (const key of this.dirty) {
      const c = this.counters.get(key);
      if (!c || !this.waiting(c, now)) {
        this.dirty.delete(key);
        continue;
      }
      const wait = Math.max(0, c.lastWriteAt + this.flushIntervalMs - now);
      if (due === undefined || wait < due) due = wait;
      if (due === 0) break;
    }
    return due;
  }

  /**
   * Adds what this isolate counted since the last flush to KV, for the counters that are due
   * (at most one write per key per interval), busiest first. A failed write is retried later.
   */
  async flush(store: CounterStore, now: number): Promise<{ written: number; failed: number }> {
    const due: [string, Counter][] = [];
    for (const key of this.dirty) {
      const c = this.counters.get(key);
      if (!c || !this.waiting(c, now)) this.dirty.delete(key);
      else if (now - c.lastWriteAt >= this.flushIntervalMs) due.push([key, c]);
    }
    const batch = due
      .sort(([, a], [, b]) => b.local - b.flushed - (a.local - a.flushed))
      .slice(0, this.maxKeysPerFlush);
    let failed = 0;
    await Promise.all(
      batch.map(async ([key, c]) => {
        const adding = c.local - c.flushed;
        c.lastWriteAt = now;
        try {
          const kvKey = `rl:${key}`;
          const raw = await store.get(kvKey, { type: "text", cacheTtl: this.kvCacheTtlSeconds });
          const stored = raw !== null && /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
          // A stale read may miss our own last write: never write less than we know of.
          const base = Math.max(stored, c.flushed + c.others);
          await store.put(kvKey, String(base + adding), { expirationTtl: kvTtlSeconds(c.windowEnd, now) });
          c.others = Math.max(c.others, stored - c.flushed);
          c.flushed += adding;
          if (!this.waiting(c, now)) this.dirty.delete(key);
        } catch {
          failed += 1;
        }
      }),
    );
    return { written: batch.length - failed, failed };
  }

  private waiting(c: Counter, now: number): boolean {
    return c.windowEnd > now && c.local > c.flushed && c.local >= Math.max(1, Math.ceil(c.limit * this.shareFraction));
  }

  private counter(key: string, windowEnd: number, limit: number, now: number): Counter {
    let counter = this.counters.get(key);
    if (!counter) {
      if (this.counters.size >= this.maxEntries) this.sweep(now);
      counter = { windowEnd, limit, local: 0, flushed: 0, others: 0, lastWriteAt: 0 };
      this.counters.set(key, counter);
    }
    counter.limit = limit;
    return counter;
  }

  /** Drops ended windows, then (under a flood of distinct clients) the oldest entries. */
  private sweep(now: number): void {
    for (const [key, c] of this.counters) {
      if (c.windowEnd <= now) {
        this.counters.delete(key);
        this.dirty.delete(key);
      }
    }
    const excess = this.counters.size - Math.floor(this.maxEntries * 0.9);
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.counters.keys()) {
      if (dropped++ >= excess) break;
      this.counters.delete(key);
      this.dirty.delete(key);
    }
  }
}
