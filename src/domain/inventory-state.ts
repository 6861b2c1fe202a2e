import { ownerHash, type TakenCopy } from "./edge-copy";
import { HoldBook, type HoldRecord, isLive, takesStock } from "./hold-book";
import { priceOf } from "./hold-checks";
import { typeKey, voucherKey } from "./hold-pricing";
import { type HoldArchive, type IdempotencyEntry, IdempotencyStore } from "./idempotency";
import { resolveKill } from "./kills";
import { type LoggedStep, PRICE_LOG_SIZE, stepSections } from "./pricing-live";
import { normalizeCode, type Voucher } from "./pricing-vouchers";
import { Stock } from "./stock";
import type { Hold, InventoryConfig, InventoryStats, SeatStatus, SectionView, Step } from "./types";

const iso = (ms: number): string => new Date(ms).toISOString();

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
  /** The event's definition, when the room changed it itself (kills). */
  config?: InventoryConfig;
}

export interface InventoryOptions {
  newHoldId: () => string;
  archive?: HoldArchive;
}

/**
 * What an inventory is made of (its Stock, HoldBook and IdempotencyStore, its counters and the
 * Steps not yet drained) and everything that reads it: views, stats, and the rows and Steps to
 * persist. The rules that change it are in Inventory (src/domain/inventory.ts).
 */
export abstract class InventoryState {
  protected readonly stock: Stock;
  protected readonly book: HoldBook;
  protected readonly keys: IdempotencyStore;
  protected counters: InventoryCounters = {
    version: 0,
    holdsCreated: 0,
    holdsExpired: 0,
    holdsReleased: 0,
    holdsPurchased: 0,
    revenueCents: 0,
  };
  private steps: Step[] = [];
  /** The event's vouchers by normalized code; the room keeps and restores them. */
  private vouchers = new Map<string, Voucher>();
  /** The room changed its own definition (a kill was added or removed): the next drain stores it. */
  protected configChanged = false;

  constructor(
    protected config: InventoryConfig,
    protected readonly options: InventoryOptions,
  ) {
    this.stock = new Stock(config.sections);
    this.book = new HoldBook(config.eventId, options.archive);
    this.keys = new IdempotencyStore(options.archive);
    // Kills are part of the definition: they are off sale from the start, before any hold is adopted.
    const unseen: Step = { version: 0, seats: [], sections: [] };
    for (const kill of config.kills ?? []) {
      const taken = resolveKill(this.stock, kill, false);
      if (taken.ok) this.stock.block(taken.value.seats, taken.value.ga, unseen);
    }
    this.setVouchers(config.vouchers ?? []);
  }

