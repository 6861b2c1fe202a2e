import { gaTakes } from "./hold-checks";
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
  const gathered = gaTakes(stock, kill.ga);
  if (!gathered.ok) return gathered;
  const ga = gathered.value;
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
