/**
 * The waiting room's arithmetic, with no per-visitor state anywhere.
 *
 * Order: a visitor's sort key is the join time, or, for a pre-queue joiner, a uniformly random
 * time inside the pre-queue window (drawn once, carried in the signed queue token). Sorting by key
 * is a uniform shuffle of the pre-queue followed by FIFO.
 * Counts: joins are counted per key bucket (a histogram), so memory is O(buckets).
 * Admission: a watermark over keys; everyone at or below the mark is admitted.
 */

export const BUCKET_MS = 1000;

export type QueueMode = "off" | "always" | "auto";

export interface QueueSettings {
  mode: QueueMode;
  admitPerMinute: number;
  maxActive: number;
  prequeueMinutes: number;
  accessMinutes: number;
  /** When admission starts: the on-sale time. */
  opensAt: number;
}

/**
 * Shards report about once a second. Admission waits this long after opening (so every pre-queue
 * join is counted before the first visitor is let in), and the mark stays this far behind the
 * present (so the second now being joined is never admitted while it is still filling).
 */
export const SETTLE_MS = 3000;

export const bucketOf = (key: number): number => Math.floor(key / BUCKET_MS) * BUCKET_MS;

/**
 * The sort key for someone joining at `now`: a random time inside the pre-queue window, or, once
 * the queue is open, the join second plus a random offset inside it. Within a bucket keys are
 * thus uniform whatever the arrival pattern, which is what lets a count-only histogram place the
 * mark (and estimate positions) by interpolation; FIFO holds to the second.
 */
export function sortKey(now: number, opensAt: number, prequeueMs: number, random: () => number): number {
  if (now >= opensAt || prequeueMs <= 0) return bucketOf(now) + Math.floor(random() * BUCKET_MS);
  return Math.min(opensAt - 1, Math.floor(opensAt - prequeueMs + random() * prequeueMs));
}

/** Key bucket → visitors; sorted iteration on demand. */
export class Histogram {
  readonly counts = new Map<number, number>();

  static from(entries: Iterable<readonly [number, number]>): Histogram {
    const h = new Histogram();
    for (const [bucket, count] of entries) h.add(bucket, count);
    return h;
  }

