import type { SeatStatus } from "./format";

/**
 * Where each seat of a seated section is drawn: pure geometry, shared by the server's first paint
 * (src/pages/seat-map.tsx) and the browser, which draws a big venue's sections when they are opened
 * (src/client/lib/section-draw.ts), so both give the same SVG.
 */

export interface LayoutSeat {
  id: string;
  row: string;
  number: number;
  status: SeatStatus;
}

export interface SectionLayout {
  width: number;
  height: number;
  rows: { label: string; y: number; seats: (LayoutSeat & { cx: number })[] }[];
  /** The seat that is in the tab order (roving tabindex): the first available one. */
  firstFocus: string;
}

export const PITCH = 24;
export const RADIUS = 10;
const LABEL = 30;
const PAD = 8;

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
  const width = LABEL * 2 + widest * PITCH + PAD;
  const height = rows.length * PITCH + PAD * 2;
  return {
    width,
    height,
    rows: rows.map((row, r) => {
      const offset = LABEL + ((widest - row.seats.length) * PITCH) / 2;
      return {
        label: row.label,
        y: PAD + r * PITCH + PITCH / 2,
        seats: row.seats.map((seat, c) => ({ ...seat, cx: offset + c * PITCH + PITCH / 2 })),
      };
    }),
    firstFocus: seats.find((s) => s.status === "available")?.id ?? seats[0]?.id ?? "",
  };
}

export const ROW_LABEL_X = (width: number): [number, number] => [LABEL / 2, width - LABEL / 2];
