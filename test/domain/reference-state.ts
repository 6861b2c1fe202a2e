/**
 * The reference model's state and everything derived from it by recounting: seat status, section
 * availability, tickets per user, deadlines, the sales window, the read views (reference-model.ts
 * has the operations that change it).
 */
import type { Hold, InventoryConfig, InventoryStats, SeatStatus, SectionView } from "../../src/domain/types";

/** How long finished holds and idempotency keys are remembered: one day. */
export const REF_RETENTION_MS = 86_400_000;

/** A refusal without its human-readable message: the code and the details a client may rely on. */
export interface RefError {
  code: string;
  [detail: string]: unknown;
}

export type RefResult<T> = { ok: true; value: T } | { ok: false; error: RefError };

export interface RefSeat {
  id: string;
  sectionId: string;
  rowIndex: number;
  rowLabel: string;
  number: number;
  blocked: boolean;
}

export interface RefHold {
  hold: Hold;
  seatIds: string[];
  ga: { sectionId: string; quantity: number }[];
}

export interface RefKey {
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

export const copy = <T>(value: T): T => structuredClone(value);
export const refuse = (code: string, details: Record<string, unknown> = {}): { ok: false; error: RefError } => ({
  ok: false,
  error: { ...details, code },
});
export const isLive = (h: RefHold): boolean => h.hold.status === "held" || h.hold.status === "checkout";
export const takesStock = (h: RefHold): boolean => isLive(h) || h.hold.status === "purchased";
export const tickets = (h: RefHold): number => h.seatIds.length + h.ga.reduce((n, g) => n + g.quantity, 0);

export class ReferenceState {
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
  protected nextId: () => string;
  protected quirks: ModelQuirks;

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

  protected price(sectionId: string): number {
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

  protected end(h: RefHold, status: "expired" | "released", now: number): void {
    this.version++;
    h.hold.status = status;
    h.hold.endedAt = now;
  }

  // ---------------------------------------------------------------- sales window

  protected window(now: number, presaleCode: string | undefined): RefResult<void> {
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
      // The model sells one untyped price per section with no vouchers: nothing is counted.
      vouchersUsed: {},
      ticketTypesTaken: {},
      sections: this.config.sections.map((section) => {
        const inSection = (h: RefHold) =>
          this.seats.filter((s) => s.sectionId === section.id && h.seatIds.includes(s.id)).length +
          h.ga.filter((g) => g.sectionId === section.id).reduce((n, g) => n + g.quantity, 0);
        return {
          sectionId: section.id,
          name: section.name,
          capacity: this.capacity(section.id),
          available: this.available(section.id),
          held: live.reduce((n, h) => n + inSection(h), 0),
          sold: this.holds.filter((h) => h.hold.status === "purchased").reduce((n, h) => n + inSection(h), 0),
        };
      }),
    };
  }

  // ---------------------------------------------------------------- helpers

  protected find(holdId: string): RefHold | undefined {
    return this.holds.find((h) => h.hold.holdId === holdId);
  }

  protected owned(holdId: string, userId: string, now: number): RefResult<RefHold> {
    this.expire(now);
    const h = this.find(holdId);
    if (!h) return refuse("NOT_FOUND");
    if (h.hold.userId !== userId) return refuse("FORBIDDEN");
    return { ok: true, value: h };
  }

  protected notActive(hold: Hold): { ok: false; error: RefError } {
    if (hold.status === "expired" || hold.status === "released") return refuse("HOLD_EXPIRED", { status: hold.status });
    return refuse("HOLD_NOT_ACTIVE", { status: hold.status });
  }

  protected sectionOf(seatId: string): string {
    return this.seats.find((s) => s.id === seatId)!.sectionId;
  }

  /**
   * Free seats offered instead, per section that has an unavailable requested seat (sections in
   * request order, none from a section with nothing left): as many as were requested there, nearest
   * first to the first unavailable one. Nearest means the same row, then the rows one further
   * away, and so on; between two rows equally far the one with the higher index goes first, and
   * within a row the smaller distance in seat number goes first, the lower number on a tie.
   */
  protected alternatives(requested: string[], unavailable: string[]): string[] {
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
