import { alternativesPerSection } from "./alternatives";
import { SeatMap, type SectionLayout } from "./seat-map";
import type { SeatStatus, SectionDef, SectionView, Step } from "./types";

const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;
const BLOCKED = 3;
const STATUS_NAMES: SeatStatus[] = ["available", "held", "sold", "blocked"];

/** General-admission places of one hold: [section index, quantity]. */
export type GaTake = [section: number, quantity: number];

/** What taken stock is: held for someone, or sold. */
export type Taken = "held" | "sold";

/**
 * An event's seats and general-admission places: which are free, held, sold or blocked, and how
 * many are left per section and row. It knows nothing of holds' lifecycle; every change is written
 * into the Step it is given, and marks the sections it touched with that Step's version.
 */
export class Stock {
  readonly map: SeatMap;
  private readonly status: Uint8Array;
  private readonly sectionAvailable: Int32Array;
  private readonly rowAvailable: Int32Array;
  private readonly seatRowId: Uint32Array;
  private readonly gaTaken: Int32Array;
  /** Per section, the version that last changed it: readers cache a section's view until it moves. */
  private readonly sectionChangedAt: Float64Array;

  constructor(sections: SectionDef[]) {
    this.map = new SeatMap(sections);
    this.status = new Uint8Array(this.map.seatCount);
    this.sectionAvailable = new Int32Array(this.map.sections.length);
    this.rowAvailable = new Int32Array(this.map.rowCount);
    this.seatRowId = new Uint32Array(this.map.seatCount);
    for (let seat = 0; seat < this.map.seatCount; seat++) this.seatRowId[seat] = this.map.rowIdOf(seat);
    this.gaTaken = new Int32Array(this.map.sections.length);
    this.sectionChangedAt = new Float64Array(this.map.sections.length);
    this.recount();
  }

  // ---------------------------------------------------------------- changes

  /** Takes free seats and places (the caller checked they are free). */
  take(seats: number[], ga: GaTake[], taken: Taken, step: Step): void {
    this.setSeats(seats, taken === "held" ? HELD : SOLD, step);
    for (const [s, q] of ga) {
      this.gaTaken[s]! += q;
      this.sectionAvailable[s]! -= q;
      this.markSection(s, step);
    }
  }

  /** Held stock becomes sold: GA counts stay, its sections still change. */
  sell(seats: number[], ga: GaTake[], step: Step): void {
    this.setSeats(seats, SOLD, step);
    for (const [s] of ga) this.markSection(s, step);
  }

  /** Free seats and places are taken off sale (a kill): seats show `blocked`, GA places are taken. */
  block(seats: number[], ga: GaTake[], step: Step): void {
    this.setSeats(seats, BLOCKED, step);
    for (const [s, q] of ga) {
      this.gaTaken[s]! += q;
      this.sectionAvailable[s]! -= q;
      this.markSection(s, step);
    }
  }

  /** Seats and places go back on sale. */
  giveBack(seats: number[], ga: GaTake[], step: Step): void {
    this.setSeats(seats, AVAILABLE, step);
    for (const [s, q] of ga) {
      this.gaTaken[s]! -= q;
      this.sectionAvailable[s]! += q;
      this.markSection(s, step);
    }
  }

  /**
   * A change that leaves these seats' states as they were (a new deadline) is still a change: the
   * Step restates them, so live subscribers see every change as a delta.
   */
  restate(seats: number[], ga: GaTake[], step: Step): void {
    for (const s of seats) step.seats.push({ id: this.map.seatIds[s]!, status: STATUS_NAMES[this.status[s]!]! });
    for (const s of seats) this.markSection(this.map.seatSection[s]!, step);
    for (const [s] of ga) this.markSection(s, step);
  }

  /** Marks stored stock taken while an inventory is rebuilt; `recount()` afterwards. */
  occupy(seats: number[], ga: GaTake[], taken: Taken): void {
    for (const s of seats) this.status[s] = taken === "held" ? HELD : SOLD;
    for (const [s, q] of ga) this.gaTaken[s]! += q;
  }

  /** Recomputes what is left per section and row from the seats' states and the GA counts. */
  recount(): void {
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

  // ---------------------------------------------------------------- reads

  isFree(seat: number): boolean {
    return this.status[seat] === AVAILABLE;
  }

  /** Tickets left in a section (by index). */
  left(section: number): number {
    return this.sectionAvailable[section]!;
  }

  /** A general-admission section by id; undefined for an unknown or seated one. */
  gaSection(sectionId: string): SectionLayout | undefined {
    const section = this.map.sectionById.get(sectionId);
    return section?.kind === "ga" ? section : undefined;
  }

  /** Tickets left in one section right now. */
  availableIn(sectionId: string): number {
    const section = this.map.sectionById.get(sectionId);
    return section ? this.sectionAvailable[section.index]! : 0;
  }

  /** A section's places left and capacity; undefined for an unknown one. */
  figuresOf(sectionId: string): { available: number; capacity: number } | undefined {
    const section = this.map.sectionById.get(sectionId);
    return section ? { available: this.sectionAvailable[section.index]!, capacity: section.capacity } : undefined;
  }

  /** Tickets left across all sections: zero means sold out (until seats come back). */
  available(): number {
    let n = 0;
    for (const free of this.sectionAvailable) n += free;
    return n;
  }

  capacity(): number {
    let n = 0;
    for (const section of this.map.sections) n += section.capacity;
    return n;
  }

  /** The version that last changed a section (0: never since this stock was built; -1: no such section). */
  sectionVersion(sectionId: string): number {
    const section = this.map.sectionById.get(sectionId);
    return section ? this.sectionChangedAt[section.index]! : -1;
  }

  seatStatus(id: string): SeatStatus | undefined {
    const index = this.map.seatAt(id);
    return index === undefined ? undefined : STATUS_NAMES[this.status[index]!];
  }

  /** Each section's figures, and its seats unless `withSeats` is false (a summary: name, price, availability). */
  sectionsView(priceOf: (section: number) => number, sectionId?: string, withSeats = true): SectionView[] {
    const views: SectionView[] = [];
    for (const section of this.map.sections) {
      if (sectionId !== undefined && section.id !== sectionId) continue;
      const view: SectionView = {
        id: section.id,
        name: section.name,
        kind: section.kind,
        priceCents: priceOf(section.index),
        available: this.sectionAvailable[section.index]!,
        capacity: section.capacity,
      };
      if (section.kind === "seated" && withSeats) {
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

  /** For seats someone else took: as many free seats nearby, per section that has any. */
  alternativesFor(requested: number[], unavailable: number[]): string[] {
    return alternativesPerSection(
      this.map,
      requested,
      unavailable,
      (s) => this.status[s] === AVAILABLE,
      (row) => this.rowAvailable[row]!,
      (section) => this.sectionAvailable[section]! > 0,
    );
  }

  // ---------------------------------------------------------------- internals

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

  /** A section's price changed (a dynamic step): its views are stale, and the step names it. */
  repriced(sectionId: string, step: Step): void {
    const section = this.map.sectionById.get(sectionId);
    if (section) this.markSection(section.index, step);
  }

  private markSection(section: number, step: Step): void {
    this.sectionChangedAt[section] = step.version;
    const id = this.map.sections[section]!.id;
    const available = this.sectionAvailable[section]!;
    const existing = step.sections.find((c) => c.id === id);
    if (existing) existing.available = available;
    else step.sections.push({ id, available });
  }
}
