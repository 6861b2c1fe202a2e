import { DeadlineHeap } from "./deadline-heap";
import type { Hold, HoldRequest } from "./types";

/** How long a finished hold and an idempotency key are remembered (for GET and replays). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyEntry {
  /** The user's id and their key, as stored: see `storedKey`. */
  key: string;
  fingerprint: string;
  response: Hold;
  expiresAt: number;
}

/**
 * Where ended holds and idempotency keys live once they leave memory (the room's SQLite): read on a
 * miss, so that memory grows with what is live and sold, not with history. Without one (the Node
 * tests and benchmarks) the core keeps them itself for RETENTION_MS.
 */
export interface HoldArchive {
  /** A hold that is no longer in memory. */
  hold(holdId: string): Hold | undefined;
  /** An idempotency entry still inside its replay window at `now`. */
  key(key: string, now: number): IdempotencyEntry | undefined;
}

/** A key is one user's: stored as user id and key with a NUL between (neither may contain one). */
export const storedKey = (userId: string, key: string): string => `${userId}\u0000${key}`;
const userOfKey = (stored: string): string => stored.slice(0, stored.indexOf("\u0000"));

/** Same key, same body: the request's identity for idempotency, compared only when a key repeats. */
/** Requests without types or a voucher keep the fingerprint they had before those existed. */
export const fingerprintOf = (request: HoldRequest): string =>
  JSON.stringify([
    request.seatIds,
    request.ga,
    request.presaleCode ?? null,
    ...(request.seatTypes || request.voucher ? [request.seatTypes ?? null, request.voucher ?? null] : []),
  ]);

interface Retained {
  userId: string;
  key: string;
}

/**
 * The answers to holds made with an Idempotency-Key, per user, for RETENTION_MS: what a retried
 * request gets again. With an archive a key leaves memory once its hold is no longer live (the
 * archive answers for it); without one it is forgotten when its replay window closes.
 */
export class IdempotencyStore {
  /** Per user, then per stored key: no string concatenation on the hot path's lookups. */
  private readonly byUser = new Map<string, Map<string, IdempotencyEntry>>();
  private readonly retention = new DeadlineHeap<Retained>();
  /** With an archive: the key of each hold whose entry is in memory. */
  private readonly keyOfHold = new Map<string, string>();
  private dirty = new Map<string, IdempotencyEntry>();
  private forgotten = new Set<string>();

  constructor(private readonly archive: HoldArchive | undefined) {}

  /** The entry for a user's stored key, from memory or the archive. */
  find(userId: string, key: string, now: number): IdempotencyEntry | undefined {
    return this.byUser.get(userId)?.get(key) ?? this.archive?.key(key, now);
  }

  /** A hold made with a key succeeded: its answer is kept, and written in the next drain. */
  record(userId: string, entry: IdempotencyEntry): void {
    this.keysOf(userId).set(entry.key, entry);
    this.dirty.set(entry.key, entry);
    this.forgotten.delete(entry.key);
    this.keep(userId, entry);
  }

  /** Re-enters a stored entry (restore only). */
  restore(entry: IdempotencyEntry): void {
    const userId = userOfKey(entry.key);
    this.keysOf(userId).set(entry.key, entry);
    this.keep(userId, entry);
  }

  /** With an archive: a hold that is no longer live takes its entry out of memory (the archive has it). */
  evict(holdId: string, userId: string): void {
    const key = this.keyOfHold.get(holdId);
    if (key === undefined) return;
    this.drop(userId, key);
    this.keyOfHold.delete(holdId);
  }

  /** Forgets the entries whose replay window closed by `now`. */
  forgetDue(now: number): void {
    this.retention.takeDue(now, (retained, time) => {
      if (!this.stands(retained, time)) return;
      this.drop(retained.userId, retained.key);
      this.dirty.delete(retained.key);
      this.forgotten.add(retained.key);
    });
  }

  /** When `forgetDue` next has work, if ever. */
  nextDeadline(): number | undefined {
    while (this.retention.size > 0 && !this.stands(this.retention.peekKey()!, this.retention.peekTime()!)) {
      this.retention.pop();
    }
    return this.retention.peekTime();
  }

  get hasChanges(): boolean {
    return this.dirty.size > 0 || this.forgotten.size > 0;
  }

  /** The entries to write and the keys to delete since the last drain, each once. */
  drain(): { idempotency: IdempotencyEntry[]; forgottenKeys: string[] } {
    const drained = { idempotency: [...this.dirty.values()], forgottenKeys: [...this.forgotten] };
    this.dirty = new Map();
    this.forgotten = new Set();
    return drained;
  }

  /** Entries in memory (the soak benchmark watches this). */
  get size(): number {
    let n = 0;
    for (const perUser of this.byUser.values()) n += perUser.size;
    return n;
  }

  private keep(userId: string, entry: IdempotencyEntry): void {
    if (this.archive) this.keyOfHold.set(entry.response.holdId, entry.key);
    else this.retention.push(entry.expiresAt, { userId, key: entry.key });
  }

  /** Keys are reused after they are forgotten: a deadline stands only for the entry it was set for. */
  private stands({ userId, key }: Retained, time: number): boolean {
    return this.byUser.get(userId)?.get(key)?.expiresAt === time;
  }

  private drop(userId: string, key: string): void {
    const keys = this.byUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(userId);
  }

  private keysOf(userId: string): Map<string, IdempotencyEntry> {
    let keys = this.byUser.get(userId);
    if (!keys) {
      keys = new Map();
      this.byUser.set(userId, keys);
    }
    return keys;
  }
}
