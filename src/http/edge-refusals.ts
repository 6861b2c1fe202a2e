import { type EdgeAsk, EdgeCopy } from "../domain/edge-copy";
import { SeatMap } from "../domain/seat-map";
import { ApiError } from "./errors";
import { countEdgeHoldRefusal } from "./metrics/edge-counters";
import { roomFor } from "./rooms";

/**
 * The edge's copy of each room's taken stock, per isolate: a hold for seats the copy shows someone
 * else's (sold, or held past now) is refused here, 409 with the copy's `version`, without a room
 * call (API.md, "Holds"). The copy is used only while it is at most `maxAgeMs` old (from when the
 * edge asked the room) and only when the request's `minVersion` is not newer; a stale copy is
 * renewed in the background while the room decides. Nothing is ever granted here.
 */
const copies = new Map<string, EdgeCopy>();
const maps = new Map<string, SeatMap>();
const renewing = new Map<string, Promise<void>>();
/** Events whose copies an isolate keeps at most (an LRU by insertion: the oldest goes first). */
const MAX_EVENTS = 256;

interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

/** Tests move the edge's clock instead of sleeping (as they do the room's). */
let clockSkewMs = 0;
const edgeNow = () => Date.now() + clockSkewMs;

async function renew(env: Env, eventId: string): Promise<void> {
  const askedAt = edgeNow();
  const map = maps.get(eventId);
  const result = await roomFor(env, eventId).edgeCopy(map === undefined);
  if (!result.ok) {
    copies.delete(eventId);
    return;
  }
  const { copy, sections } = result.value;
  const seatMap = map ?? (sections ? new SeatMap(sections) : undefined);
  if (!seatMap) return;
  if (!map) remember(maps, eventId, seatMap);
  const current = copies.get(eventId);
  // Two renewals may cross: the newer version wins.
  if (current && current.version > copy.version) return;
  remember(copies, eventId, new EdgeCopy(seatMap, copy, askedAt));
}

function remember<T>(into: Map<string, T>, key: string, value: T): void {
  into.delete(key);
  into.set(key, value);
  if (into.size > MAX_EVENTS) into.delete(into.keys().next().value!);
}

/** Starts one renewal per event at a time; a failure only means the room keeps deciding. */
function renewSoon(env: Env, ctx: Ctx, eventId: string): void {
  if (renewing.has(eventId)) return;
  const done = renew(env, eventId)
    .catch(() => copies.delete(eventId))
    .finally(() => renewing.delete(eventId));
  renewing.set(
    eventId,
    done.then(() => undefined),
  );
  ctx.waitUntil(done);
}

/**
 * Throws the edge's refusal for this hold, if its copy is fresh enough to give one; else returns
 * (the room decides) and, when the copy is stale or missing, renews it for the next hold.
 */
export function refuseAtEdge(
  env: Env,
  ctx: Ctx,
  eventId: string,
  ask: EdgeAsk & { minVersion?: number },
  maxAgeMs: number,
): void {
  if (maxAgeMs <= 0) return;
  const now = edgeNow();
  const copy = copies.get(eventId);
  const age = copy ? now - copy.takenAt : Number.POSITIVE_INFINITY;
  const behind = copy !== undefined && ask.minVersion !== undefined && ask.minVersion > copy.version;
  // Stale, or behind what a client has seen (renewed sooner then, but not on every request).
  if (age > maxAgeMs || (behind && age >= maxAgeMs / 4)) renewSoon(env, ctx, eventId);
  if (!copy || age > maxAgeMs || behind) return;
  const refusal = copy.refusal(ask, now);
  if (!refusal) return;
  const { code, ...details } = refusal;
  countEdgeHoldRefusal(code);
  throw new ApiError(
    code,
    code === "SEATS_UNAVAILABLE"
      ? "Some of the requested seats are no longer available."
      : "This general-admission section is sold out.",
    details,
  );
}

/** Tests only: forgets every copy (a test that moves a room's clock makes the copies wrong). */
export function forgetEdgeCopiesForTests(): void {
  copies.clear();
}

/** Tests only: moves this isolate's edge clock (the copies' ages). */
export function skewEdgeClockForTests(ms: number): void {
  clockSkewMs = ms;
}
