import { DeadlineHeap } from "./deadline-heap";
import { typeKey, voucherKey } from "./hold-pricing";
import { type HoldArchive, RETENTION_MS } from "./idempotency";
import { LimitedCounts } from "./pricing-counts";
import type { GaTake, Stock } from "./stock";
import type { Hold } from "./types";

/** A hold and the stock it takes (seat indexes, GA places), as the inventory keeps it. */
export interface HoldRecord {
  hold: Hold;
  seats: number[];
  ga: GaTake[];
}

/** A hold that still takes its seats and may still be checked out or let go. */
export function isLive(hold: Hold): boolean {
  return hold.status === "held" || hold.status === "checkout";
}

/** Whether a hold's seats are someone's: live, or sold. */
export const takesStock = (hold: Hold): boolean => isLive(hold) || hold.status === "purchased";

export function ticketCount(record: HoldRecord): number {
  let n = record.seats.length;
  for (const [, q] of record.ga) n += q;
  return n;
}

/**
 * The type quotas and voucher use a hold takes while it lives or is paid: its items' tickets per
 * type (less any given back) and one use of its voucher. Items without a type are the default
 * type's, which has no quota, so they count nothing.
 */
export function usesOf(hold: Hold): [key: string, n: number][] {
  const uses: [string, number][] = [];
  const returnedGa = { ...hold.returned?.ga };
  for (const item of hold.items) {
    if (item.ticketType === undefined) continue;
    let n = item.quantity;
    if (item.seatId !== undefined && hold.returned?.seatIds.includes(item.seatId)) n = 0;
    if (item.sectionId !== undefined) {
      // GA returns name only the section: they are taken from its items in order.
      const back = Math.min(n, returnedGa[item.sectionId] ?? 0);
      returnedGa[item.sectionId] = (returnedGa[item.sectionId] ?? 0) - back;
      n -= back;
    }
    if (n > 0) uses.push([typeKey(item.ticketType), n]);
  }
  if (hold.voucherId !== undefined) uses.push([voucherKey(hold.voucherId), 1]);
  return uses;
}

/**
 * The holds of one event in memory: who holds how many tickets, when each live hold ends, which
 * rows changed since the last drain, and how long an ended hold is remembered. It keeps the books;
 * the inventory decides what happens to a hold.
 */
export class HoldBook {
  readonly records = new Map<string, HoldRecord>();
  /** Deadlines of live holds (stale entries are skipped as they surface). */
  readonly expiries = new DeadlineHeap();
  /** Type quotas and voucher uses taken by the holds that take stock. */
  readonly limited = new LimitedCounts();
  private readonly tickets = new Map<string, number>();
  /** Ended holds to forget after RETENTION_MS (without an archive). */
  private readonly retention = new DeadlineHeap();
  private dirty = new Set<string>();
  private forgotten: string[] = [];
  /** With an archive: holds to look at after the next drain (ended ones leave memory). */
  private evictable = new Set<string>();

  constructor(
    private readonly eventId: string,
    private readonly archive: HoldArchive | undefined,
  ) {}

  /** Tickets a user holds or bought for this event. */
  ticketsOf(userId: string): number {
    return this.tickets.get(userId) ?? 0;
  }

  addTickets(userId: string, n: number): void {
    const left = this.ticketsOf(userId) + n;
    if (left > 0) this.tickets.set(userId, left);
    else this.tickets.delete(userId);
  }

  /** A hold in memory, or an ended one brought back from the archive for this one decision. */
  find(holdId: string, stock: Stock): HoldRecord | undefined {
    const inMemory = this.records.get(holdId);
    if (inMemory || !this.archive) return inMemory;
    const stored = this.archive.hold(holdId);
    if (!stored || stored.eventId !== this.eventId) return undefined;
    this.adopt(stored, stock);
    this.evictable.add(holdId);
    return this.records.get(holdId);
  }

  /** A new live hold. */
  add(record: HoldRecord): void {
    this.records.set(record.hold.holdId, record);
    this.addTickets(record.hold.userId, ticketCount(record));
    this.takeUses(record.hold, 1);
    this.expiries.push(record.hold.expiresAt, record.hold.holdId);
    this.touch(record.hold.holdId);
  }

  /** Takes (sign 1) or gives back (sign -1) what a hold counts against quotas and vouchers. */
  takeUses(hold: Hold, sign: 1 | -1): void {
    for (const [key, n] of usesOf(hold)) this.limited.add(key, sign * n);
  }

  /** Its row changed: written in the next drain. */
  touch(holdId: string): void {
    this.dirty.add(holdId);
  }

