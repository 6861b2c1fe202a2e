import { roomOfHoldId } from "./domain/ids";
import { roomName } from "./domain/room-split";

/**
 * How code reaches a Durable Object: through its binding, by name, never by importing the class. So the
 * layers below the rooms (payments, the waiting room's tokens) call a room over RPC without depending
 * on its code, as the edge does.
 */

/**
 * The EventRoom stub for an event: one Durable Object per event, named by the event id; for an event
 * split by section, `roomKey` names one of its rooms (`<eventId>/<roomKey>`, src/domain/room-split.ts).
 */
export function roomFor(env: Env, eventId: string, roomKey?: string) {
  return env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(roomName(eventId, roomKey)));
}

/** The room that made a hold, named by its id; an id that names no room goes to the event's room. */
export function roomOfHold(env: Env, eventId: string, holdId: string) {
  const room = roomOfHoldId(holdId);
  return roomFor(env, eventId, room?.eventId === eventId ? room.roomKey : undefined);
}

/** Set by the edge on a live-map upgrade it has checked an access token for (clients' copies are dropped). */
export const ADMITTED_HEADER = "x-queue-admitted";
