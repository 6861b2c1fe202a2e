import { alternativesPerSection } from "./alternatives";
import type { SeatMap } from "./seat-map";

/**
 * What the room tells the edge about its taken stock, so that the edge can refuse a hold for seats
 * it already knows are someone else's without a room call (API.md, "Holds": refusals may come from
 * the edge). Deadlines are sent as milliseconds left on the room's clock, so that the edge never
 * compares its clock with the room's. Nothing in it is ever used to grant.
 */
export interface TakenCopy {
  version: number;
  /** The event sells to the public right now: published, inside its window, no waiting room on. */
  open: boolean;
  /** Milliseconds until sales end (the edge stops refusing then; the room says NOT_ON_SALE). */
  closesInMs: number;
  perOrder: number;
  /** Seat indexes (the SeatMap's) that a hold or an order takes, with how long and by whom. */
  seats: number[];
  /** Per seat: ms left of its hold, Infinity when sold. */
  leftMs: number[];
  /** Per seat: ownerHash(userId) of whoever holds or bought it. */
  owners: number[];
  /** General-admission sections with nothing left: how long at least, and who holds places in them. */
  fullGa: Array<{ section: number; leftMs: number; owners: number[] }>;
}

/** A 32-bit FNV-1a of a user id: the edge lets a user's own seats through to the room (replays). */
export function ownerHash(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** What a hold asks for, as far as the edge looks at it. */
export interface EdgeAsk {
  seatIds: readonly string[];
  ga: ReadonlyArray<{ sectionId: string; quantity: number }>;
  userId: string;
}

export type EdgeRefusal =
  | { code: "SEATS_UNAVAILABLE"; unavailableSeatIds: string[]; alternatives: string[]; version: number }
  | { code: "SOLD_OUT"; sectionId: string; available: 0; version: number };

/**
 * One event's taken stock as of `takenAt` (the edge's clock when it asked the room), over the
 * venue's geometry. `refusal` answers only what the room would answer too: any doubt (an unknown
 * seat, a limit, a window, a seat of the asker's own) is left to the room.
 */
export class EdgeCopy {
  private readonly until: Float64Array;
  private readonly owner: Uint32Array;
  /** Per row (map-wide id): seats neither taken nor blocked in the copy. */
  private readonly rowFree: Int32Array;
  private readonly gaUntil = new Map<number, { until: number; owners: Set<number> }>();
  readonly version: number;
  private readonly open: boolean;
  private readonly closesAt: number;
  private readonly perOrder: number;

  constructor(
    readonly map: SeatMap,
    copy: TakenCopy,
    readonly takenAt: number,
  ) {
    this.version = copy.version;
    this.open = copy.open;
    this.closesAt = takenAt + copy.closesInMs;
    this.perOrder = copy.perOrder;
    this.until = new Float64Array(map.seatCount);
    this.owner = new Uint32Array(map.seatCount);
    this.rowFree = new Int32Array(map.rowCount);
    for (const section of map.sections) {
      for (const row of section.rows) {
        for (let s = row.start; s < row.start + row.count; s++) if (map.blocked[s] === 0) this.rowFree[row.id]!++;
      }
    }
    for (let i = 0; i < copy.seats.length; i++) {
      const seat = copy.seats[i]!;
      if (seat < 0 || seat >= map.seatCount) continue;
      this.until[seat] = takenAt + copy.leftMs[i]!;
      this.owner[seat] = copy.owners[i]!;
      this.rowFree[map.rowIdOf(seat)]!--;
    }
    for (const { section, leftMs, owners } of copy.fullGa) {
      this.gaUntil.set(section, { until: takenAt + leftMs, owners: new Set(owners) });
    }
  }

  /** A refusal the room would give too, or undefined: then the room decides. */
  refusal(ask: EdgeAsk, now: number): EdgeRefusal | undefined {
    if (!this.open || now >= this.closesAt) return undefined;
    let quantity = ask.seatIds.length;
    for (const item of ask.ga) quantity += item.quantity;
    if (quantity > this.perOrder) return undefined;
    const me = ownerHash(ask.userId);
    const seats: number[] = [];
    for (const id of ask.seatIds) {
      const seat = this.map.seatAt(id);
      if (seat === undefined) return undefined;
      seats.push(seat);
    }
    const taken = seats.filter((s) => this.until[s]! > now);
    if (taken.length > 0) {
      // A seat of the asker's own may be a replayed request: the room knows its key.
      if (taken.some((s) => this.owner[s] === me)) return undefined;
      return {
        code: "SEATS_UNAVAILABLE",
        unavailableSeatIds: taken.map((s) => this.map.seatIds[s]!),
        alternatives: this.alternativesFor(seats, taken, now),
        version: this.version,
      };
    }
    for (const item of ask.ga) {
      const section = this.map.sectionById.get(item.sectionId);
      if (section?.kind !== "ga") return undefined;
      const full = this.gaUntil.get(section.index);
      if (full && full.until > now && !full.owners.has(me)) {
        return { code: "SOLD_OUT", sectionId: section.id, available: 0, version: this.version };
      }
    }
    return undefined;
  }

  /** As the room's Stock.alternativesFor, with the copy's idea of free at `now`. */
  private alternativesFor(requested: number[], unavailable: number[], now: number): string[] {
    const isFree = (s: number) => this.until[s]! <= now && this.map.blocked[s] === 0;
    return alternativesPerSection(this.map, requested, unavailable, isFree, (row) => this.rowFree[row]!);
  }
}
