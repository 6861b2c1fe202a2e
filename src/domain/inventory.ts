import { type HoldRecord, isLive, ticketCount } from "./hold-book";
import { decideHold } from "./hold-checks";
import { fingerprintOf, type IdempotencyEntry, RETENTION_MS, storedKey } from "./idempotency";
import { type InventoryCounters, type InventoryOptions, InventoryState } from "./inventory-state";
import { resolveKill } from "./kills";
import { nextStepAt } from "./pricing-live";
import { refuse } from "./refusals";
import { ok, type Result } from "./result";
import type { Hold, HoldRequest, HoldUnit, InventoryConfig, Kill, Step } from "./types";

export { isLive } from "./hold-book";
export { type HoldArchive, type IdempotencyEntry, RETENTION_MS } from "./idempotency";

export type { DirtySet, InventoryCounters, InventoryOptions } from "./inventory-state";

/**
 * One event's seat inventory and holds: the rules, in memory, with no I/O. A hold is decided by
 * the checks in hold-checks.ts over the Stock (seats and GA places), kept in the HoldBook, and its
 * Idempotency-Key answer in the IdempotencyStore; this class runs a hold's lifecycle over them.
 * Every mutating method takes `now`, first expires holds that are due (so a hold is live only
 * while now < expiresAt, whatever the alarm does), bumps `version` once per change, and records
 * the change as a Step plus the rows to persist.
 */
