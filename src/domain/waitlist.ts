import { DeadlineHeap } from "./deadline-heap";
import { isLive } from "./hold-book";
import type { Inventory } from "./inventory";
import type { HoldItem, HoldStatus } from "./types";

/**
 * An event's waitlist: fans in line per section (or for any section), in join order. Seats that
 * come back are offered to the first fan whose quantity fits, as a hold owned by that fan, in the
 * same turn that freed them, so the public never sees them. Entries live in the room's SQLite
 * (the `WaitlistStore`); memory holds only the head of each line and its count, so a line of
 * 100,000 costs the room what a line of 100 does. Pure: no I/O but through the store.
 */

export type WaitlistStatus = "waiting" | "offered" | "claimed" | "expired" | "left";

export interface WaitlistOffer {
  holdId: string;
  expiresAt: number;
  items: HoldItem[];
  totalCents: number;
  currency: string;
}

export interface WaitlistEntry {
  waitlistId: string;
  userId: string;
  /** null: any section. */
  sectionId: string | null;
  quantity: number;
  /** Join order, unique per event. */
  seq: number;
  status: WaitlistStatus;
  joinedAt: number;
  updatedAt: number;
  email?: string;
  offer?: WaitlistOffer;
}

/** Where entries live. Writes are synchronous (the room's SQLite, committed with the turn). */
export interface WaitlistStore {
  byUser(userId: string): WaitlistEntry | undefined;
  /** Waiting entries of one line in join order, after `afterSeq`. */
  waitingAfter(line: string, afterSeq: number, limit: number): WaitlistEntry[];
  /** Waiting entries of one line that joined before `seq`. */
  countWaitingBefore(line: string, seq: number): number;
  /** Waiting entries per line (at load). */
  waitingCounts(): Map<string, number>;
  /** Entries holding an offer (at load). */
  offered(): WaitlistEntry[];
  maxSeq(): number;
  put(entry: WaitlistEntry): void;
}

/** The line an entry waits in: its section, or `*` for any section. */
export const lineOf = (sectionId: string | null): string => sectionId ?? "*";

/** Entries kept in memory per line; refilled from the store when it runs low. */
export const HEAD_SIZE = 8;

interface Head {
  entries: WaitlistEntry[];
  /** The store may hold waiting entries beyond these. */
  more: boolean;
}

export interface OfferNotice {
  entry: WaitlistEntry;
  offer: WaitlistOffer;
}

export interface WaitlistCounters {
  joined: number;
  offersMade: number;
  offersClaimed: number;
  offersExpired: number;
  left: number;
}

export class Waitlist {
  private readonly heads = new Map<string, Head>();
  private readonly waiting: Map<string, number>;
  /** Outstanding offers by hold id: bounded by the seats on offer, not by the line. */
  private readonly offers = new Map<string, WaitlistEntry>();
  /** When each outstanding offer is next worth a look: an expiry pass settles only those due. */
  private readonly offerDeadlines = new DeadlineHeap();
  private seq: number;
  private notices: OfferNotice[] = [];
  counters: WaitlistCounters = { joined: 0, offersMade: 0, offersClaimed: 0, offersExpired: 0, left: 0 };

  constructor(
    private readonly store: WaitlistStore,
    counters?: WaitlistCounters,
  ) {
    this.waiting = store.waitingCounts();
    for (const entry of store.offered()) {
      if (!entry.offer) continue;
      this.offers.set(entry.offer.holdId, entry);
      this.offerDeadlines.push(entry.offer.expiresAt, entry.offer.holdId);
    }
    this.seq = store.maxSeq();
    if (counters) this.counters = { ...counters };
  }

  /** One entry per user: joining again returns the entry that stands (`created` false). */
  join(
    request: { userId: string; sectionId: string | null; quantity: number; email?: string },
    now: number,
    newId: () => string,
  ): { entry: WaitlistEntry; created: boolean } {
    const existing = this.store.byUser(request.userId);
    if (existing && (existing.status === "waiting" || existing.status === "offered")) {
      return { entry: existing, created: false };
    }
    const entry: WaitlistEntry = {
      waitlistId: newId(),
      userId: request.userId,
      sectionId: request.sectionId,
      quantity: request.quantity,
      seq: ++this.seq,
      status: "waiting",
      joinedAt: now,
      updatedAt: now,
      ...(request.email && { email: request.email }),
    };
    this.store.put(entry);
    const line = lineOf(entry.sectionId);
    this.waiting.set(line, (this.waiting.get(line) ?? 0) + 1);
    const head = this.heads.get(line);
    if (head) {
      if (!head.more && head.entries.length < HEAD_SIZE) head.entries.push(entry);
      else head.more = true;
    }
    this.counters.joined++;
    return { entry, created: true };
  }

