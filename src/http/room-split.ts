import { z } from "zod";
import { roomFor as stubFor } from "../bindings";
import { ERROR_STATUS } from "../domain/error-codes";
import { mergeHistograms } from "../domain/histogram";
import type { Result } from "../domain/result";
import { decodePlan, type RoomPlan, roomConfig, roomKeyOf, routeOf } from "../domain/room-split";
import type { InventoryConfig } from "../domain/types";
import type { RoomBooks } from "../payments/books-audit";
import type { RoomStats } from "../rooms/event-room";
import { configureLedgers } from "../user-ledger/steps";
import { ApiError } from "./errors";
import { roomFor } from "./rooms";

/**
 * The edge's side of an event split by section (src/domain/room-split.ts): which room to ask. The
 * edge keeps, per isolate, the plan the rooms last told it; an event it knows nothing of is asked in
 * its own room, as every event is asked when it is not split, so `rooms: "event"` costs nothing. A
 * room asked about sections it does not decide answers WRONG_ROOM with the current plan, and the
 * edge asks again where that plan says: a stale copy costs a round trip, never a wrong decision.
 */

type Room = ReturnType<typeof roomFor>;

/** A room's WRONG_ROOM answer to a live-map upgrade (src/rooms/room-routing.ts). */
const WrongRoomBody = z.object({ error: z.object({ code: z.literal("WRONG_ROOM"), rooms: z.array(z.string()) }) });

const MAX_EVENTS = 10_000;
const plans = new Map<string, RoomPlan>();

function learn(eventId: string, rooms: unknown): void {
  if (plans.size >= MAX_EVENTS) plans.clear();
  const groups = Array.isArray(rooms) ? rooms.filter((g): g is string => typeof g === "string") : [];
  plans.set(eventId, decodePlan(groups));
}

/** The plan this isolate last learned for an event (`null`: one room, or nothing learned yet). */
export const knownPlan = (eventId: string): RoomPlan => plans.get(eventId) ?? null;

const unsettled = () =>
  new ApiError("OVERLOADED", "This event's rooms are being rearranged; try again.", {}, { "retry-after": "1" });

export const spansRooms = (rooms: string[]) =>
  new ApiError("SPANS_ROOMS", "These items lie in different rooms of this event: hold each room's sections apart.", {
    rooms,
  });

/**
 * Asks the room that decides these sections; items in more than one room → 400 SPANS_ROOMS.
 * Sections the plan does not know go where the rest go (the room refuses them as unknown).
 */
export async function askRoomOf<T>(
  env: Env,
  eventId: string,
  sectionIds: readonly string[],
  ask: (room: Room, roomKey: string | undefined) => Promise<Result<T>>,
): Promise<Result<T>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const route = routeOf(knownPlan(eventId), sectionIds);
    if (route.spans) throw spansRooms(route.rooms);
    const result = await ask(roomFor(env, eventId, route.roomKey), route.roomKey);
    if (result.ok || result.error.code !== "WRONG_ROOM") return result;
    learn(eventId, result.error.rooms);
  }
  throw unsettled();
}

/**
 * Opens the live map in the room of the sections it follows. A split event's map is one room's:
 * following no sections, all of them, or sections of two rooms → 400 SPANS_ROOMS.
 */
export async function openLiveIn(
  env: Env,
  eventId: string,
  sections: readonly string[] | undefined,
  open: (room: ReturnType<typeof stubFor>) => Promise<Response>,
): Promise<Response> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const plan = knownPlan(eventId);
    const route = routeOf(plan, sections ?? []);
    if (plan !== null && (route.spans || !sections?.length)) {
      throw new ApiError(
        "SPANS_ROOMS",
        "This event's seats are in several rooms: follow the sections of one (sections=…).",
        {
          rooms: plan.map(roomKeyOf),
        },
      );
    }
    const response = await open(stubFor(env, eventId, route.roomKey));
    if (response.status !== ERROR_STATUS.WRONG_ROOM || response.webSocket) return response;
    const text = await response.text();
    const refusal = WrongRoomBody.safeParse(JSON.parse(text));
    if (!refusal.success) return new Response(text, response);
    learn(eventId, refusal.data.error.rooms);
  }
  throw unsettled();
}

