/**
 * A deliberately naive model of the inventory rules, for property tests against `Inventory`.
 *
 * Nothing here is indexed or cached: seats and holds are plain arrays, every seat status, every
 * section's availability and every user's ticket count is recomputed from the list of holds each
 * time it is asked for. Slow on purpose; it only has to be obviously right on a map of a dozen seats.
 */
import type {
  Hold,
  HoldRequest,
  HoldUnit,
  InventoryConfig,
  InventoryStats,
  SeatStatus,
  SectionView,
} from "../../src/domain/types";

/** How long finished holds and idempotency keys are remembered: one day. */
export const REF_RETENTION_MS = 86_400_000;

/** A refusal without its human-readable message: the code and the details a client may rely on. */
export interface RefError {
  code: string;
  [detail: string]: unknown;
}

export type RefResult<T> = { ok: true; value: T } | { ok: false; error: RefError };

interface RefSeat {
  id: string;
  sectionId: string;
  rowIndex: number;
  rowLabel: string;
  number: number;
  blocked: boolean;
}

interface RefHold {
  hold: Hold;
  seatIds: string[];
  ga: { sectionId: string; quantity: number }[];
}

interface RefKey {
  userId: string;
  key: string;
  body: string;
  response: Hold;
  expiresAt: number;
}

/**
 * Known differences between the core and the rules, that the model can copy so that property
 * tests keep looking for other bugs until they are fixed. Each has a failing example test.
 */
export interface ModelQuirks {
  /**
   * The core answers an idempotent replay (or mismatch) before it calls expireDue(now): nothing
   * expires on that path, and a key past its retention is still replayed if nothing has called
   * expireDue since it ran out.
   */
  replayBeforeExpiry?: boolean;
}

const copy = <T>(value: T): T => structuredClone(value);
const refuse = (code: string, details: Record<string, unknown> = {}): { ok: false; error: RefError } => ({
  ok: false,
  error: { ...details, code },
});
const isLive = (h: RefHold): boolean => h.hold.status === "held" || h.hold.status === "checkout";
const takesStock = (h: RefHold): boolean => isLive(h) || h.hold.status === "purchased";
const tickets = (h: RefHold): number => h.seatIds.length + h.ga.reduce((n, g) => n + g.quantity, 0);

export class ReferenceModel {
  config: InventoryConfig;
  version = 0;
  holdsCreated = 0;
  holdsExpired = 0;
  holdsReleased = 0;
  holdsPurchased = 0;
  revenueCents = 0;
  seats: RefSeat[] = [];
  holds: RefHold[] = [];
  keys: RefKey[] = [];
  private nextId: () => string;
  private quirks: ModelQuirks;

  constructor(config: InventoryConfig, nextId: () => string, quirks: ModelQuirks = {}) {
    this.config = config;
    this.nextId = nextId;
    this.quirks = quirks;
    for (const section of config.sections) {
      if (section.kind !== "seated") continue;
      (section.rows ?? []).forEach((row, rowIndex) => {
        for (let n = 1; n <= row.seats; n++) {
          this.seats.push({
            id: `${section.id}-${row.label}-${n}`,
            sectionId: section.id,
            rowIndex,
            rowLabel: row.label,
            number: n,
            blocked: (row.blocked ?? []).includes(n),
          });
        }
      });
    }
  }

  reconfigure(config: InventoryConfig): void {
    this.config = config;
  }

  // ---------------------------------------------------------------- derived state

  seatStatus(id: string): SeatStatus {
    const seat = this.seats.find((s) => s.id === id);
    if (seat?.blocked) return "blocked";
    if (this.holds.some((h) => h.hold.status === "purchased" && h.seatIds.includes(id))) return "sold";
    if (this.holds.some((h) => isLive(h) && h.seatIds.includes(id))) return "held";
    return "available";
  }

  capacity(sectionId: string): number {
    const section = this.config.sections.find((s) => s.id === sectionId)!;
    if (section.kind === "ga") return section.capacity ?? 0;
    return this.seats.filter((s) => s.sectionId === sectionId && !s.blocked).length;
  }