export class Inventory extends InventoryState {
  private settleHook: ((now: number) => void) | undefined;
  private settling = false;

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
    for (const hold of holds) inventory.book.adopt(hold, inventory.stock);
    for (const entry of keys) inventory.keys.restore(entry);
    inventory.stock.recount();
    return inventory;
  }
  // ---------------------------------------------------------------- holds

  hold(request: HoldRequest, now: number): Result<Hold> {
    // First, so that a key past its retention is forgotten before it could be replayed.
    this.expireDue(now);
    const key = request.idempotencyKey ? storedKey(request.userId, request.idempotencyKey) : "";
    const previous = key ? this.keys.find(request.userId, key, now) : undefined;
    if (previous) {
      if (previous.fingerprint !== fingerprintOf(request)) return refuse.idempotencyMismatch();
      return ok({ ...previous.response });
    }
    const alreadyHeld = this.book.ticketsOf(request.userId);
    const decided = decideHold(request, {
      config: this.config,
      stock: this.stock,
      now,
      alreadyHeld,
      counts: this.book.limited,
      voucher: (code) => this.voucherByCode(code),
    });
    if (!decided.ok) return decided;
    const { seats, ga, items, totalCents, orderFee, voucher } = decided.value;
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
      ...(orderFee && { orderFee }),
      ...(voucher && { voucherId: voucher.voucherId, voucherCode: voucher.code }),
    };
    this.stock.take(seats, ga, "held", this.beginStep());
    this.book.add({ hold, seats, ga });
    this.counters.holdsCreated++;
    if (key) {
      // The fingerprint is computed only for holds that succeed with a key (and for replays).
      const response = { ...hold };
      this.keys.record(request.userId, {
        key,
        fingerprint: fingerprintOf(request),
        response,
        expiresAt: now + RETENTION_MS,
      });
    }
    return ok({ ...hold });
  }

  getHold(holdId: string, now: number): Hold | undefined {
    this.expireDue(now);
    const record = this.book.find(holdId, this.stock);
    return record && { ...record.hold };
  }

  extend(holdId: string, userId: string, now: number): Result<Hold> {
    const found = this.ownedHold(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    // A fan on the pay page may ask for more time too: an extension is per hold, whatever its stage.
    if (!isLive(hold)) return refuse.notActive(hold);
    if (hold.extensionsUsed >= this.config.extensions) return refuse.extensionLimit(this.config.extensions);
    hold.extensionsUsed++;
    hold.expiresAt += this.config.holdSeconds * 1000;
    this.movedDeadline(found.value);
    return ok({ ...hold });
  }

  release(holdId: string, userId: string, now: number): Result<Hold> {
    const found = this.ownedHold(holdId, userId, now);
    if (!found.ok) return found;
    const record = found.value;
    const hold = record.hold;
    if (hold.status === "released") return ok({ ...hold });
    if (!isLive(hold)) return refuse.notActive(hold);
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
    if (hold.status !== "held") return refuse.notActive(hold);
    if (this.config.state === "cancelled") return refuse.cancelled();
    hold.status = "checkout";
    hold.checkoutAt = now;
    hold.expiresAt += this.config.paymentGraceSeconds * 1000;
    this.movedDeadline(found.value);
    return ok({ ...hold });
  }

  /**
   * Payment succeeded. Idempotent. A hold that ended before the money arrived re-takes its seats
   * when they are all still free; otherwise SEATS_UNAVAILABLE tells the caller to refund.
   */
  sell(holdId: string, now: number): Result<Hold> {
    const found = this.anyHold(holdId, now);
    if (!found.ok) return found;
    const record = found.value;
    const hold = record.hold;
    if (hold.status === "purchased") return ok({ ...hold });
    if (hold.refunded) return refuse.refunded();
    if (this.config.state === "cancelled") return refuse.cancelled();
    if (isLive(hold)) {
      this.stock.sell(record.seats, record.ga, this.beginStep());
    } else {
      const taken = record.seats.filter((s) => !this.stock.isFree(s));
      if (taken.length > 0 || record.ga.some(([s, q]) => this.stock.left(s) < q)) {
        return refuse.resold(taken.map((s) => this.stock.map.seatIds[s]!));
      }
      // A late payment for a hold its owner let go: only within what they may still buy.
      const alreadyHeld = this.book.ticketsOf(hold.userId);
      if (alreadyHeld + ticketCount(record) > this.config.limits.perUser) {
        return refuse.latePaymentOverLimit(this.config.limits.perUser, alreadyHeld);
      }
      this.stock.take(record.seats, record.ga, "sold", this.beginStep());
      this.book.addTickets(hold.userId, ticketCount(record));
      // What was paid for is kept, even past a quota or voucher limit filled meanwhile.
      this.book.takeUses(hold, 1);
    }
    hold.status = "purchased";
    hold.purchasedAt = now;
    this.counters.holdsPurchased++;
    this.counters.revenueCents += hold.totalCents;
    this.book.touch(holdId);
    return ok({ ...hold });
  }

  /** A purchase was refunded: its seats go back on sale. Idempotent. */
  refund(holdId: string, now: number): Result<Hold> {
    const found = this.anyHold(holdId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.refunded) return ok({ ...hold });
    if (hold.status === "purchased") this.counters.revenueCents -= hold.totalCents;
    // A refund of a hold still being paid for lets its seats go as well.
    if (hold.status === "purchased" || isLive(hold)) this.end(found.value, "released", now);
    hold.refunded = true;
    this.book.touch(holdId);
    return ok({ ...hold });
  }

  /** Payment failed: the hold is let go at once. Idempotent. */
  abandon(holdId: string, now: number): Result<Hold> {
    const found = this.anyHold(holdId, now);
    if (!found.ok) return found;
    if (isLive(found.value.hold)) {
      this.end(found.value, "released", now);
      this.counters.holdsReleased++;
    }
    return ok({ ...found.value.hold });
  }

  /**
   * Money went back (a refund, a cancelled payment or event): the one idempotent way a hold's
   * seats return, whatever state it is in. Without `units` the whole hold goes and can never be
   * sold afterwards; with `units` (tickets of a purchased hold) just those seats or GA places,
   * each once however often it is asked.
   */
  undo(holdId: string, now: number, units?: HoldUnit[]): Result<Hold> {
    const found = this.anyHold(holdId, now);
    if (!found.ok) return found;
    const record = found.value;
    const hold = record.hold;
    if (units && hold.status === "purchased") return ok(this.giveBack(record, units, now));
    if (hold.refunded) return ok({ ...hold });
    if (hold.status === "purchased") {
      this.counters.revenueCents -= this.remainingValue(record);
      this.end(record, "released", now);
    } else if (isLive(hold)) {
      this.end(record, "released", now);
      this.counters.holdsReleased++;
    }
    hold.refunded = true;
    this.book.touch(holdId);
    return ok({ ...hold });
  }

  // ---------------------------------------------------------------- kills

  /**
   * Takes free seats and GA places off sale (all or nothing), as one decision in the same queue as
   * every hold, so a kill never races a sale. The same `killId` again answers the first kill.
   */
  kill(request: Omit<Kill, "createdAt">, now: number): Result<Kill> {
    this.expireDue(now);
    const kills = this.config.kills ?? [];
    const earlier = kills.find((k) => k.killId === request.killId);
    if (earlier) return ok({ ...earlier });
    const taken = resolveKill(this.stock, request, true);
    if (!taken.ok) return taken;
    this.stock.block(taken.value.seats, taken.value.ga, this.beginStep());
    const kill: Kill = { ...request, createdAt: now };
    this.config = { ...this.config, kills: [...kills, kill] };
    this.configChanged = true;
    return ok({ ...kill });
  }

  /** Puts a kill's seats and places back on sale (the waitlist is offered them first). */
  unkill(killId: string, now: number): Result<Kill> {
    this.expireDue(now);
    const kills = this.config.kills ?? [];
    const kill = kills.find((k) => k.killId === killId);
    if (!kill) return refuse.noSuchKill();
    const taken = resolveKill(this.stock, kill, false);
    if (taken.ok) this.stock.giveBack(taken.value.seats, taken.value.ga, this.beginStep());
    this.config = { ...this.config, kills: kills.filter((k) => k !== kill) };
    this.configChanged = true;
    this.settled(now);
    return ok({ ...kill });
  }

  kills(): Kill[] {
    return (this.config.kills ?? []).map((k) => ({ ...k }));
  }

  // ---------------------------------------------------------------- time

  /** Ends every hold whose time is up and forgets what is past retention. Idempotent. */
  expireDue(now: number): void {
    const { expiries, records } = this.book;
    expiries.takeDue(now, (holdId) => {
      const record = records.get(holdId);
      if (record && isLive(record.hold) && record.hold.expiresAt <= now) {
        this.end(record, "expired", now);
        this.counters.holdsExpired++;
      }
    });
    this.book.forgetDue(now);
    this.keys.forgetDue(now);
    this.settled(now);
  }

  /** Runs after every expiry pass: the waitlist offers what came back before anyone else may take it. */
  setSettleHook(hook: ((now: number) => void) | undefined): void {
    this.settleHook = hook;
  }

  /** The earliest time at which `expireDue` has work to do, if any. */
  nextDeadline(): number | undefined {
    const times = [this.book.nextDeadline(), this.keys.nextDeadline(), nextStepAt(this.config)];
    const due = times.filter((t): t is number => t !== undefined);
    return due.length === 0 ? undefined : Math.min(...due);
  }
  // ---------------------------------------------------------------- internals

  private settled(now: number): void {
    if (!this.settleHook || this.settling) return;
    this.settling = true;
    try {
      this.settleHook(now);
    } finally {
      this.settling = false;
    }
  }

  private anyHold(holdId: string, now: number): Result<HoldRecord> {
    this.expireDue(now);
    const record = this.book.find(holdId, this.stock);
    return record ? ok(record) : refuse.noSuchHold();
  }

  private ownedHold(holdId: string, userId: string, now: number): Result<HoldRecord> {
    const found = this.anyHold(holdId, now);
    if (found.ok && found.value.hold.userId !== userId) return refuse.notYours();
    return found;
  }

  /** A live hold's deadline moved: its seats keep their states, and the change is still a Step. */
  private movedDeadline(record: HoldRecord): void {
    this.book.expiries.push(record.hold.expiresAt, record.hold.holdId);
    this.book.touch(record.hold.holdId);
    this.stock.restate(record.seats, record.ga, this.beginStep());
  }

  /** Returns some units of a purchased hold; the hold ends when none is left. */
  private giveBack(record: HoldRecord, units: HoldUnit[], now: number): Hold {
    const hold = record.hold;
    const returned = hold.returned ?? { ids: [], seatIds: [], ga: {} };
    let step: Step | undefined;
    // Its uses are given back as they stand, and taken again for what the hold keeps.
    this.book.takeUses(hold, -1);
    for (const unit of units) {
      if (returned.ids.includes(unit.id)) continue;
      let price: number | undefined;
      if (unit.seatId !== undefined) {
        const s = this.stock.map.seatAt(unit.seatId);
        const at = s === undefined ? -1 : record.seats.indexOf(s);
        if (s === undefined || at < 0) continue;
        record.seats.splice(at, 1);
        step ??= this.beginStep();
        this.stock.giveBack([s], [], step);
        returned.seatIds.push(unit.seatId);
        price = hold.items.find((i) => i.seatId === unit.seatId)?.priceCents;
      } else if (unit.sectionId !== undefined) {
        const section = this.stock.map.sectionById.get(unit.sectionId);
        const entry = section && record.ga.find(([g]) => g === section.index);
        if (!entry || entry[1] === 0) continue;
        entry[1]--;
        step ??= this.beginStep();
        this.stock.giveBack([], [[entry[0], 1]], step);
        returned.ga[unit.sectionId] = (returned.ga[unit.sectionId] ?? 0) + 1;
        price = hold.items.find((i) => i.sectionId === unit.sectionId)?.priceCents;
      } else continue;
      returned.ids.push(unit.id);
      this.counters.revenueCents -= price ?? 0;
      this.book.addTickets(hold.userId, -1);
    }
    if (!step) {
      this.book.takeUses(hold, 1);
      return { ...hold };
    }
    hold.returned = returned;
    if (ticketCount(record) > 0) this.book.takeUses(hold, 1);
    if (ticketCount(record) === 0) {
      hold.status = "released";
      hold.endedAt = now;
      hold.refunded = true;
      this.book.retire(hold.holdId, now);
    }
    this.book.touch(hold.holdId);
    return { ...hold };
  }

  /** What the units a hold still has cost. */
  private remainingValue(record: HoldRecord): number {
    const { items } = record.hold;
    let cents = 0;
    for (const s of record.seats) cents += items.find((i) => i.seatId === this.stock.map.seatIds[s])?.priceCents ?? 0;
    for (const [g, q] of record.ga) {
      cents += q * (items.find((i) => i.sectionId === this.stock.map.sections[g]!.id)?.priceCents ?? 0);
    }
    return cents;
  }

  private end(record: HoldRecord, status: "expired" | "released", now: number): void {
    this.stock.giveBack(record.seats, record.ga, this.beginStep());
    this.book.takeUses(record.hold, -1);
    this.book.addTickets(record.hold.userId, -ticketCount(record));
    record.hold.status = status;
    record.hold.endedAt = now;
    this.book.retire(record.hold.holdId, now);
    this.book.touch(record.hold.holdId);
  }
}
