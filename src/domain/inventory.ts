import { nearestFreeSeats } from "./alternatives";
import { DeadlineHeap } from "./deadline-heap";
import { fail, ok, type Result } from "./result";
import { checkSalesWindow } from "./sales-window";
import { SeatMap } from "./seat-map";
import type {
  Hold,
  HoldItem,
  HoldRequest,
  HoldUnit,
  InventoryConfig,
  InventoryStats,
  SeatStatus,
  SectionView,
  Step,
} from "./types";

const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;
const BLOCKED = 3;
const STATUS_NAMES: SeatStatus[] = ["available", "held", "sold", "blocked"];

/** How long a finished hold and an idempotency key are remembered (for GET and replays). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

interface HoldRecord {
  hold: Hold;
  seats: number[];
  ga: Array<[section: number, quantity: number]>;
}

export interface IdempotencyEntry {
  key: string;
  fingerprint: string;
  response: Hold;
  expiresAt: number;
}

export interface InventoryCounters {
  version: number;
  holdsCreated: number;
  holdsExpired: number;
  holdsReleased: number;
  holdsPurchased: number;
  revenueCents: number;
}

/** What changed since the last drain: the rows the shell must write in its next commit. */
export interface DirtySet {
  holds: Hold[];
  idempotency: IdempotencyEntry[];
  forgottenHolds: string[];
  forgottenKeys: string[];
  counters: InventoryCounters;
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

export interface InventoryOptions {
  newHoldId: () => string;
  archive?: HoldArchive;
}

/**
 * One event's seat inventory and holds: the rules, in memory, with no I/O.
 * Every mutating method takes `now`, first expires holds that are due (so a hold is live only
 * while now < expiresAt, whatever the alarm does), bumps `version` once per change, and records
 * the change as a Step plus the rows to persist.
 */
export class Inventory {
  private map: SeatMap;
  private status: Uint8Array;
  private sectionAvailable: Int32Array;
  private rowAvailable: Int32Array;
  private seatRowId: Uint32Array;
  private gaTaken: Int32Array;
  /** Per section, the version that last changed it: readers cache a section's view until it moves. */
  private sectionChangedAt: Float64Array;
  private readonly holds = new Map<string, HoldRecord>();
  private readonly expiries = new DeadlineHeap();
  /** Finished holds and idempotency keys, oldest first, to forget after RETENTION_MS. */
  private readonly retention = new DeadlineHeap();
  private readonly userTickets = new Map<string, number>();
  /** Per user, then per key: no string concatenation on the hot path. */
  private readonly idempotency = new Map<string, Map<string, IdempotencyEntry>>();
  private counters: InventoryCounters = {
    version: 0,
    holdsCreated: 0,
    holdsExpired: 0,
    holdsReleased: 0,
    holdsPurchased: 0,
    revenueCents: 0,
  };
  private dirtyHolds = new Set<string>();
  private dirtyKeys = new Map<string, IdempotencyEntry>();
  private forgottenHolds: string[] = [];
  private forgottenKeys = new Set<string>();
  /** With an archive: holds to look at after the next drain (ended ones leave memory). */
  private evictable = new Set<string>();
  /** With an archive: the idempotency key of each hold whose entry is in memory. */
  private readonly keyOfHold = new Map<string, string>();
  private steps: Step[] = [];

  constructor(
    private config: InventoryConfig,
    private readonly options: InventoryOptions,
  ) {
    this.map = new SeatMap(config.sections);
    this.status = new Uint8Array(this.map.seatCount);
    this.sectionAvailable = new Int32Array(this.map.sections.length);
    this.rowAvailable = new Int32Array(this.map.rowCount);
    this.seatRowId = new Uint32Array(this.map.seatCount);
    for (let seat = 0; seat < this.map.seatCount; seat++) this.seatRowId[seat] = this.map.rowIdOf(seat);
    this.gaTaken = new Int32Array(this.map.sections.length);
    this.sectionChangedAt = new Float64Array(this.map.sections.length);
    this.recount();
  }

  /** Rebuilds an inventory from what the shell stored. Seat states follow from the holds. */
  static restore(
    config: InventoryConfig,
    holds: Hold[],
    keys: IdempotencyEntry[],
    counters: InventoryCounters,
    options: InventoryOptions,
  ): Inventory {
    const inventory = new Inventory(config, options);
    inventory.counters = { ...counters };
    for (const hold of holds) inventory.adopt(hold);
    for (const entry of keys) {
      inventory.keysOf(entry.key.slice(0, entry.key.indexOf("\u0000"))).set(entry.key, entry);
      if (options.archive) inventory.keyOfHold.set(entry.response.holdId, entry.key);
      else inventory.retention.push(entry.expiresAt, `k:${entry.key}`);
    }
    inventory.recount();
    return inventory;
  }