  available(sectionId: string): number {
    const section = this.config.sections.find((s) => s.id === sectionId)!;
    if (section.kind === "seated") {
      return this.seats.filter((s) => s.sectionId === sectionId && this.seatStatus(s.id) === "available").length;
    }
    let taken = 0;
    for (const h of this.holds) {
      if (!takesStock(h)) continue;
      for (const g of h.ga) if (g.sectionId === sectionId) taken += g.quantity;
    }
    return this.capacity(sectionId) - taken;
  }

  ticketsOf(userId: string): number {
    return this.holds.filter((h) => h.hold.userId === userId && takesStock(h)).reduce((n, h) => n + tickets(h), 0);
  }

  private price(sectionId: string): number {
    return this.config.prices[sectionId] ?? 0;
  }

  // ---------------------------------------------------------------- time

  /** Expires every live hold whose time is up, then forgets what is past retention. */
  expire(now: number): void {
    for (const h of this.holds) {
      if (isLive(h) && h.hold.expiresAt <= now) {
        this.end(h, "expired", now);
        this.holdsExpired++;
      }
    }
    this.holds = this.holds.filter(
      (h) =>
        !(
          (h.hold.status === "expired" || h.hold.status === "released") &&
          h.hold.endedAt !== undefined &&
          h.hold.endedAt + REF_RETENTION_MS <= now
        ),
    );
    this.keys = this.keys.filter((k) => k.expiresAt > now);
  }