/** Asks every room of the event (the one room, or each of the split's) the same question. */
export async function askEveryRoom<T>(
  env: Env,
  eventId: string,
  ask: (room: Room) => Promise<Result<T>>,
): Promise<Result<T[]>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const plan = knownPlan(eventId);
    const keys = plan === null ? [undefined] : plan.map(roomKeyOf);
    const results = await Promise.all(keys.map((key) => ask(roomFor(env, eventId, key))));
    const misrouted = results.find((r) => !r.ok && r.error.code === "WRONG_ROOM");
    if (misrouted && !misrouted.ok) {
      learn(eventId, misrouted.error.rooms);
      continue;
    }
    const refused = results.find((r) => !r.ok);
    if (refused && !refused.ok) return refused;
    return { ok: true, value: results.flatMap((r) => (r.ok ? [r.value] : [])) };
  }
  throw unsettled();
}

/**
 * Hands the event's definition to each of its rooms: the event's own room (the waiting-room desk
 * and waitlist; with a split it decides no seats), every room of the plan with its share, and every
 * room of a previous plan that this one retires (so that it sends the edge elsewhere).
 */
export async function configureRooms(
  env: Env,
  config: InventoryConfig,
  plan: RoomPlan,
  previous: RoomPlan,
): Promise<void> {
  const keys = (plan ?? []).map(roomKeyOf);
  const retired = (previous ?? []).map(roomKeyOf).filter((key) => !keys.includes(key));
  await Promise.all(
    [...keys, ...retired].map((key) => roomFor(env, config.eventId, key).configure(roomConfig(config, plan, key))),
  );
  await roomFor(env, config.eventId).configure(roomConfig(config, plan, undefined));
  // The per-user limit across the rooms (src/user-ledger/steps.ts).
  if (plan !== null) {
    const settings = {
      perUser: config.limits.perUser,
      holdMs: config.holdSeconds * 1000,
      graceMs: config.paymentGraceSeconds * 1000,
    };
    await configureLedgers(env, config.eventId, settings);
  }
  if (plans.size >= MAX_EVENTS) plans.clear();
  plans.set(config.eventId, plan);
}

/** What adds up across rooms (the waitlist is the event's own room's; sections are each one room's). */
const SUMMED = [
  "held",
  "sold",
  "available",
  "capacity",
  "holdsActive",
  "holdsCreated",
  "holdsExpired",
  "holdsReleased",
  "holdsPurchased",
  "revenueCents",
  "holdsLastMinute",
  "version",
] as const satisfies ReadonlyArray<keyof RoomStats>;

/**
 * The event's live counts: one room's, or the sum of its rooms' (version: the sum of theirs; the
 * sections side by side; hold decisions by result and their latencies merged).
 */
export async function eventRoomStats(env: Env, eventId: string): Promise<Result<RoomStats>> {
  const each = await askEveryRoom(env, eventId, (room) => room.stats());
  if (!each.ok) return each;
  const [first, ...rest] = each.value;
  if (!first) return { ok: false, error: { code: "NOT_FOUND", message: "No such event." } };
  const sum = { ...first, sections: [...first.sections] };
  for (const stats of rest) {
    for (const name of SUMMED) sum[name] += stats[name];
    sum.sections.push(...stats.sections);
  }
  if (rest.length > 0) {
    const holds: Record<string, number> = {};
    for (const stats of each.value) {
      for (const [result, n] of Object.entries(stats.decisions.holds)) holds[result] = (holds[result] ?? 0) + n;
    }
    sum.decisions = { holds, latency: mergeHistograms(each.value.map((s) => s.decisions.latency)) };
  }
  return { ok: true, value: sum };
}

/** What the books audit reads of an event's rooms (src/payments/books-audit.ts): every room's seats, and sold. */
export async function eventRoomBooks(env: Env, eventId: string): Promise<RoomBooks> {
  const [maps, stats] = await Promise.all([
    askEveryRoom(env, eventId, (room) => room.seats()),
    eventRoomStats(env, eventId),
  ]);
  if (!maps.ok) throw ApiError.fromDomain(maps.error);
  if (!stats.ok) throw ApiError.fromDomain(stats.error);
  return { sections: maps.value.flatMap((m) => m.sections), sold: stats.value.sold };
}
