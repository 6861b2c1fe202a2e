/**
 * Seats for a party that sit together: N neighbours in one row (consecutive seat numbers), all
 * free. Used for "best available N together" (front rows first, then nearest the row's middle) and
 * for alternatives after a refusal (nearest the seats that were asked for), so a party is never
 * offered seats with someone else between them.
 */

export interface RowSeats {
  label: string;
  seats: { id: string; number: number }[];
}

export interface Near {
  row: number;
  center: number;
}

export function together(rows: RowSeats[], n: number, free: (seatId: string) => boolean, near?: Near): string[] {
  if (n < 1) return [];
  let best: { score: number; ids: string[] } | undefined;
  rows.forEach((row, r) => {
    const seats = row.seats;
    const middle = seats.length > 0 ? (seats.length - 1) / 2 : 0;
    let run = 0;
    for (let i = 0; i < seats.length; i++) {
      const seat = seats[i]!;
      const previous = seats[i - 1];
      const adjacent = previous !== undefined && seat.number === previous.number + 1;
      run = free(seat.id) ? (adjacent ? run + 1 : 1) : 0;
      if (run < n) continue;
      const start = i - n + 1;
      const center = start + (n - 1) / 2;
      const score = near
        ? Math.abs(r - near.row) * 4 + Math.abs(center - near.center)
        : r * 1000 + Math.abs(center - middle);
      if (!best || score < best.score) best = { score, ids: seats.slice(start, i + 1).map((s) => s.id) };
    }
  });
  return best?.ids ?? [];
}

/** Where a set of seats sits in its section: the row index and the middle seat's position. */
export function whereIs(rows: RowSeats[], seatIds: string[]): Near | undefined {
  const wanted = new Set(seatIds);
  const places: { r: number; c: number }[] = [];
  rows.forEach((row, r) => {
    row.seats.forEach((seat, c) => {
      if (wanted.has(seat.id)) places.push({ r, c });
    });
  });
  if (places.length === 0) return undefined;
  const avg = (f: (p: { r: number; c: number }) => number) => places.reduce((n, p) => n + f(p), 0) / places.length;
  return { row: Math.round(avg((p) => p.r)), center: avg((p) => p.c) };
}
