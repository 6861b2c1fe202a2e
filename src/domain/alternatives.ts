import type { SeatMap, SectionLayout } from "./seat-map";

/**
 * The `count` free seats nearest to `near` in its section: every free seat of the same row
 * (closest number first) before any seat of the next-nearest row, and so on outwards.
 */
export function nearestFreeSeats(
  map: SeatMap,
  isFree: (seat: number) => boolean,
  freeInRow: (rowId: number) => number,
  section: SectionLayout,
  near: number,
  count: number,
): number[] {
  const found: number[] = [];
  const rows = section.rows;
  const homeRow = map.seatRow[near]!;
  const homeNumber = map.seatNumber[near]!;
  for (let distance = 0; distance < rows.length && found.length < count; distance++) {
    const candidates = distance === 0 ? [homeRow] : [homeRow + distance, homeRow - distance];
    for (const r of candidates) {
      const row = rows[r];
      // A full row is skipped without a look at its seats: on a nearly sold-out map most are.
      if (!row || freeInRow(row.id) === 0) continue;
      // Walk outwards from the same seat number: n, n+1, n-1, n+2, ...
      const centre = Math.min(Math.max(homeNumber, 1), row.count) - 1;
      for (let step = 0; step < 2 * row.count && found.length < count; step++) {
        const offset = step % 2 === 0 ? step / 2 : -(step + 1) / 2;
        const n = centre + offset;
        if (n < 0 || n >= row.count) continue;
        const seat = row.start + n;
        if (isFree(seat)) found.push(seat);
      }
    }
  }
  return found;
}

/**
 * For seats someone else took: as many free seats as were asked for in each section that had a taken
 * one, nearest to the first taken seat there. The room's stock and the edge's copy share it, with
 * their own idea of "free".
 */
export function alternativesPerSection(
  map: SeatMap,
  requested: number[],
  unavailable: number[],
  isFree: (seat: number) => boolean,
  freeInRow: (rowId: number) => number,
  sectionHasFree: (section: number) => boolean = () => true,
): string[] {
  const bySection = new Map<number, { near: number; count: number }>();
  for (const s of requested) {
    const section = map.seatSection[s]!;
    const entry = bySection.get(section);
    if (entry) entry.count++;
    else bySection.set(section, { near: unavailable.find((u) => map.seatSection[u] === section) ?? s, count: 1 });
  }
  const result: string[] = [];
  for (const [section, { near, count }] of bySection) {
    if (!sectionHasFree(section)) continue;
    if (!unavailable.some((u) => map.seatSection[u] === section)) continue;
    for (const s of nearestFreeSeats(map, isFree, freeInRow, map.sections[section]!, near, count)) {
      result.push(map.seatIds[s]!);
    }
  }
  return result;
}