  get version(): number {
    return this.counters.version;
  }

  get eventId(): string {
    return this.config.eventId;
  }

  get settings(): InventoryConfig {
    return this.config;
  }

  /**
   * Applies a new definition of the event (a re-publish, a pause, new prices). Live holds keep the
   * prices they were made at; the venue's geometry must be the same.
   */
  reconfigure(config: InventoryConfig): void {
    this.config = config;
  }

  // ---------------------------------------------------------------- holds

  hold(request: HoldRequest, now: number): Result<Hold> {
    // First, so that a key past its retention is forgotten before it could be replayed.
    this.expireDue(now);
    const key = request.idempotencyKey ? `${request.userId}\u0000${request.idempotencyKey}` : "";
    const previous = key
      ? (this.idempotency.get(request.userId)?.get(key) ?? this.options.archive?.key(key, now))
      : undefined;
    if (previous) {
      if (previous.fingerprint !== fingerprintOf(request)) {
        return fail("IDEMPOTENCY_MISMATCH", "This Idempotency-Key was already used with a different request body.");
      }
      return ok({ ...previous.response });
    }

    const window = checkSalesWindow(this.config, now, request.presaleCode);
    if (!window.ok) return window;

    const seats: number[] = [];
    const unknown: string[] = [];
    const seen = new Set<number>();
    for (const id of request.seatIds) {
      const index = this.map.seatAt(id);
      if (index === undefined) unknown.push(id);
      else if (!seen.has(index)) {
        seen.add(index);
        seats.push(index);
      }
    }
    if (unknown.length > 0) {
      return fail("NOT_FOUND", `Unknown seat${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.`, {
        seatIds: unknown,
      });
    }
    const ga: Array<[number, number]> = [];
    for (const item of request.ga) {
      const section = this.map.sectionById.get(item.sectionId);
      if (section?.kind !== "ga") {
        return fail("NOT_FOUND", `Unknown general-admission section: ${item.sectionId}.`, {
          sectionId: item.sectionId,
        });
      }
      if (!Number.isInteger(item.quantity) || item.quantity < 1) {
        return fail("VALIDATION_FAILED", "A quantity must be a positive whole number.");
      }
      const same = ga.find(([s]) => s === section.index);
      if (same) same[1] += item.quantity;
      else ga.push([section.index, item.quantity]);
    }
    let quantity = seats.length;
    for (const [, q] of ga) quantity += q;
    if (quantity === 0) return fail("VALIDATION_FAILED", "A hold needs at least one seat or ticket.");

    const alreadyHeld = this.userTickets.get(request.userId) ?? 0;
    const { perOrder, perUser } = this.config.limits;
    if (quantity > perOrder) {
      return fail("LIMIT_EXCEEDED", `At most ${perOrder} tickets per order.`, {
        limit: perOrder,
        alreadyHeld,
        requested: quantity,
      });
    }
    if (alreadyHeld + quantity > perUser) {
      return fail("LIMIT_EXCEEDED", `At most ${perUser} tickets per customer for this event.`, {
        limit: perUser,
        alreadyHeld,
        requested: quantity,
      });
    }

    const unavailable = seats.filter((s) => this.status[s] !== AVAILABLE);
    if (unavailable.length > 0) {
      return fail("SEATS_UNAVAILABLE", "Some of the requested seats are no longer available.", {
        unavailableSeatIds: unavailable.map((s) => this.map.seatIds[s]!),
        alternatives: this.alternativesFor(seats, unavailable),
      });
    }
    for (const [s, q] of ga) {
      const left = this.sectionAvailable[s]!;
      if (left < q) {
        return fail("SOLD_OUT", `Only ${left} left in ${this.map.sections[s]!.name}.`, {
          sectionId: this.map.sections[s]!.id,
          available: left,
        });
      }
    }

    const items: HoldItem[] = [];
    let totalCents = 0;
    for (const s of seats) {
      const priceCents = this.priceOf(this.map.seatSection[s]!);
      items.push({ seatId: this.map.seatIds[s]!, quantity: 1, priceCents });
      totalCents += priceCents;
    }
    for (const [s, q] of ga) {
      const priceCents = this.priceOf(s);
      items.push({ sectionId: this.map.sections[s]!.id, quantity: q, priceCents });
      totalCents += priceCents * q;
    }
    const hold: Hold = {
      holdId: this.options.newHoldId(),
      eventId: this.config.eventId,
      userId: request.userId,
      status: "held",
      items,
      totalCents,
      currency: this.config.currency,
      createdAt: now,
      expiresAt: now + (request.holdSeconds ?? this.config.holdSeconds) * 1000,
      extensionsUsed: 0,
    };
    const step = this.beginStep();
    this.take(seats, ga, HELD, step);
    this.holds.set(hold.holdId, { hold, seats, ga });
    this.userTickets.set(request.userId, alreadyHeld + quantity);
    this.expiries.push(hold.expiresAt, hold.holdId);
    this.counters.holdsCreated++;
    this.touch(hold.holdId);
    if (key) {
      // The fingerprint is computed only for holds that succeed with a key (and for replays).
      const entry = { key, fingerprint: fingerprintOf(request), response: { ...hold }, expiresAt: now + RETENTION_MS };
      this.keysOf(request.userId).set(key, entry);
      this.dirtyKeys.set(key, entry);
      this.forgottenKeys.delete(key);
      if (this.options.archive) this.keyOfHold.set(hold.holdId, key);
      else this.retention.push(entry.expiresAt, `k:${key}`);
    }
    return ok({ ...hold });
  }

