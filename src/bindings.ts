/**
 * How code reaches a Durable Object: through its binding, by name, never by importing the class. So the
 * layers below the rooms (payments, the waiting room's tokens) call a room over RPC without depending
 * on its code, as the edge does.
 */

/** The EventRoom stub for an event: one Durable Object per event, named by the event id. */
export function roomFor(env: Env, eventId: string) {
  return env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));
}

/** Set by the edge on a live-map upgrade it has checked an access token for (clients' copies are dropped). */
export const ADMITTED_HEADER = "x-queue-admitted";