  /** Ends every hold whose time is up and forgets what is past retention: reads see the present. */
  abstract expireDue(now: number): void;

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
    // The edge's definition never carries kills: the room keeps its own. Vouchers come with publishing
    // and the voucher routes; a definition without them keeps the room's.
    this.config = {
      ...config,
      kills: this.config.kills ?? [],
      vouchers: config.vouchers ?? this.config.vouchers ?? [],
      ...(this.config.dynamicState && { dynamicState: this.config.dynamicState }),
      ...(this.config.priceLog && { priceLog: this.config.priceLog }),
    };
    this.setVouchers(this.config.vouchers ?? []);
  }

  /** The event's vouchers, from its definition (their use counts follow from the holds). */
  private setVouchers(vouchers: Voucher[]): void {
    this.vouchers = new Map(vouchers.map((v) => [normalizeCode(v.code), v]));
  }

  voucherByCode(code: string): Voucher | undefined {
    return this.vouchers.get(normalizeCode(code));
  }

  /** Uses taken of a voucher: holds that live or were paid with it. */
  voucherUses(voucherId: string): number {
    return this.book.limited.used(voucherKey(voucherId));
  }

  /** Uses per voucher id and tickets per type, of the holds that live or were paid. */
  limitedCounts(): { vouchers: Record<string, number>; types: Record<string, number> } {
    const vouchers: Record<string, number> = {};
    const types: Record<string, number> = {};
    for (const [key, n] of this.book.limited.entries()) {
      if (key.startsWith("voucher:")) vouchers[key.slice(8)] = n;
      else if (key.startsWith("type:")) types[key.slice(5)] = n;
    }
    return { vouchers, types };
  }

  /** Tickets of a type held or sold. */
  typeTaken(ticketType: string): number {
    return this.book.limited.used(typeKey(ticketType));
  }

  sectionsView(now: number, sectionId?: string, withSeats = true): SectionView[] {
    this.expireDue(now);
    const views = this.stock.sectionsView((section) => priceOf(this.config, this.stock, section), sectionId, withSeats);
    const states = this.config.dynamicState;
    if (states) for (const view of views) if (states[view.id]) view.priceChangedAt = iso(states[view.id]!.changedAt);
    return views;
  }

  /**
   * Dynamic prices: steps each section that is due (src/domain/pricing-live.ts), logs it, and puts
   * the sections whose price or price time changed in one Step (pushed on the live map). Live holds
   * keep their prices: only later holds pay the new one.
   */
  stepPrices(now: number, queueLength: number): void {
    if (!this.config.dynamic) return;
    this.expireDue(now);
    const stepped = stepSections(this.config, now, (id) => this.stock.figuresOf(id), queueLength);
    if (!stepped) return;
    this.config = {
      ...this.config,
      dynamicState: stepped.states,
      priceLog: [...(this.config.priceLog ?? []), ...stepped.steps].slice(-PRICE_LOG_SIZE),
    };
    this.configChanged = true;
    const changed = [
      ...stepped.started,
      ...stepped.steps.filter((s) => s.toCents !== s.fromCents).map((s) => s.sectionId),
    ];
    if (changed.length === 0) return;
    const step = this.beginStep();
    for (const id of changed) this.stock.repriced(id, step);
    const index = this.stock.map.sectionById;
    for (const change of step.sections) {
      const state = stepped.states[change.id];
      if (!state || !index.has(change.id)) continue;
      change.priceCents = priceOf(this.config, this.stock, index.get(change.id)!.index);
      change.priceChangedAt = iso(state.changedAt);
    }
  }

  /** The dynamic price steps taken, newest last, with what each was computed from. */
  priceLog(): LoggedStep[] {
    return [...(this.config.priceLog ?? [])];
  }

  /** Tickets left in one section right now. */
  availableIn(sectionId: string): number {
    return this.stock.availableIn(sectionId);
  }

  /** Tickets left across all sections: zero means sold out (until seats come back). */
  available(now: number): number {
    this.expireDue(now);
    return this.stock.available();
  }

  /** People holding seats right now (live holds), for the waiting room's auto mode. */
  holders(now: number): number {
    this.expireDue(now);
    const users = new Set<string>();
    for (const { hold } of this.book.records.values()) if (isLive(hold)) users.add(hold.userId);
    return users.size;
  }

  /** The ids of the sections, in the venue's order. */
  sectionIds(): string[] {
    return this.stock.map.sections.map((section) => section.id);
  }

  /** The version that last changed a section (0: never since this core was built). */
  sectionVersion(sectionId: string): number {
    return this.stock.sectionVersion(sectionId);
  }

  hasSection(sectionId: string): boolean {
    return this.stock.map.sectionById.has(sectionId);
  }

  seatStatus(id: string): SeatStatus | undefined {
    return this.stock.seatStatus(id);
  }

  stats(now: number): InventoryStats {
    this.expireDue(now);
    let holdsActive = 0;
    // Tickets held and sold, per section index.
    const counts = this.stock.map.sections.map(() => ({ held: 0, sold: 0 }));
    for (const record of this.book.records.values()) {
      const kind = record.hold.status === "purchased" ? "sold" : isLive(record.hold) ? "held" : undefined;
      if (!kind) continue;
      if (kind === "held") holdsActive++;
      for (const seat of record.seats) counts[this.stock.map.seatSection[seat]!]![kind]++;
      for (const [section, quantity] of record.ga) counts[section]![kind] += quantity;
    }
    const sections = this.stock.map.sections.map((section) => ({
      sectionId: section.id,
      name: section.name,
      capacity: section.capacity,
      available: this.stock.left(section.index),
      ...counts[section.index]!,
    }));
    const held = counts.reduce((n, c) => n + c.held, 0);
    const sold = counts.reduce((n, c) => n + c.sold, 0);
    const { version: _version, ...counters } = this.counters;
    const { vouchers: vouchersUsed, types: ticketTypesTaken } = this.limitedCounts();
    return {
      held,
      sold,
      available: this.stock.available(),
      capacity: this.stock.capacity(),
      holdsActive,
      ...counters,
      vouchersUsed,
      ticketTypesTaken,
      sections,
    };
  }

  /** Hands the shell everything changed since the last call, each row once. */
  drainDirty(): DirtySet | undefined {
    const evict = (record: HoldRecord) => this.keys.evict(record.hold.holdId, record.hold.userId);
    if (!this.book.hasChanges && !this.keys.hasChanges && !this.hasSteps && !this.configChanged) {
      this.book.evictBorrowed(evict);
      return undefined;
    }
    const { idempotency, forgottenKeys } = this.keys.drain();
    const { holds, forgottenHolds } = this.book.drain(evict);
    const config = this.configChanged ? this.config : undefined;
    this.configChanged = false;
    return {
      holds,
      idempotency,
      forgottenHolds,
      forgottenKeys,
      counters: { ...this.counters },
      ...(config && { config }),
    };
  }

  /**
   * The taken stock as the edge's copy needs it (src/domain/edge-copy.ts): every seat a live hold
   * or an order takes, and every GA section with nothing left. `open` is the shell's to say.
   */
  takenCopy(now: number, open: boolean): TakenCopy {
    this.expireDue(now);
    const copy: TakenCopy = {
      version: this.counters.version,
      open: open && this.config.state === "published" && this.config.onSaleAt <= now && now < this.config.salesEndAt,
      closesInMs: Math.max(0, this.config.salesEndAt - now),
      perOrder: this.config.limits.perOrder,
      seats: [],
      leftMs: [],
      owners: [],
      fullGa: [],
    };
    const full = new Map<number, { leftMs: number; owners: number[] }>();
    for (const section of this.stock.map.sections) {
      if (section.kind === "ga" && this.stock.left(section.index) <= 0) {
        full.set(section.index, { leftMs: Number.POSITIVE_INFINITY, owners: [] });
      }
    }
    for (const { hold, seats, ga } of this.book.records.values()) {
      if (!takesStock(hold)) continue;
      const leftMs = hold.status === "purchased" ? Number.POSITIVE_INFINITY : Math.max(0, hold.expiresAt - now);
      const owner = ownerHash(hold.userId);
      const returned = hold.returned?.seatIds;
      for (const seat of seats) {
        // The stock is the truth; a seat given back from a purchase (a partial refund) is not this hold's.
        if (this.stock.isFree(seat) || returned?.includes(this.stock.map.seatIds[seat]!)) continue;
        copy.seats.push(seat);
        copy.leftMs.push(leftMs);
        copy.owners.push(owner);
      }
      for (const [section] of ga) {
        const entry = full.get(section);
        if (!entry) continue;
        // The section stays full at least until its first place comes back.
        entry.leftMs = Math.min(entry.leftMs, leftMs);
        entry.owners.push(owner);
      }
    }
    for (const [section, entry] of full) copy.fullGa.push({ section, ...entry });
    return copy;
  }

  /** How many holds and idempotency entries memory holds (the soak benchmark watches these). */
  footprint(): { holds: number; keys: number } {
    return { holds: this.book.records.size, keys: this.keys.size };
  }

  /** The changes since the last call, one Step per version, oldest first. */
  drainSteps(): Step[] {
    const steps = this.steps;
    this.steps = [];
    return steps;
  }

  /** The next Step: one per version, its seat and section changes filled in by the Stock. */
  protected beginStep(): Step {
    const step: Step = { version: ++this.counters.version, seats: [], sections: [] };
    this.steps.push(step);
    return step;
  }

  /** Whether a drain has rows or Steps to hand over (for `drainDirty`). */
  protected get hasSteps(): boolean {
    return this.steps.length > 0;
  }
}