  /** Leaves the line; an offer the fan holds is handed back by the caller (`holdId`). */
  leave(userId: string, now: number): { entry: WaitlistEntry; holdId?: string } | undefined {
    const entry = this.store.byUser(userId);
    if (!entry) return undefined;
    if (entry.status === "waiting") {
      this.dropWaiting(entry);
    } else if (entry.status === "offered" && entry.offer) {
      this.offers.delete(entry.offer.holdId);
    } else {
      return { entry };
    }
    const holdId = entry.status === "offered" ? entry.offer?.holdId : undefined;
    entry.status = "left";
    entry.updatedAt = now;
    this.store.put(entry);
    this.counters.left++;
    return { entry, ...(holdId && { holdId }) };
  }

  get(userId: string): WaitlistEntry | undefined {
    return this.store.byUser(userId);
  }

  /** 1 + the entries still waiting ahead in the same line; 0 for an entry that no longer waits. */
  position(entry: WaitlistEntry): number {
    if (entry.status !== "waiting") return 0;
    return 1 + this.store.countWaitingBefore(lineOf(entry.sectionId), entry.seq);
  }

  /** Waiting entries per line: the organizer's waitlist length per section. */
  lengths(): Record<string, number> {
    return Object.fromEntries(this.waiting);
  }

  /** Entries this object holds in memory (line heads and outstanding offers): bounded, whatever the line's length. */
  memoryEntries(): number {
    let n = this.offers.size;
    for (const head of this.heads.values()) n += head.entries.length;
    return n;
  }

  get isIdle(): boolean {
    if (this.offers.size > 0) return false;
    for (const n of this.waiting.values()) if (n > 0) return false;
    return true;
  }

