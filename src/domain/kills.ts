import { refuse } from "./refusals";
import { ok, type Result } from "./result";
import type { GaTake, Stock } from "./stock";
import type { Kill } from "./types";

/** What a kill takes, as stock indexes: seats and GA places. */
export interface KillSelection {
  seats: number[];
  ga: GaTake[];
}

/** The seats and places a kill names; all must exist. `free`: each seat free and enough GA places left. */
export function resolveKill(stock: Stock, kill: Pick<Kill, "seatIds" | "ga">, free: boolean): Result<KillSelection> {
  const seats: number[] = [];
  const unknown: string[] = [];
  for (const id of kill.seatIds) {
    const index = stock.map.seatAt(id);
    if (index === undefined) unknown.push(id);
    else if (!seats.includes(index)) seats.push(index);
  }
  if (unknown.length > 0) return refuse.unknownSeats(unknown);
  const ga: GaTake[] = [];
  for (const item of kill.ga) {
    const section = stock.gaSection(item.sectionId);
    if (!section) return refuse.unknownGaSection(item.sectionId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) return refuse.badQuantity();
    const same = ga.find(([s]) => s === section.index);
    if (same) same[1] += item.quantity;
    else ga.push([section.index, item.quantity]);
  }
  if (seats.length === 0 && ga.length === 0) return refuse.emptyHold();
  if (free) {
    const taken = seats.filter((s) => !stock.isFree(s));
    if (taken.length > 0)
      return refuse.seatsUnavailable(
        taken.map((s) => stock.map.seatIds[s]!),
        [],
      );
    for (const [s, q] of ga) {
      if (stock.left(s) < q) return refuse.soldOut(stock.map.sections[s]!, stock.left(s));
    }
  }
  return ok({ seats, ga });
}
