import type { SeatStatus } from "./format";

/**
 * Where each seat of a seated section is drawn: pure geometry, shared by the server's first paint
 * (src/pages/seat-map.tsx) and the browser, which draws a big venue's sections when they are opened
 * (src/client/lib/section-draw.ts), so both give the same markup. The SVG holds only the seats;
 * row labels and seat numbers are HTML beside it (sticky while the section scrolls, and text whose
 * contrast a checker can measure, which SVG text over shapes is not).
 */

export interface LayoutSeat {
  id: string;
  row: string;
  number: number;
  status: SeatStatus;
}

export interface NumberRuler {
  /** Half-pitches of space before the first number (rows are centred). */
  halves: number;
  numbers: number[];
}

export interface SectionLayout {
  width: number;
  height: number;
  rows: { label: string; y: number; seats: (LayoutSeat & { cx: number })[] }[];
  /** The seat that is in the tab order (roving tabindex): the first available one. */
  firstFocus: string;
  /** Seat numbers printed above the front row and below the back row. */
  front: NumberRuler | undefined;
  back: NumberRuler | undefined;
}

export const PITCH = 24;
export const RADIUS = 10;
/** Matches `.seat-grid .row-labels { padding-top }` in styles.css. */
const PAD = 6;

export function sectionLayout(seats: LayoutSeat[]): SectionLayout {
  const byRow = new Map<string, LayoutSeat[]>();
  for (const seat of seats) {
    let row = byRow.get(seat.row);
    if (!row) {
      row = [];
      byRow.set(seat.row, row);
    }
    row.push(seat);
  }
  const rows = [...byRow.entries()].map(([label, list]) => ({
    label,
    seats: list.sort((a, b) => a.number - b.number),
  }));
  const widest = Math.max(1, ...rows.map((r) => r.seats.length));
  const drawn = rows.map((row, r) => {
    const offset = ((widest - row.seats.length) * PITCH) / 2;
    return {
      label: row.label,
      y: PAD + r * PITCH + PITCH / 2,
      seats: row.seats.map((seat, c) => ({ ...seat, cx: offset + c * PITCH + PITCH / 2 })),
    };
  });
  const ruler = (row: (typeof rows)[number] | undefined): NumberRuler | undefined =>
    row && { halves: widest - row.seats.length, numbers: row.seats.map((s) => s.number) };
  return {
    width: widest * PITCH,
    height: rows.length * PITCH + PAD * 2,
    rows: drawn,
    firstFocus: seats.find((s) => s.status === "available")?.id ?? seats[0]?.id ?? "",
    front: ruler(rows[0]),
    back: rows.length > 1 ? ruler(rows[rows.length - 1]) : undefined,
  };
}