  /** Offers made since the last call: the room sends their notifications after its commit. */
  drainNotices(): OfferNotice[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  /**
   * Settles ended offers (claimed, or expired and passed on), then offers every section's free
   * places to the first fans in line whose quantity fits. Runs after every expiry pass of the
   * inventory, so within the turn that freed them.
   */
  offerFreed(inventory: Inventory, now: number, offerSeconds: number): void {
    if (this.isIdle) return;
    // Offers whose time is up: claimed (bought), or passed on. An offer handed back earlier has
    // already freed its places; its entry is settled when its time comes (and reads as expired).
    this.offerDeadlines.takeDue(now, (holdId) => {
      const entry = this.offers.get(holdId);
      if (!entry) return;
      const hold = inventory.getHold(holdId, now);
      if (hold && isLive(hold)) {
        this.offerDeadlines.push(hold.expiresAt, holdId); // in checkout: the payment grace period
        return;
      }
      this.settleOffer(holdId, entry, hold?.status, now);
    });
    for (const sectionId of inventory.sectionIds()) {
      let free = inventory.availableIn(sectionId);
      while (free > 0) {
        const entry = this.firstFitting(sectionId, free);
        if (!entry) break;
        const made = this.offer(inventory, entry, sectionId, now, offerSeconds);
        if (made === "stop") return;
        free = inventory.availableIn(sectionId);
      }
    }
  }

  /** A hold was bought: if it was an offer, the offer is claimed (now, not when its time would have run out). */
  sold(holdId: string, now: number): void {
    this.settle(holdId, "purchased", now);
  }

  /** An offer's hold ended (its status given): settled now rather than at its deadline. */
  settle(holdId: string, status: HoldStatus | undefined, now: number): void {
    const entry = this.offers.get(holdId);
    if (entry && status !== "held" && status !== "checkout") this.settleOffer(holdId, entry, status, now);
  }

  /** The status an entry reports: an offer whose hold was bought is claimed. */
  statusOf(entry: WaitlistEntry, holdStatus: HoldStatus | undefined): WaitlistStatus {
    if (entry.status !== "offered") return entry.status;
    if (holdStatus === "purchased") return "claimed";
    if (holdStatus === "expired" || holdStatus === "released" || holdStatus === undefined) return "expired";
    return "offered";
  }

  // ---------------------------------------------------------------- internals

  private settleOffer(holdId: string, entry: WaitlistEntry, status: HoldStatus | undefined, now: number): void {
    this.offers.delete(holdId);
    if (status === "purchased") {
      entry.status = "claimed";
      this.counters.offersClaimed++;
    } else {
      entry.status = "expired";
      this.counters.offersExpired++;
    }
    entry.updatedAt = now;
    this.store.put(entry);
  }

  private offer(
    inventory: Inventory,
    entry: WaitlistEntry,
    sectionId: string,
    now: number,
    offerSeconds: number,
  ): "made" | "skipped" | "stop" {
    const seated = inventory.sectionsView(now, sectionId)[0];
    const seatIds =
      seated?.kind === "seated"
        ? (seated.seats ?? [])
            .filter((s) => s.status === "available")
            .slice(0, entry.quantity)
            .map((s) => s.id)
        : [];
    const result = inventory.hold(
      {
        userId: entry.userId,
        seatIds,
        ga: seated?.kind === "ga" ? [{ sectionId, quantity: entry.quantity }] : [],
        holdSeconds: offerSeconds,
      },
      now,
    );
    this.dropWaiting(entry);
    entry.updatedAt = now;
    if (!result.ok) {
      // Not on sale (paused, closed): nobody can be offered anything; the entry keeps its place.
      if (result.error.code === "NOT_ON_SALE" || result.error.code === "PRESALE_CODE_REQUIRED") {
        this.restoreWaiting(entry);
        return "stop";
      }
      // This fan cannot take it (their own limit): they leave the line, the next one is asked.
      entry.status = "expired";
      this.store.put(entry);
      this.counters.offersExpired++;
      return "skipped";
    }
    const hold = result.value;
    const offer: WaitlistOffer = {
      holdId: hold.holdId,
      expiresAt: hold.expiresAt,
      items: hold.items,
      totalCents: hold.totalCents,
      currency: hold.currency,
    };
    entry.status = "offered";
    entry.offer = offer;
    this.store.put(entry);
    this.offers.set(hold.holdId, entry);
    this.offerDeadlines.push(hold.expiresAt, hold.holdId);
    this.counters.offersMade++;
    this.notices.push({ entry, offer });
    return "made";
  }

  /** The first waiting entry, in join order across this section's line and the any-section line, that fits. */
  private firstFitting(sectionId: string, free: number): WaitlistEntry | undefined {
    const own = this.head(lineOf(sectionId));
    const any = this.head("*");
    let i = 0;
    let j = 0;
    while (i < own.entries.length || j < any.entries.length) {
      const a = own.entries[i];
      const b = any.entries[j];
      const next = !b || (a && a.seq < b.seq) ? a! : b;
      if (next === a) i++;
      else j++;
      if (next.quantity <= free) return next;
    }
    return undefined;
  }

  private head(line: string): Head {
    let head = this.heads.get(line);
    if (!head) {
      head = { entries: [], more: (this.waiting.get(line) ?? 0) > 0 };
      this.heads.set(line, head);
    }
    if (head.more && head.entries.length < HEAD_SIZE / 2) {
      const last = head.entries.at(-1)?.seq ?? 0;
      const wanted = HEAD_SIZE - head.entries.length;
      const fetched = this.store.waitingAfter(line, last, wanted);
      head.entries.push(...fetched);
      head.more = fetched.length === wanted;
    }
    return head;
  }

  private dropWaiting(entry: WaitlistEntry): void {
    const line = lineOf(entry.sectionId);
    this.waiting.set(line, Math.max(0, (this.waiting.get(line) ?? 0) - 1));
    const head = this.heads.get(line);
    if (head) {
      const at = head.entries.findIndex((e) => e.userId === entry.userId);
      if (at >= 0) head.entries.splice(at, 1);
    }
    entry.status = "expired";
  }

  private restoreWaiting(entry: WaitlistEntry): void {
    entry.status = "waiting";
    const line = lineOf(entry.sectionId);
    this.waiting.set(line, (this.waiting.get(line) ?? 0) + 1);
    // Back at the front of the cached head (it was first), or fetched again later.
    const head = this.heads.get(line);
    if (head) {
      head.entries.unshift(entry);
      head.entries.sort((x, y) => x.seq - y.seq);
    }
  }
}