  /** The earliest time at which something is due: an expiry or the end of a retention. */
  nextDeadline(): number | undefined {
    const times: number[] = [];
    for (const h of this.holds) {
      if (isLive(h)) times.push(h.hold.expiresAt);
      else if ((h.hold.status === "expired" || h.hold.status === "released") && h.hold.endedAt !== undefined) {
        times.push(h.hold.endedAt + REF_RETENTION_MS);
      }
    }
    for (const k of this.keys) times.push(k.expiresAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  private end(h: RefHold, status: "expired" | "released", now: number): void {
    this.version++;
    h.hold.status = status;
    h.hold.endedAt = now;
  }

  // ---------------------------------------------------------------- sales window

  private window(now: number, presaleCode: string | undefined): RefResult<void> {
    const c = this.config;
    if (c.state !== "published") return refuse("NOT_ON_SALE");
    if (now >= c.salesEndAt) return refuse("NOT_ON_SALE");
    if (now >= c.onSaleAt) return { ok: true, value: undefined };
    const open = c.presales.filter((p) => p.startsAt <= now && now < p.endsAt);
    if (open.length === 0) return refuse("NOT_ON_SALE", { onSaleAt: new Date(c.onSaleAt).toISOString() });
    const code = (presaleCode ?? "").trim().toLowerCase();
    if (code !== "" && open.some((p) => p.code.toLowerCase() === code)) return { ok: true, value: undefined };
    return refuse("PRESALE_CODE_REQUIRED", {
      presales: open.map((p) => ({ name: p.name, endsAt: new Date(p.endsAt).toISOString() })),
    });
  }

  // ---------------------------------------------------------------- holds

  hold(request: HoldRequest, now: number): RefResult<Hold> {
    if (!this.quirks.replayBeforeExpiry) this.expire(now);
    const body = JSON.stringify([request.seatIds, request.ga, request.presaleCode ?? null]);
    if (request.idempotencyKey) {
      const previous = this.keys.find((k) => k.userId === request.userId && k.key === request.idempotencyKey);
      if (previous) {
        if (previous.body !== body) return refuse("IDEMPOTENCY_MISMATCH");
        return { ok: true, value: copy(previous.response) };
      }
    }
    this.expire(now);

    const window = this.window(now, request.presaleCode);
    if (!window.ok) return window;

    const unknown = request.seatIds.filter((id) => !this.seats.some((s) => s.id === id));
    if (unknown.length > 0) return refuse("NOT_FOUND", { seatIds: unknown });
    const seatIds = request.seatIds.filter((id, i) => request.seatIds.indexOf(id) === i);

    const ga: { sectionId: string; quantity: number }[] = [];
    for (const item of request.ga) {
      const section = this.config.sections.find((s) => s.id === item.sectionId);
      if (section?.kind !== "ga") return refuse("NOT_FOUND", { sectionId: item.sectionId });
      if (!Number.isInteger(item.quantity) || item.quantity < 1) return refuse("VALIDATION_FAILED");
      const same = ga.find((g) => g.sectionId === item.sectionId);
      if (same) same.quantity += item.quantity;
      else ga.push({ sectionId: item.sectionId, quantity: item.quantity });
    }
    const quantity = seatIds.length + ga.reduce((n, g) => n + g.quantity, 0);
    if (quantity === 0) return refuse("VALIDATION_FAILED");

    const alreadyHeld = this.ticketsOf(request.userId);
    const { perOrder, perUser } = this.config.limits;
    if (quantity > perOrder) return refuse("LIMIT_EXCEEDED", { limit: perOrder, alreadyHeld, requested: quantity });
    if (alreadyHeld + quantity > perUser) {
      return refuse("LIMIT_EXCEEDED", { limit: perUser, alreadyHeld, requested: quantity });
    }

    const unavailable = seatIds.filter((id) => this.seatStatus(id) !== "available");
    if (unavailable.length > 0) {
      return refuse("SEATS_UNAVAILABLE", {
        unavailableSeatIds: unavailable,
        alternatives: this.alternatives(seatIds, unavailable),
      });
    }
    for (const g of ga) {
      const left = this.available(g.sectionId);
      if (left < g.quantity) return refuse("SOLD_OUT", { sectionId: g.sectionId, available: left });
    }

    const items = [
      ...seatIds.map((id) => ({ seatId: id, quantity: 1, priceCents: this.price(this.sectionOf(id)) })),
      ...ga.map((g) => ({ sectionId: g.sectionId, quantity: g.quantity, priceCents: this.price(g.sectionId) })),
    ];
    const hold: Hold = {
      holdId: this.nextId(),
      eventId: this.config.eventId,
      userId: request.userId,
      status: "held",
      items,
      totalCents: items.reduce((n, item) => n + item.quantity * item.priceCents, 0),
      currency: this.config.currency,
      createdAt: now,
      expiresAt: now + this.config.holdSeconds * 1000,
      extensionsUsed: 0,
    };
    this.holds.push({ hold, seatIds, ga });
    this.version++;
    this.holdsCreated++;
    if (request.idempotencyKey) {
      this.keys.push({
        userId: request.userId,
        key: request.idempotencyKey,
        body,
        response: copy(hold),
        expiresAt: now + REF_RETENTION_MS,
      });
    }
    return { ok: true, value: copy(hold) };
  }

  getHold(holdId: string, now: number): Hold | undefined {
    this.expire(now);
    const h = this.find(holdId);
    return h && copy(h.hold);
  }

  extend(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.status !== "held" && hold.status !== "checkout") return this.notActive(hold);
    if (hold.extensionsUsed >= this.config.extensions) {
      return refuse("EXTENSION_LIMIT", { extensions: this.config.extensions });
    }
    hold.extensionsUsed++;
    hold.expiresAt += this.config.holdSeconds * 1000;
    this.version++;
    return { ok: true, value: copy(hold) };
  }

  release(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const h = found.value;
    if (h.hold.status === "released") return { ok: true, value: copy(h.hold) };
    if (!isLive(h)) return this.notActive(h.hold);
    this.end(h, "released", now);
    this.holdsReleased++;
    return { ok: true, value: copy(h.hold) };
  }

  startCheckout(holdId: string, userId: string, now: number): RefResult<Hold> {
    const found = this.owned(holdId, userId, now);
    if (!found.ok) return found;
    const hold = found.value.hold;
    if (hold.status === "checkout") return { ok: true, value: copy(hold) };
    if (hold.status !== "held") return this.notActive(hold);
    if (this.config.state === "cancelled") return refuse("NOT_ON_SALE");
    hold.status = "checkout";
    hold.checkoutAt = now;
    hold.expiresAt += this.config.paymentGraceSeconds * 1000;
    this.version++;
    return { ok: true, value: copy(hold) };
  }

  sell(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.status === "purchased") return { ok: true, value: copy(h.hold) };
    if (h.hold.refunded) return refuse("HOLD_NOT_ACTIVE");
    if (this.config.state === "cancelled") return refuse("NOT_ON_SALE");
    if (!isLive(h)) {
      // The hold ended before the money came: it may only take back seats nobody else has.
      const taken = h.seatIds.filter((id) => this.seatStatus(id) !== "available");
      const short = h.ga.some((g) => this.available(g.sectionId) < g.quantity);
      if (taken.length > 0 || short) return refuse("SEATS_UNAVAILABLE", { unavailableSeatIds: taken });
      // ...and only within what its owner may still buy (issue 13: released holds paid late).
      const alreadyHeld = this.ticketsOf(h.hold.userId);
      if (alreadyHeld + tickets(h) > this.config.limits.perUser) {
        return refuse("LIMIT_EXCEEDED", { limit: this.config.limits.perUser, alreadyHeld });
      }
    }
    this.version++;
    h.hold.status = "purchased";
    h.hold.purchasedAt = now;
    this.holdsPurchased++;
    this.revenueCents += h.hold.totalCents;
    return { ok: true, value: copy(h.hold) };
  }

