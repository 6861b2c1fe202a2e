import { roomFor as stubFor } from "../bindings";
import { roomOfHoldId } from "../domain/ids";
import type { EventRoom } from "../rooms/event-room";

/** The room's RPC methods, by name (what the edge may call on a stub). */
type RoomMethod = {
  [K in keyof EventRoom]-?: EventRoom[K] extends (...args: never[]) => unknown ? K : never;
}[keyof EventRoom];

/**
 * Each room method's retry policy, declared against the class's own methods (a name the room does
 * not have, or no longer has, fails typecheck): `always` when running twice has the effect of
 * running once; `withKey` when only a request carrying an Idempotency-Key is safe to repeat. A
 * method not named here is never retried.
 */
const RETRY: { [M in RoomMethod]?: "always" | "withKey" } = {
  seats: "always",
  seatsJson: "always",
  getHold: "always",
  stats: "always",
  queueStatus: "always",
  ping: "always",
  configure: "always",
  sell: "always",
  undo: "always",
  startCheckout: "always",
  release: "always",
  kill: "always",
  unkill: "always",
  hold: "withKey",
};

interface DurableObjectError {
  retryable?: boolean;
  overloaded?: boolean;
}

const errorFlags = (error: unknown): DurableObjectError =>
  typeof error === "object" && error !== null ? (error as DurableObjectError) : {};

/** The room was overloaded or could not be reached: the client should retry later (503 OVERLOADED). */
export function isRoomUnavailable(error: unknown): boolean {
  const { retryable, overloaded } = errorFlags(error);
  return overloaded === true || retryable === true;
}

function idempotent(method: string, args: unknown[]): boolean {
  const policy = RETRY[method as RoomMethod];
  if (policy === "withKey") return typeof (args[0] as { idempotencyKey?: unknown })?.idempotencyKey === "string";
  return policy === "always";
}

/**
 * The EventRoom stub for an event, with the edge's one retry: a transient failure (the object was
 * reset, a network blip) of a call that is safe to repeat is tried once more on a fresh stub; an
 * overloaded room is never retried (that would only add to its load).
 */
export function roomFor(env: Env, eventId: string, roomKey?: string): ReturnType<typeof stubFor> {
  const stub = stubFor(env, eventId, roomKey);
  return new Proxy(stub, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || property === "fetch" || typeof value !== "function") return value;
      // An RPC method is itself an RPC proxy (even `.apply` would be a remote call): call it as a method.
      const methods = target as unknown as Record<string, (...a: unknown[]) => unknown>;
      return async (...args: unknown[]) => {
        try {
          return await methods[property]!(...args);
        } catch (error) {
          const { retryable, overloaded } = errorFlags(error);
          if (!retryable || overloaded || !idempotent(property, args)) throw error;
          const fresh = stubFor(env, eventId, roomKey) as unknown as Record<string, (...a: unknown[]) => unknown>;
          return await fresh[property]!(...args);
        }
      };
    },
  });
}

/** The room that made a hold (its id names it), with the same retry; `undefined` for an id not ours. */
export function roomOfHold(env: Env, holdId: string): ReturnType<typeof stubFor> | undefined {
  const room = roomOfHoldId(holdId);
  return room ? roomFor(env, room.eventId, room.roomKey) : undefined;
}
