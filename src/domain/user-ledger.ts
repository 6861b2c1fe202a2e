import { refuse } from "./refusals";
import { ok, type Result } from "./result";

/**
 * The per-user limit of an event split into rooms (src/domain/room-split.ts). No room sees another's
 * holds, so a small ledger per event and user shard counts each user's tickets across rooms: the edge
 * reserves quota before a room holds, and every step after is a recorded, idempotent change of one
 * entry. An unsold entry is a lease that lasts at least as long as its hold can live (the edge
 * lengthens it before an extension or a checkout, never after), so a step lost to a crash can only
 * make the ledger count a hold that has ended — the user waits for the lease to lapse — and never
 * miss one that lives: no user gets past the limit.
 */

export interface LedgerSettings {
  perUser: number;
  /** How long a hold lives when made (holdSeconds), and the payment grace a checkout may give it. */
  holdMs: number;
  graceMs: number;
}

export interface LedgerEntry {
  reservationId: string;
  userId: string;
  tickets: number;
  holdId: string | null;
  /** Until when it counts: a hold's longest possible life; `null` once sold (until refunded). */
  until: number | null;
  /** The hold's Idempotency-Key: a retried hold finds its first reservation. */
  key: string | null;
}

/** Slack for clocks and the time between the room's decision and the ledger's record of it. */
export const LEASE_SLACK_MS = 5_000;

const counts = (entry: LedgerEntry, now: number): boolean => entry.until === null || entry.until > now;

export class UserLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly byHold = new Map<string, string>();
  /** Entries changed since the last drain: the shell writes them in the same turn. */
  private dirty = new Map<string, LedgerEntry | null>();

  constructor(
    public settings: LedgerSettings,
    entries: LedgerEntry[] = [],
  ) {
    for (const entry of entries) this.put(entry, false);
  }

  /** Tickets counted for a user right now. */
  counted(userId: string, now: number): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.userId === userId && counts(entry, now)) n += entry.tickets;
    return n;
  }

  /** Quota for a hold of `tickets`, before the room is asked: LIMIT_EXCEEDED when it would pass the limit. */
  reserve(
    request: { reservationId: string; userId: string; tickets: number; key?: string | undefined },
    now: number,
  ): Result<{ reservationId: string }> {
    this.prune(now);
    const key = request.key ?? null;
    if (key !== null) {
      for (const entry of this.entries.values()) {
        if (entry.userId === request.userId && entry.key === key && counts(entry, now)) {
          return ok({ reservationId: entry.reservationId });
        }
      }
    }
    const alreadyHeld = this.counted(request.userId, now);
    const limit = this.settings.perUser;
    if (alreadyHeld + request.tickets > limit) return refuse.perUser(limit, alreadyHeld, request.tickets);
    const until = now + this.settings.holdMs + LEASE_SLACK_MS;
    this.put({
      reservationId: request.reservationId,
      userId: request.userId,
      tickets: request.tickets,
      holdId: null,
      until,
      key,
    });
    return ok({ reservationId: request.reservationId });
  }

  /** The room made the hold: the entry names it. A second reservation for the same hold (a retry) goes. */
  confirm(reservationId: string, holdId: string): void {
    const entry = this.entries.get(reservationId);
    if (!entry) return;
    const other = this.byHold.get(holdId);
    if (other !== undefined && other !== reservationId) {
      this.remove(reservationId);
      return;
    }
    this.put({ ...entry, holdId });
  }

  /** The room refused (or the hold was never made): the quota goes back. */
  cancel(reservationId: string): void {
    const entry = this.entries.get(reservationId);
    if (entry && entry.holdId === null) this.remove(reservationId);
  }

  /**
   * Before the room extends a hold or starts its checkout: its lease covers the longest new life. A
   * hold the ledger does not know (its record was lost to a crash) is counted now, within the limit
   * (its lost reservation still counts too, until it lapses); past it, LIMIT_EXCEEDED and no change.
   */
  lengthen(
    hold: { holdId: string; userId: string; tickets: number; expiresAt: number },
    reason: "extend" | "checkout",
    now: number,
  ): Result<void> {
    const more = reason === "extend" ? this.settings.holdMs : this.settings.graceMs;
    const until = Math.max(hold.expiresAt, now) + more + LEASE_SLACK_MS;
    const entry = this.entryOf(hold.holdId);
    if (entry && entry.until === null) return ok(undefined);
    if (entry && counts(entry, now)) {
      this.put({ ...entry, until: Math.max(entry.until ?? 0, until) });
      return ok(undefined);
    }
    const alreadyHeld = this.counted(hold.userId, now);
    const limit = this.settings.perUser;
    if (alreadyHeld + hold.tickets > limit) return refuse.latePaymentOverLimit(limit, alreadyHeld);
    if (entry) this.remove(entry.reservationId);
    const { holdId, userId, tickets } = hold;
    this.put({ reservationId: `lease-${holdId}`, userId, tickets, holdId, until, key: null });
    return ok(undefined);
  }

  /**
   * Before the room sells a hold: it counts until refunded. A hold whose lease lapsed (a payment
   * after its expiry) counts again only within the limit; else LIMIT_EXCEEDED and it is not sold.
   */
  sell(hold: { holdId: string; userId: string; tickets: number }, reservationId: string, now: number): Result<void> {
    const entry = this.entryOf(hold.holdId);
    if (entry && counts(entry, now)) {
      this.put({ ...entry, until: null });
      return ok(undefined);
    }
    const alreadyHeld = this.counted(hold.userId, now);
    const limit = this.settings.perUser;
    if (alreadyHeld + hold.tickets > limit) return refuse.latePaymentOverLimit(limit, alreadyHeld);
    if (entry) this.remove(entry.reservationId);
    this.put({
      reservationId,
      userId: hold.userId,
      tickets: hold.tickets,
      holdId: hold.holdId,
      until: null,
      key: null,
    });
    return ok(undefined);
  }

  /** The hold ended without a sale (released), or its sale was refunded or not made: the quota goes back. */
  free(holdId: string): void {
    const entry = this.entryOf(holdId);
    if (entry) this.remove(entry.reservationId);
  }

  /** Forgets lapsed leases. */
  prune(now: number): void {
    for (const entry of [...this.entries.values()]) if (!counts(entry, now)) this.remove(entry.reservationId);
  }

  drainDirty(): Map<string, LedgerEntry | null> {
    const dirty = this.dirty;
    this.dirty = new Map();
    return dirty;
  }

  private entryOf(holdId: string): LedgerEntry | undefined {
    const id = this.byHold.get(holdId);
    return id === undefined ? undefined : this.entries.get(id);
  }

  private put(entry: LedgerEntry, record = true): void {
    this.entries.set(entry.reservationId, entry);
    if (entry.holdId !== null) this.byHold.set(entry.holdId, entry.reservationId);
    if (record) this.dirty.set(entry.reservationId, entry);
  }

  private remove(reservationId: string): void {
    const entry = this.entries.get(reservationId);
    if (!entry) return;
    this.entries.delete(reservationId);
    if (entry.holdId !== null && this.byHold.get(entry.holdId) === reservationId) this.byHold.delete(entry.holdId);
    this.dirty.set(reservationId, null);
  }
}
