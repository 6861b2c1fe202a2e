import type { SectionDef, SectionKind } from "./types";

/** Seat ids are `<sectionId>-<rowLabel>-<number>`, so neither part may contain a dash. */
export const seatId = (sectionId: string, rowLabel: string, number: number): string =>
  `${sectionId}-${rowLabel}-${number}`;

/** The section a seat id names (the part before its first dash). */
export const sectionOfSeat = (id: string): string => id.slice(0, Math.max(0, id.indexOf("-")));

export interface RowLayout {
  label: string;
  /** The row's index among all rows of the map (for per-row counters). */
  id: number;
  /** Index of the row's first seat in the map's flat arrays. */
  start: number;
  count: number;
}

export interface SectionLayout {
  /** Row label → row, for parsing seat ids without a map-wide string index. */
  rowByLabel: Map<string, RowLayout>;
  index: number;
  id: string;
  name: string;
  kind: SectionKind;
  capacity: number;
  rows: RowLayout[];
  /** Flat seat index range [seatStart, seatEnd) for seated sections. */
  seatStart: number;
  seatEnd: number;
}

/**
 * The immutable geometry of a venue: every seat in one flat array so that a seat's state is a
 * byte and a lookup is one Map probe. Built once per room start (260,000 seats in ~100 ms).
 */
export class SeatMap {
  readonly sections: SectionLayout[] = [];
  readonly sectionById = new Map<string, SectionLayout>();
  readonly seatIds: string[] = [];
  /** Per seat: its section index, row index within the section, and number within the row. */
  readonly seatSection: Uint16Array;
  readonly seatRow: Uint16Array;
  readonly seatNumber: Uint16Array;
  readonly blocked: Uint8Array;
  /** Rows in the whole map; a seat's row id is `rows[seatRow]` of its section. */
  rowCount = 0;

  constructor(defs: SectionDef[]) {
    let total = 0;
    for (const def of defs) {
      if (def.kind === "seated") for (const row of def.rows ?? []) total += row.seats;
    }
    this.seatSection = new Uint16Array(total);
    this.seatRow = new Uint16Array(total);
    this.seatNumber = new Uint16Array(total);
    this.blocked = new Uint8Array(total);

    let next = 0;
    defs.forEach((def, index) => {
      const seatStart = next;
      let blockedCount = 0;
      const rows: RowLayout[] = [];
      if (def.kind === "seated") {
        (def.rows ?? []).forEach((row, rowIndex) => {
          rows.push({ label: row.label, id: this.rowCount++, start: next, count: row.seats });
          const blocked = new Set(row.blocked ?? []);
          for (let n = 1; n <= row.seats; n++) {
            const id = seatId(def.id, row.label, n);
            this.seatIds.push(id);
            this.seatSection[next] = index;
            this.seatRow[next] = rowIndex;
            this.seatNumber[next] = n;
            if (blocked.has(n)) {
              this.blocked[next] = 1;
              blockedCount++;
            }
            next++;
          }
        });
      }
      const section: SectionLayout = {
        rowByLabel: new Map(rows.map((r) => [r.label, r])),
        index,
        id: def.id,
        name: def.name,
        kind: def.kind,
        capacity: def.kind === "seated" ? next - seatStart - blockedCount : (def.capacity ?? 0),
        rows,
        seatStart,
        seatEnd: next,
      };
      this.sections.push(section);
      this.sectionById.set(def.id, section);
    });
  }

  /**
   * The flat index of a seat id `<section>-<row>-<n>`, or undefined when there is no such seat.
   * Parsed, not looked up: a 260,000-entry string map costs more per hold than the hold itself.
   */
  seatAt(id: string): number | undefined {
    const first = id.indexOf("-");
    const last = id.lastIndexOf("-");
    if (first <= 0 || last <= first + 1) return undefined;
    const section = this.sectionById.get(id.slice(0, first));
    const row = section?.rowByLabel.get(id.slice(first + 1, last));
    if (!row) return undefined;
    const digits = id.slice(last + 1);
    const n = Number(digits);
    // Only the canonical spelling names a seat: "A-1-07" or "A-1-7.0" do not.
    if (!Number.isInteger(n) || n < 1 || n > row.count || String(n) !== digits) return undefined;
    return row.start + n - 1;
  }

  /** The map-wide row id of a seat. */
  rowIdOf(seat: number): number {
    return this.sections[this.seatSection[seat]!]!.rows[this.seatRow[seat]!]!.id;
  }

  get seatCount(): number {
    return this.seatIds.length;
  }
}
