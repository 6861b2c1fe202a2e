/** The EventRoom stub for an event: one Durable Object per event, named by the event id. */
export function roomFor(env: Env, eventId: string) {
  return env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));
}

/** Set by the edge on a live-map upgrade it has checked an access token for (clients' copies are dropped). */
export const ADMITTED_HEADER = "x-queue-admitted";