  add(bucket: number, count = 1): void {
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  sorted(): Array<[number, number]> {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/** Sums shard histograms. */
export function merge(histograms: Iterable<Histogram>): Histogram {
  const merged = new Histogram();
  for (const h of histograms) for (const [bucket, count] of h.counts) merged.add(bucket, count);
  return merged;
}

/**
 * Visitors whose key is below `key`, assuming keys spread evenly inside a bucket: exact at bucket
 * edges, within one bucket's population elsewhere.
 */
export function countBelow(sorted: ReadonlyArray<readonly [number, number]>, key: number): number {
  let n = 0;
  for (const [bucket, count] of sorted) {
    if (bucket + BUCKET_MS <= key) n += count;
    else if (bucket < key) n += (count * (key - bucket)) / BUCKET_MS;
    else break;
  }
  return n;
}

/** The mark after admitting `n` more visitors above `mark` (inverse of countBelow). */
export function advanceMark(sorted: ReadonlyArray<readonly [number, number]>, mark: number, n: number): number {
  if (n <= 0) return mark;
  let wanted = countBelow(sorted, mark + 1) + n;
  for (const [bucket, count] of sorted) {
    // Rounded down: the mark may admit a fraction less than asked, never more.
    if (wanted <= count) return Math.max(mark, Math.floor(bucket + (wanted / count) * BUCKET_MS) - 1);
    wanted -= count;
  }
  const last = sorted[sorted.length - 1];
  return last ? Math.max(mark, last[0] + BUCKET_MS - 1) : mark;
}

export interface Position {
  admitted: boolean;
  /** People in front of this visitor who are not admitted yet (an estimate). */
  ahead: number;
  position: number;
  estimatedWaitSeconds: number;
}

/** Where a visitor with `key` stands, from the published status alone. */
export function positionOf(
  sorted: ReadonlyArray<readonly [number, number]>,
  mark: number,
  key: number,
  admitPerMinute: number,
): Position {
  if (key <= mark) return { admitted: true, ahead: 0, position: 0, estimatedWaitSeconds: 0 };
  // countBelow spreads the key's own bucket evenly, this visitor included: the visitor is not ahead
  // of themselves, so their own share comes off. A visitor alone in their second (a short line,
  // joiners more than a second apart) then reads an exact place, never a tie with the next one.
  const own = ownShare(sorted, mark, key);
  const ahead = Math.max(0, Math.round(countBelow(sorted, key) - countBelow(sorted, mark + 1) - own));
  const rate = Math.max(admitPerMinute, 1) / 60;
  return { admitted: false, ahead, position: ahead + 1, estimatedWaitSeconds: Math.ceil((ahead + 1) / rate) };
}

/** The visitor's own part of countBelow's even spread of their bucket (0 when it is not counted). */
function ownShare(sorted: ReadonlyArray<readonly [number, number]>, mark: number, key: number): number {
  const bucket = bucketOf(key);
  for (const [start, count] of sorted) {
    if (start > bucket) break;
    if (start === bucket) return count > 0 ? Math.max(0, key - Math.max(bucket, mark + 1)) / BUCKET_MS : 0;
  }
  return 0;
}

export interface AdmissionState {
  mark: number;
  /** Fractional admissions owed by the rate, carried between ticks. */
  credit: number;
  lastTickAt: number;
  /** Recent admissions and purchases, for "active shoppers"; pruned past the access lifetime. */
  admissions: Array<[at: number, count: number]>;
  purchases: number[];
  /** Recent (time, mark) pairs: when each key range was admitted, for access-token lifetimes. */
  marks: Array<[at: number, mark: number]>;
}

export const newAdmissionState = (): AdmissionState => ({
  mark: 0,
  credit: 0,
  lastTickAt: 0,
  admissions: [],
  purchases: [],
  marks: [],
});

export function activeShoppers(state: AdmissionState, now: number, accessMs: number): number {
  const since = now - accessMs;
  let admitted = 0;
  for (const [at, count] of state.admissions) if (at > since) admitted += count;
  const bought = state.purchases.filter((at) => at > since).length;
  return Math.max(0, admitted - bought);
}

/**
 * One admission tick: admit as many as the rate has earned since the last tick, no more than
 * `maxActive` allows, and none when sold out. Returns how many were admitted.
 */
export function admit(
  state: AdmissionState,
  sorted: ReadonlyArray<readonly [number, number]>,
  settings: QueueSettings,
  now: number,
  soldOut: boolean,
): number {
  const accessMs = settings.accessMinutes * 60_000;
  const perMs = settings.admitPerMinute / 60_000;
  const elapsed = state.lastTickAt === 0 ? 1000 : Math.max(0, now - state.lastTickAt);
  state.lastTickAt = now;
  // Credit never banks more than two seconds' worth: a pause must not turn into a burst.
  state.credit = Math.min(state.credit + elapsed * perMs, Math.max(1, 2000 * perMs));
  prune(state, now, accessMs);
  if (soldOut || now < settings.opensAt + SETTLE_MS) return 0;
  const waiting = Math.round(sumCounts(sorted) - countBelow(sorted, state.mark + 1));
  const room = settings.maxActive - activeShoppers(state, now, accessMs);
  const n = Math.max(0, Math.min(Math.floor(state.credit), room, waiting));
  if (n === 0) return 0;
  const before = countBelow(sorted, state.mark + 1);
  // Never into seconds whose counts may still grow: a join reported late below the mark would
  // be admitted uncounted, past the rate.
  const settled = bucketOf(now - SETTLE_MS) - 1;
  state.mark = Math.max(state.mark, Math.min(advanceMark(sorted, state.mark, n), settled));
  // What the mark actually admitted (the mark is a whole millisecond): the books follow the mark.
  const admitted = countBelow(sorted, state.mark + 1) - before;
  state.credit -= admitted;
  state.admissions.push([now, admitted]);
  state.marks.push([now, state.mark]);
  return admitted;
}

/** When a key was admitted, from the mark history; undefined if not (or too long ago to know). */
export function admittedAt(state: Pick<AdmissionState, "marks">, key: number): number | undefined {
  for (const [at, mark] of state.marks) if (key <= mark) return at;
  return undefined;
}

function prune(state: AdmissionState, now: number, accessMs: number): void {
  const since = now - accessMs;
  state.admissions = state.admissions.filter(([at]) => at > since);
  state.purchases = state.purchases.filter((at) => at > since);
  // Keep the last mark before the window too: it says who was admitted before it.
  const firstInWindow = state.marks.findIndex(([at]) => at > since);
  if (firstInWindow > 1) state.marks = state.marks.slice(firstInWindow - 1);
}

const sumCounts = (sorted: ReadonlyArray<readonly [number, number]>): number => sorted.reduce((n, [, c]) => n + c, 0);
