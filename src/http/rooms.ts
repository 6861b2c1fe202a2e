import { roomFor as stubFor } from "../bindings";

/** Room calls that may run twice with the same effect as once; `hold` only with an Idempotency-Key. */
const IDEMPOTENT = new Set([
  "seats",
  "seatsJson",
  "getHold",
  "stats",
  "queueStatus",
  "ping",
  "configure",
  "sell",
  "refund",
  "undo",
  "abandon",
  "startCheckout",
  "release",
  "kill",
  "unkill",
]);

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
  if (method === "hold") return typeof (args[0] as { idempotencyKey?: unknown })?.idempotencyKey === "string";
  return IDEMPOTENT.has(method);
}

/**
 * The EventRoom stub for an event, with the edge's one retry: a transient failure (the object was
 * reset, a network blip) of a call that is safe to repeat is tried once more on a fresh stub; an
 * overloaded room is never retried (that would only add to its load).
 */
export function roomFor(env: Env, eventId: string): ReturnType<typeof stubFor> {
  const stub = stubFor(env, eventId);
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
          const fresh = stubFor(env, eventId) as unknown as Record<string, (...a: unknown[]) => unknown>;
          return await fresh[property]!(...args);
        }
      };
    },
  });
}