  refund(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.refunded) return { ok: true, value: copy(h.hold) };
    if (h.hold.status === "purchased") this.revenueCents -= h.hold.totalCents;
    // Refunding a purchase, or a hold still being paid for, gives its seats back.
    if (h.hold.status === "purchased" || isLive(h)) this.end(h, "released", now);
    h.hold.refunded = true;
    return { ok: true, value: copy(h.hold) };
  }

  /** Money went back: the whole hold, or some units of a purchased one, each once (issue 13). */
  undo(holdId: string, now: number, units?: HoldUnit[]): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    const price = (unit: HoldUnit) =>
      h.hold.items.find((i) => (unit.seatId ? i.seatId === unit.seatId : i.sectionId === unit.sectionId))?.priceCents ??
      0;
    if (units && h.hold.status === "purchased") {
      const returned = copy(h.hold.returned ?? { ids: [], seatIds: [], ga: {} });
      let changed = false;
      for (const unit of units) {
        if (returned.ids.includes(unit.id)) continue;
        if (unit.seatId !== undefined) {
          const at = h.seatIds.indexOf(unit.seatId);
          if (at < 0) continue;
          h.seatIds.splice(at, 1);
          returned.seatIds.push(unit.seatId);
        } else if (unit.sectionId !== undefined) {
          const entry = h.ga.find((g) => g.sectionId === unit.sectionId);
          if (!entry || entry.quantity === 0) continue;
          entry.quantity--;
          returned.ga[unit.sectionId] = (returned.ga[unit.sectionId] ?? 0) + 1;
        } else continue;
        if (!changed) this.version++;
        changed = true;
        returned.ids.push(unit.id);
        this.revenueCents -= price(unit);
      }
      if (!changed) return { ok: true, value: copy(h.hold) };
      h.hold.returned = returned;
      if (tickets(h) === 0) {
        h.hold.status = "released";
        h.hold.endedAt = now;
        h.hold.refunded = true;
      }
      return { ok: true, value: copy(h.hold) };
    }
    if (h.hold.refunded) return { ok: true, value: copy(h.hold) };
    if (h.hold.status === "purchased") {
      for (const id of h.seatIds) this.revenueCents -= price({ id, seatId: id });
      for (const g of h.ga) this.revenueCents -= g.quantity * price({ id: g.sectionId, sectionId: g.sectionId });
      this.end(h, "released", now);
    } else if (isLive(h)) {
      this.end(h, "released", now);
      this.holdsReleased++;
    }
    h.hold.refunded = true;
    return { ok: true, value: copy(h.hold) };
  }

  abandon(holdId: string, now: number): RefResult<Hold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (isLive(h)) {
      this.end(h, "released", now);
      this.holdsReleased++;
    }
    return { ok: true, value: copy(h.hold) };
  }

  // ---------------------------------------------------------------- reads

  sectionsView(now: number): SectionView[] {
    this.expire(now);
    return this.config.sections.map((section) => {
      const view: SectionView = {
        id: section.id,
        name: section.name,
        kind: section.kind,
        priceCents: this.price(section.id),
        available: this.available(section.id),
        capacity: this.capacity(section.id),
      };
      if (section.kind === "seated") {
        view.seats = this.seats
          .filter((s) => s.sectionId === section.id)
          .map((s) => ({ id: s.id, row: s.rowLabel, number: s.number, status: this.seatStatus(s.id) }));
      }
      return view;
    });
  }

  stats(now: number): InventoryStats {
    this.expire(now);
    const live = this.holds.filter(isLive);
    return {
      held: live.reduce((n, h) => n + tickets(h), 0),
      sold: this.holds.filter((h) => h.hold.status === "purchased").reduce((n, h) => n + tickets(h), 0),
      available: this.config.sections.reduce((n, s) => n + this.available(s.id), 0),
      capacity: this.config.sections.reduce((n, s) => n + this.capacity(s.id), 0),
      holdsActive: live.length,
      holdsCreated: this.holdsCreated,
      holdsExpired: this.holdsExpired,
      holdsReleased: this.holdsReleased,
      holdsPurchased: this.holdsPurchased,
      revenueCents: this.revenueCents,
    };
  }

  // ---------------------------------------------------------------- helpers

  private find(holdId: string): RefHold | undefined {
    return this.holds.find((h) => h.hold.holdId === holdId);
  }

  private owned(holdId: string, userId: string, now: number): RefResult<RefHold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.userId !== userId) return refuse("FORBIDDEN");
    return { ok: true, value: h };
  }

  private notActive(hold: Hold): { ok: false; error: RefError } {
    if (hold.status === "expired" || hold.status === "released") return refuse("HOLD_EXPIRED", { status: hold.status });
    return refuse("HOLD_NOT_ACTIVE", { status: hold.status });
  }

  private sectionOf(seatId: string): string {
    return this.seats.find((s) => s.id === seatId)!.sectionId;
  }

  /**
   * Free seats offered instead, per section that has an unavailable requested seat (sections in
   * request order, none from a section with nothing left): as many as were requested there, nearest
   * first to the first unavailable one. Nearest means the same row, then the rows one further
   * away, and so on; between two rows equally far the one with the higher index goes first, and
   * within a row the smaller distance in seat number goes first, the lower number on a tie.
   */
  private alternatives(requested: string[], unavailable: string[]): string[] {
    const sections: string[] = [];
    for (const id of requested) {
      const section = this.sectionOf(id);
      if (!sections.includes(section)) sections.push(section);
    }
    const result: string[] = [];
    for (const sectionId of sections) {
      if (this.available(sectionId) === 0) continue;
      const nearId = unavailable.find((id) => this.sectionOf(id) === sectionId);
      if (nearId === undefined) continue;
      const near = this.seats.find((s) => s.id === nearId)!;
      const count = requested.filter((id) => this.sectionOf(id) === sectionId).length;
      const key = (s: RefSeat): number[] => [
        Math.abs(s.rowIndex - near.rowIndex),
        s.rowIndex >= near.rowIndex ? 0 : 1,
        Math.abs(s.number - near.number),
        s.number <= near.number ? 0 : 1,
      ];
      const free = this.seats.filter((s) => s.sectionId === sectionId && this.seatStatus(s.id) === "available");
      free.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
        return 0;
      });
      for (const s of free.slice(0, count)) result.push(s.id);
    }
    return result;
  }
}