  getHold(holdId: string, now: number): Hold | undefined {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    return record && { ...record.hold };
  }

  extend(holdId: string, userId: string, now: number): Result<Hold> {
    const found = this.ownedHold(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    // A fan on the pay page may ask for more time too: an extension is per hold, whatever its stage.
    if (!isLive(hold)) return this.notActive(hold);
    if (hold.extensionsUsed >= this.config.extensions) {
      return fail("EXTENSION_LIMIT", "This hold cannot be extended again.", {
        extensions: this.config.extensions,
      });
    }
    hold.extensionsUsed++;
    hold.expiresAt += this.config.holdSeconds * 1000;
    this.expiries.push(hold.expiresAt, holdId);
    this.touch(holdId);
    this.restate(found.value);
    return ok({ ...hold });
  }

  release(holdId: string, userId: string, now: number): Result<Hold> {
    const found = this.ownedHold(holdId, userId, now);
    if (!found.ok) return found;
    const record = found.value;
    const hold = record.hold;
    if (hold.status === "released") return ok({ ...hold });
    if (hold.status !== "held" && hold.status !== "checkout") return this.notActive(hold);
    this.end(record, "released", now);
    this.counters.holdsReleased++;
    return ok({ ...hold });
  }

  /** Payment started: the hold may no longer be released by its owner's idle timer alone. */
  startCheckout(holdId: string, userId: string, now: number): Result<Hold> {
    const found = this.ownedHold(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.status === "checkout") return ok({ ...hold });
    if (hold.status !== "held") return this.notActive(hold);
    if (this.config.state === "cancelled") return fail("NOT_ON_SALE", "This event was cancelled.");
    hold.status = "checkout";
    hold.checkoutAt = now;
    hold.expiresAt += this.config.paymentGraceSeconds * 1000;
    this.expiries.push(hold.expiresAt, holdId);
    this.touch(holdId);
    this.restate(found.value);
    return ok({ ...hold });
  }

  /**
   * Payment succeeded. Idempotent. A hold that ended before the money arrived re-takes its seats
   * when they are all still free; otherwise SEATS_UNAVAILABLE tells the caller to refund.
   */
  sell(holdId: string, now: number): Result<Hold> {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    if (!record) return fail("NOT_FOUND", "No such hold.");
    const hold = record.hold;
    if (hold.status === "purchased") return ok({ ...hold });
    if (hold.refunded) return fail("HOLD_NOT_ACTIVE", "This hold was refunded.");
    if (this.config.state === "cancelled") return fail("NOT_ON_SALE", "This event was cancelled.");
    if (hold.status === "held" || hold.status === "checkout") {
      const step = this.beginStep();
      this.setSeats(record.seats, SOLD, step);
      for (const [s] of record.ga) this.markSection(s, step);
    } else {
      const taken = record.seats.filter((s) => this.status[s] !== AVAILABLE);
      const short = record.ga.some(([s, q]) => this.sectionAvailable[s]! < q);
      if (taken.length > 0 || short) {
        return fail("SEATS_UNAVAILABLE", "The seats of this hold were sold to someone else.", {
          unavailableSeatIds: taken.map((s) => this.map.seatIds[s]!),
        });
      }
      // A late payment for a hold its owner let go: only within what they may still buy.
      const alreadyHeld = this.userTickets.get(hold.userId) ?? 0;
      if (alreadyHeld + ticketCount(record) > this.config.limits.perUser) {
        return fail("LIMIT_EXCEEDED", "The customer already holds their limit for this event.", {
          limit: this.config.limits.perUser,
          alreadyHeld,
        });
      }
      this.take(record.seats, record.ga, SOLD, this.beginStep());
      this.userTickets.set(hold.userId, (this.userTickets.get(hold.userId) ?? 0) + ticketCount(record));
    }
    hold.status = "purchased";
    hold.purchasedAt = now;
    this.counters.holdsPurchased++;
    this.counters.revenueCents += hold.totalCents;
    this.touch(holdId);
    return ok({ ...hold });
  }

  /** A purchase was refunded: its seats go back on sale. Idempotent. */
  refund(holdId: string, now: number): Result<Hold> {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    if (!record) return fail("NOT_FOUND", "No such hold.");
    const hold = record.hold;
    if (hold.refunded) return ok({ ...hold });
    if (hold.status === "purchased") this.counters.revenueCents -= hold.totalCents;
    // A refund of a hold still being paid for lets its seats go as well.
    if (hold.status === "purchased" || hold.status === "held" || hold.status === "checkout")
      this.end(record, "released", now);
    hold.refunded = true;
    this.touch(holdId);
    return ok({ ...hold });
  }

  /** Payment failed: the hold is let go at once. Idempotent. */
  abandon(holdId: string, now: number): Result<Hold> {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    if (!record) return fail("NOT_FOUND", "No such hold.");
    if (record.hold.status === "held" || record.hold.status === "checkout") {
      this.end(record, "released", now);
      this.counters.holdsReleased++;
    }
    return ok({ ...record.hold });
  }

  /**
   * Money went back (a refund, a cancelled payment or event): the one idempotent way a hold's
   * seats return, whatever state it is in. Without `units` the whole hold goes and can never be
   * sold afterwards; with `units` (tickets of a purchased hold) just those seats or GA places,
   * each once however often it is asked.
   */
  undo(holdId: string, now: number, units?: HoldUnit[]): Result<Hold> {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    if (!record) return fail("NOT_FOUND", "No such hold.");
    const hold = record.hold;
    if (units && hold.status === "purchased") return ok(this.giveBack(record, units, now));
    if (hold.refunded) return ok({ ...hold });
    if (hold.status === "purchased") {
      this.counters.revenueCents -= this.valueOf(record);
      this.end(record, "released", now);
    } else if (hold.status === "held" || hold.status === "checkout") {
      this.end(record, "released", now);
      this.counters.holdsReleased++;
    }
    hold.refunded = true;
    this.touch(holdId);
    return ok({ ...hold });
  }

  // ---------------------------------------------------------------- time

  /** Ends every hold whose time is up and forgets what is past retention. Idempotent. */
  expireDue(now: number): void {
    while (this.expiries.size > 0 && this.expiries.peekTime()! <= now) {
      const holdId = this.expiries.peekKey()!;
      this.expiries.pop();
      const record = this.holds.get(holdId);
      if (!record) continue;
      const { hold } = record;
      if ((hold.status === "held" || hold.status === "checkout") && hold.expiresAt <= now) {
        this.end(record, "expired", now);
        this.counters.holdsExpired++;
      }
    }
    while (this.retention.size > 0 && this.retention.peekTime()! <= now) {
      const tagged = this.retention.peekKey()!;
      const time = this.retention.peekTime()!;
      this.retention.pop();
      this.forget(tagged, time);
    }
    this.settled(now);
  }

  /** Runs after every expiry pass: the waitlist offers what came back before anyone else may take it. */
  setSettleHook(hook: ((now: number) => void) | undefined): void {
    this.settleHook = hook;
  }

  private settleHook: ((now: number) => void) | undefined;
  private settling = false;

  private settled(now: number): void {
    if (!this.settleHook || this.settling) return;
    this.settling = true;
    try {
      this.settleHook(now);
    } finally {
      this.settling = false;
    }
  }

  /** Tickets left in one section right now. */
  availableIn(sectionId: string): number {
    const section = this.map.sectionById.get(sectionId);
    return section ? this.sectionAvailable[section.index]! : 0;
  }

  /** The earliest time at which `expireDue` has work to do, if any. */
  nextDeadline(): number | undefined {
    while (this.expiries.size > 0) {
      const record = this.holds.get(this.expiries.peekKey()!);
      const live = record && (record.hold.status === "held" || record.hold.status === "checkout");
      if (live && record.hold.expiresAt === this.expiries.peekTime()) break;
      this.expiries.pop();
    }
    while (this.retention.size > 0 && !this.retentionStands(this.retention.peekKey()!, this.retention.peekTime()!)) {
      this.retention.pop();
    }
    const expiry = this.expiries.peekTime();
    const retention = this.retention.peekTime();
    if (expiry === undefined) return retention;
    if (retention === undefined) return expiry;
    return Math.min(expiry, retention);
  }

  // ---------------------------------------------------------------- reads

  sectionsView(now: number, sectionId?: string): SectionView[] {
    this.expireDue(now);
    const views: SectionView[] = [];
    for (const section of this.map.sections) {
      if (sectionId !== undefined && section.id !== sectionId) continue;
      const view: SectionView = {
        id: section.id,
        name: section.name,
        kind: section.kind,
        priceCents: this.priceOf(section.index),
        available: this.sectionAvailable[section.index]!,
        capacity: section.capacity,
      };
      if (section.kind === "seated") {
        view.seats = [];
        section.rows.forEach((row) => {
          for (let n = 0; n < row.count; n++) {
            const s = row.start + n;
            view.seats!.push({
              id: this.map.seatIds[s]!,
              row: row.label,
              number: n + 1,
              status: STATUS_NAMES[this.status[s]!]!,
            });
          }
        });
      }
      views.push(view);
    }
    return views;
  }

  /** Tickets left across all sections: zero means sold out (until seats come back). */
  available(now: number): number {
    this.expireDue(now);
    let n = 0;
    for (const free of this.sectionAvailable) n += free;
    return n;
  }

  /** People holding seats right now (live holds), for the waiting room's auto mode. */
  holders(now: number): number {
    this.expireDue(now);
    const users = new Set<string>();
    for (const { hold } of this.holds.values()) {
      if (hold.status === "held" || hold.status === "checkout") users.add(hold.userId);
    }
    return users.size;
  }

  /** The ids of the sections, in the venue's order. */
  sectionIds(): string[] {
    return this.map.sections.map((section) => section.id);
  }

  /** The version that last changed a section (0: never since this core was built). */
  sectionVersion(sectionId: string): number {
    const section = this.map.sectionById.get(sectionId);
    return section ? this.sectionChangedAt[section.index]! : -1;
  }

  hasSection(sectionId: string): boolean {
    return this.map.sectionById.has(sectionId);
  }

  seatStatus(id: string): SeatStatus | undefined {
    const index = this.map.seatAt(id);
    return index === undefined ? undefined : STATUS_NAMES[this.status[index]!];
  }

  stats(now: number): InventoryStats {
    this.expireDue(now);
    let held = 0;
    let sold = 0;
    let holdsActive = 0;
    for (const { hold, seats, ga } of this.holds.values()) {
      const tickets = seats.length + ga.reduce((n, [, q]) => n + q, 0);
      if (hold.status === "purchased") sold += tickets;
      else if (hold.status === "held" || hold.status === "checkout") {
        held += tickets;
        holdsActive++;
      }
    }
    let available = 0;
    let capacity = 0;
    for (const section of this.map.sections) {
      available += this.sectionAvailable[section.index]!;
      capacity += section.capacity;
    }
    const { version: _version, ...counters } = this.counters;
    return { held, sold, available, capacity, holdsActive, ...counters };
  }

  /** Hands the shell everything changed since the last call, each row once. */
  drainDirty(): DirtySet | undefined {
    if (
      this.dirtyHolds.size === 0 &&
      this.dirtyKeys.size === 0 &&
      this.forgottenHolds.length === 0 &&
      this.forgottenKeys.size === 0 &&
      this.steps.length === 0
    ) {
      this.evict(this.evictable);
      return undefined;
    }
    const holds: Hold[] = [];
    for (const id of this.dirtyHolds) {
      const record = this.holds.get(id);
      if (record) holds.push(record.hold);
    }
    const dirty: DirtySet = {
      holds,
      idempotency: [...this.dirtyKeys.values()],
      forgottenHolds: this.forgottenHolds,
      forgottenKeys: [...this.forgottenKeys],
      counters: { ...this.counters },
    };
    this.evict(this.dirtyHolds);
    this.evict(this.evictable);
    this.dirtyHolds = new Set();
    this.dirtyKeys = new Map();
    this.forgottenHolds = [];
    this.forgottenKeys = new Set();
    return dirty;
  }

  /** How many holds and idempotency entries memory holds (the soak benchmark watches these). */
  footprint(): { holds: number; keys: number } {
    let keys = 0;
    for (const perUser of this.idempotency.values()) keys += perUser.size;
    return { holds: this.holds.size, keys };
  }

  /** The changes since the last call, one Step per version, oldest first. */
  drainSteps(): Step[] {
    const steps = this.steps;
    this.steps = [];
    return steps;
  }

  // ---------------------------------------------------------------- internals

  /** A hold in memory, or an ended one brought back from the archive for this one decision. */
  private recordOf(holdId: string): HoldRecord | undefined {
    const inMemory = this.holds.get(holdId);
    if (inMemory || !this.options.archive) return inMemory;
    const stored = this.options.archive.hold(holdId);
    if (!stored || stored.eventId !== this.config.eventId) return undefined;
    this.adopt(stored);
    this.evictable.add(holdId);
    return this.holds.get(holdId);
  }

  /** A hold just ended: remembered for RETENTION_MS here, or (with an archive) dropped after the next drain. */
  private retire(holdId: string, now: number): void {
    if (this.options.archive) this.evictable.add(holdId);
    else this.retention.push(now + RETENTION_MS, `h:${holdId}`);
  }

  /**
   * With an archive, after a drain has handed their rows to storage: a hold that is no longer live
   * drops its idempotency entry from memory, and an ended one drops itself (sold holds stay: they
   * are bounded by the venue, and refunds need them).
   */
  private evict(ids: Set<string>): void {
    if (!this.options.archive || ids.size === 0) return;
    for (const id of ids) {
      const record = this.holds.get(id);
      if (!record || isLive(record.hold)) continue;
      const key = this.keyOfHold.get(id);
      if (key !== undefined) {
        const user = record.hold.userId;
        const keys = this.idempotency.get(user);
        keys?.delete(key);
        if (keys?.size === 0) this.idempotency.delete(user);
        this.keyOfHold.delete(id);
      }
      if (record.hold.status !== "purchased") this.holds.delete(id);
    }
    if (ids === this.evictable) this.evictable = new Set();
  }

  private ownedHold(holdId: string, userId: string, now: number): Result<HoldRecord> {
    this.expireDue(now);
    const record = this.recordOf(holdId);
    if (!record) return fail("NOT_FOUND", "No such hold.");
    if (record.hold.userId !== userId) return fail("FORBIDDEN", "This hold belongs to someone else.");
    return ok(record);
  }

  /** Returns some units of a purchased hold; the hold ends when none is left. */
  private giveBack(record: HoldRecord, units: HoldUnit[], now: number): Hold {
    const hold = record.hold;
    const returned = hold.returned ?? { ids: [], seatIds: [], ga: {} };
    let step: Step | undefined;
    for (const unit of units) {
      if (returned.ids.includes(unit.id)) continue;
      let price: number | undefined;
      if (unit.seatId !== undefined) {
        const s = this.map.seatAt(unit.seatId);
        const at = s === undefined ? -1 : record.seats.indexOf(s);
        if (s === undefined || at < 0) continue;
        record.seats.splice(at, 1);
        step ??= this.beginStep();
        this.setSeats([s], AVAILABLE, step);
        returned.seatIds.push(unit.seatId);
        price = hold.items.find((i) => i.seatId === unit.seatId)?.priceCents;
      } else if (unit.sectionId !== undefined) {
        const section = this.map.sectionById.get(unit.sectionId);
        const entry = section && record.ga.find(([g]) => g === section.index);
        if (!entry || entry[1] === 0) continue;
        entry[1]--;
        this.gaTaken[entry[0]]!--;
        this.sectionAvailable[entry[0]]!++;
        step ??= this.beginStep();
        this.markSection(entry[0], step);
        returned.ga[unit.sectionId] = (returned.ga[unit.sectionId] ?? 0) + 1;
        price = hold.items.find((i) => i.sectionId === unit.sectionId)?.priceCents;
      } else continue;
      returned.ids.push(unit.id);
      this.counters.revenueCents -= price ?? 0;
      const left = (this.userTickets.get(hold.userId) ?? 0) - 1;
      if (left > 0) this.userTickets.set(hold.userId, left);
      else this.userTickets.delete(hold.userId);
    }
    if (!step) return { ...hold };
    hold.returned = returned;
    if (ticketCount(record) === 0) {
      hold.status = "released";
      hold.endedAt = now;
      hold.refunded = true;
      this.retire(hold.holdId, now);
    }
    this.touch(hold.holdId);
    return { ...hold };
  }

  /** What the units a hold still has cost. */
  private valueOf(record: HoldRecord): number {
    let cents = 0;
    for (const s of record.seats)
      cents += record.hold.items.find((i) => i.seatId === this.map.seatIds[s])?.priceCents ?? 0;
    for (const [g, q] of record.ga) {
      cents += q * (record.hold.items.find((i) => i.sectionId === this.map.sections[g]!.id)?.priceCents ?? 0);
    }
    return cents;
  }

  private notActive(hold: Hold): Result<never> {
    if (hold.status === "expired" || hold.status === "released") {
      return fail("HOLD_EXPIRED", `This hold has ${hold.status === "expired" ? "expired" : "been released"}.`, {
        status: hold.status,
      });
    }
    return fail("HOLD_NOT_ACTIVE", `This hold is ${hold.status}.`, { status: hold.status });
  }

  private end(record: HoldRecord, status: "expired" | "released", now: number): void {
    const step = this.beginStep();
    this.setSeats(record.seats, AVAILABLE, step);
    for (const [s, q] of record.ga) {
      this.gaTaken[s]! -= q;
      this.sectionAvailable[s]! += q;
      this.markSection(s, step);
    }
    const left = (this.userTickets.get(record.hold.userId) ?? 0) - ticketCount(record);
    if (left > 0) this.userTickets.set(record.hold.userId, left);
    else this.userTickets.delete(record.hold.userId);
    record.hold.status = status;
    record.hold.endedAt = now;
    this.retire(record.hold.holdId, now);
    this.touch(record.hold.holdId);
  }

  /** Whether a retention entry scheduled for `time` still stands (keys are reused, holds re-sold). */
  private retentionStands(tagged: string, time: number): boolean {
    const key = tagged.slice(2);
    if (tagged.startsWith("k:")) {
      return this.idempotency.get(key.slice(0, key.indexOf("\u0000")))?.get(key)?.expiresAt === time;
    }
    const hold = this.holds.get(key)?.hold;
    return (
      hold !== undefined &&
      (hold.status === "expired" || hold.status === "released") &&
      hold.endedAt !== undefined &&
      hold.endedAt + RETENTION_MS === time
    );
  }

  private forget(tagged: string, time: number): void {
    if (!this.retentionStands(tagged, time)) return;
    const key = tagged.slice(2);
    if (tagged.startsWith("k:")) {
      const user = key.slice(0, key.indexOf("\u0000"));
      const keys = this.idempotency.get(user);
      keys?.delete(key);
      if (keys?.size === 0) this.idempotency.delete(user);
      this.dirtyKeys.delete(key);
      this.forgottenKeys.add(key);
      return;
    }
    this.holds.delete(key);
    this.dirtyHolds.delete(key);
    this.forgottenHolds.push(key);
  }

  private keysOf(userId: string): Map<string, IdempotencyEntry> {
    let keys = this.idempotency.get(userId);
    if (!keys) {
      keys = new Map();
      this.idempotency.set(userId, keys);
    }
    return keys;
  }

  /** Re-enters a stored hold into memory (restore only): counts, seat states, deadlines. */
  private adopt(hold: Hold): void {
    const seats: number[] = [];
    const ga: Array<[number, number]> = [];
    const returned = hold.returned;
    for (const item of hold.items) {
      if (item.seatId !== undefined) {
        const s = this.map.seatAt(item.seatId);
        if (s !== undefined && !returned?.seatIds.includes(item.seatId)) seats.push(s);
      } else if (item.sectionId !== undefined) {
        const section = this.map.sectionById.get(item.sectionId);
        if (section) ga.push([section.index, item.quantity - (returned?.ga[item.sectionId] ?? 0)]);
      }
    }
    const record = { hold, seats, ga };
    this.holds.set(hold.holdId, record);
    const taking = hold.status === "held" || hold.status === "checkout" || hold.status === "purchased";
    if (taking) {
      const state = hold.status === "purchased" ? SOLD : HELD;
      for (const s of seats) this.status[s] = state;
      for (const [s, q] of ga) this.gaTaken[s]! += q;
      this.userTickets.set(hold.userId, (this.userTickets.get(hold.userId) ?? 0) + ticketCount(record));
      if (hold.status !== "purchased") this.expiries.push(hold.expiresAt, hold.holdId);
    } else if (hold.endedAt !== undefined && !this.options.archive) {
      this.retention.push(hold.endedAt + RETENTION_MS, `h:${hold.holdId}`);
    }
  }

  private recount(): void {
    for (let s = 0; s < this.status.length; s++) {
      if (this.map.blocked[s]) this.status[s] = BLOCKED;
    }
    for (const section of this.map.sections) {
      if (section.kind === "ga") {
        this.sectionAvailable[section.index] = section.capacity - this.gaTaken[section.index]!;
        continue;
      }
      let free = 0;
      for (const row of section.rows) {
        let freeInRow = 0;
        for (let s = row.start; s < row.start + row.count; s++) if (this.status[s] === AVAILABLE) freeInRow++;
        this.rowAvailable[row.id] = freeInRow;
        free += freeInRow;
      }
      this.sectionAvailable[section.index] = free;
    }
  }

  private take(seats: number[], ga: Array<[number, number]>, state: number, step: Step): void {
    this.setSeats(seats, state, step);
    for (const [s, q] of ga) {
      this.gaTaken[s]! += q;
      this.sectionAvailable[s]! -= q;
      this.markSection(s, step);
    }
  }

  private setSeats(seats: number[], state: number, step: Step): void {
    for (const s of seats) {
      const before = this.status[s]!;
      if (before === state) continue;
      this.status[s] = state;
      const section = this.map.seatSection[s]!;
      const row = this.seatRowId[s]!;
      if (before === AVAILABLE) {
        this.sectionAvailable[section]!--;
        this.rowAvailable[row]!--;
      } else if (state === AVAILABLE) {
        this.sectionAvailable[section]!++;
        this.rowAvailable[row]!++;
      }
      step.seats.push({ id: this.map.seatIds[s]!, status: STATUS_NAMES[state]! });
      this.markSection(section, step);
    }
  }

  private markSection(section: number, step: Step): void {
    this.sectionChangedAt[section] = step.version;
    const id = this.map.sections[section]!.id;
    const available = this.sectionAvailable[section]!;
    const existing = step.sections.find((c) => c.id === id);
    if (existing) existing.available = available;
    else step.sections.push({ id, available });
  }

  /**
   * A change to a hold that leaves its seats' states as they were (a new deadline) is still a
   * change: one Step that restates them, so live subscribers see every change as a delta.
   */
  private restate(record: HoldRecord): void {
    const step = this.beginStep();
    for (const s of record.seats) step.seats.push({ id: this.map.seatIds[s]!, status: STATUS_NAMES[this.status[s]!]! });
    for (const s of record.seats) this.markSection(this.map.seatSection[s]!, step);
    for (const [s] of record.ga) this.markSection(s, step);
  }

  private beginStep(): Step {
    const step: Step = { version: ++this.counters.version, seats: [], sections: [] };
    this.steps.push(step);
    return step;
  }

  private touch(holdId: string): void {
    this.dirtyHolds.add(holdId);
  }

  private priceOf(section: number): number {
    return this.config.prices[this.map.sections[section]!.id] ?? 0;
  }

  private alternativesFor(requested: number[], unavailable: number[]): string[] {
    const bySection = new Map<number, { near: number; count: number }>();
    for (const s of requested) {
      const section = this.map.seatSection[s]!;
      const entry = bySection.get(section);
      if (entry) entry.count++;
      else
        bySection.set(section, { near: unavailable.find((u) => this.map.seatSection[u] === section) ?? s, count: 1 });
    }
    const result: string[] = [];
    for (const [section, { near, count }] of bySection) {
      if (this.sectionAvailable[section]! === 0) continue;
      if (!unavailable.some((u) => this.map.seatSection[u] === section)) continue;
      const seats = nearestFreeSeats(
        this.map,
        (s) => this.status[s] === AVAILABLE,
        (row) => this.rowAvailable[row]!,
        this.map.sections[section]!,
        near,
        count,
      );
      for (const s of seats) result.push(this.map.seatIds[s]!);
    }
    return result;
  }
}

/** Same key, same body: the request's identity for idempotency, compared only when a key repeats. */
function fingerprintOf(request: HoldRequest): string {
  return JSON.stringify([request.seatIds, request.ga, request.presaleCode ?? null]);
}

/** A hold that still takes its seats and may still be checked out or let go. */
export function isLive(hold: Hold): boolean {
  return hold.status === "held" || hold.status === "checkout";
}

function ticketCount(record: HoldRecord): number {
  let n = record.seats.length;
  for (const [, q] of record.ga) n += q;
  return n;
}
