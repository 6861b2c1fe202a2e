import { newHoldId } from "../domain/ids";
import { refuse } from "../domain/refusals";
import type { Result } from "../domain/result";
import { encodePlan, misrouted } from "../domain/room-split";
import type { InventoryConfig } from "../domain/types";
import { refusalResponse } from "./refusal-response";

/**
 * A room's part in an event split by section (src/domain/room-split.ts). The rooms, not the edge,
 * are the authority on the split: a request that reached the wrong room (the edge's copy of the plan
 * is missing or stale) is answered WRONG_ROOM with the current plan, and the edge asks again there.
 */

/** The hold ids this room makes: they name the room, so every later call finds it. */
export const holdIds = (config: InventoryConfig) => () => newHoldId(config.eventId, config.roomKey);

/** WRONG_ROOM when this room does not decide these sections (none named: the room's own share). */
export function routeHere(config: InventoryConfig, sectionIds: Iterable<string>): Result<never> | undefined {
  return misrouted(config, sectionIds) ? refuse.wrongRoom(encodePlan(config.rooms ?? null)) : undefined;
}

/** Whether a new definition moves this room to another split: its inventory starts again (no holds). */
export const changesSplit = (before: InventoryConfig, after: InventoryConfig): boolean =>
  before.roomKey !== after.roomKey || JSON.stringify(before.rooms ?? null) !== JSON.stringify(after.rooms ?? null);

/** The live map's refusal in a room that does not hold those sections: the edge routes again. */
export function wrongRoomResponse(
  config: InventoryConfig,
  sections: Iterable<string> | undefined,
): Response | undefined {
  const elsewhere = routeHere(config, sections ?? []);
  return elsewhere ? refusalResponse(elsewhere) : undefined;
}