  /** A hold just ended: remembered for RETENTION_MS here, or (with an archive) dropped after the next drain. */
  retire(holdId: string, now: number): void {
    if (this.archive) this.evictable.add(holdId);
    else this.retention.push(now + RETENTION_MS, holdId);
  }

  /** Re-enters a stored hold into memory: counts, seat states, deadlines. */
  adopt(hold: Hold, stock: Stock): void {
    const seats: number[] = [];
    const ga: GaTake[] = [];
    const returned = hold.returned;
    for (const item of hold.items) {
      if (item.seatId !== undefined) {
        const s = stock.map.seatAt(item.seatId);
        if (s !== undefined && !returned?.seatIds.includes(item.seatId)) seats.push(s);
      } else if (item.sectionId !== undefined) {
        const section = stock.map.sectionById.get(item.sectionId);
        if (!section) continue;
        // Items of several types in one section take that section's places together.
        const same = ga.find(([g]) => g === section.index);
        if (same) same[1] += item.quantity;
        else ga.push([section.index, item.quantity]);
      }
    }
    for (const take of ga) take[1] -= returned?.ga[stock.map.sections[take[0]]!.id] ?? 0;
    const record = { hold, seats, ga };
    this.records.set(hold.holdId, record);
    if (takesStock(hold)) {
      stock.occupy(seats, ga, hold.status === "purchased" ? "sold" : "held");
      this.addTickets(hold.userId, ticketCount(record));
      this.takeUses(hold, 1);
      if (hold.status !== "purchased") this.expiries.push(hold.expiresAt, hold.holdId);
    } else if (hold.endedAt !== undefined && !this.archive) {
      this.retention.push(hold.endedAt + RETENTION_MS, hold.holdId);
    }
  }

  /** Forgets the ended holds past retention by `now`. */
  forgetDue(now: number): void {
    this.retention.takeDue(now, (holdId, time) => {
      if (!this.stands(holdId, time)) return;
      this.records.delete(holdId);
      this.dirty.delete(holdId);
      this.forgotten.push(holdId);
    });
  }

  /** The earliest live hold's end or retention deadline, stale entries dropped on the way. */
  nextDeadline(): number | undefined {
    while (this.expiries.size > 0) {
      const record = this.records.get(this.expiries.peekKey()!);
      if (record && isLive(record.hold) && record.hold.expiresAt === this.expiries.peekTime()) break;
      this.expiries.pop();
    }
    while (this.retention.size > 0 && !this.stands(this.retention.peekKey()!, this.retention.peekTime()!)) {
      this.retention.pop();
    }
    const expiry = this.expiries.peekTime();
    const retention = this.retention.peekTime();
    if (expiry === undefined) return retention;
    if (retention === undefined) return expiry;
    return Math.min(expiry, retention);
  }

  get hasChanges(): boolean {
    return this.dirty.size > 0 || this.forgotten.length > 0;
  }

  /**
   * The changed rows and forgotten ids since the last drain; afterwards (with an archive) the holds
   * that are no longer live leave memory through `evict` (sold ones stay: bounded by the venue,
   * and refunds need them).
   */
  drain(evict: (record: HoldRecord) => void): { holds: Hold[]; forgottenHolds: string[] } {
    const holds: Hold[] = [];
    for (const id of this.dirty) {
      const record = this.records.get(id);
      if (record) holds.push(record.hold);
    }
    const drained = { holds, forgottenHolds: this.forgotten };
    this.evict(this.dirty, evict);
    this.evict(this.evictable, evict);
    this.dirty = new Set();
    this.evictable = new Set();
    this.forgotten = [];
    return drained;
  }

  /** With nothing to drain, the holds brought back from the archive still leave memory. */
  evictBorrowed(evict: (record: HoldRecord) => void): void {
    this.evict(this.evictable, evict);
    this.evictable = new Set();
  }

  private evict(ids: Set<string>, evict: (record: HoldRecord) => void): void {
    if (!this.archive) return;
    for (const id of ids) {
      const record = this.records.get(id);
      if (!record || isLive(record.hold)) continue;
      evict(record);
      if (record.hold.status !== "purchased") this.records.delete(id);
    }
  }

  /** Whether a retention deadline still stands (a hold may be re-sold after it ended). */
  private stands(holdId: string, time: number): boolean {
    const hold = this.records.get(holdId)?.hold;
    return (
      hold !== undefined &&
      (hold.status === "expired" || hold.status === "released") &&
      hold.endedAt !== undefined &&
      hold.endedAt + RETENTION_MS === time
    );
  }
}
