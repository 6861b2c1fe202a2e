import { sectionOfSeat } from "./seat-map";
import type { HoldRequest, InventoryConfig } from "./types";

/**
 * How an event's inventory is split into rooms (Durable Objects). `"event"`: one room for the whole
 * event (the default). `"section"`: one room per section. Groups (`[["A","B"],["C"]]`): one room per
 * group. Each room is the single writer of its sections' seats and GA places; a hold stays in one.
 */
export type RoomsOption = "event" | "section" | string[][];

/** The groups of section ids, one room each, in the venue's order; `null`: the one event room. */
export type RoomPlan = string[][] | null;

/** A group's room key: its first section (sections belong to exactly one group, so keys are unique). */
export const roomKeyOf = (group: readonly string[]): string => group[0]!;

/** The Durable Object name of an event's room: the event id, or `<eventId>/<room key>` for a split. */
export const roomName = (eventId: string, roomKey?: string): string =>
  roomKey === undefined ? eventId : `${eventId}/${roomKey}`;

export interface RoomsIssue {
  path: string;
  message: string;
}

/** What is wrong with a split for a venue's sections: each section in exactly one group. */
export function roomsIssues(option: RoomsOption, sectionIds: readonly string[]): RoomsIssue[] {
  if (option === "event" || option === "section") return [];
  const issues: RoomsIssue[] = [];
  const seen = new Set<string>();
  for (const [g, group] of option.entries()) {
    for (const [i, id] of group.entries()) {
      const path = `rooms.${g}.${i}`;
      if (!sectionIds.includes(id)) issues.push({ path, message: `the venue has no section ${id}` });
      else if (seen.has(id)) issues.push({ path, message: `section ${id} is in two rooms` });
      seen.add(id);
    }
  }
  for (const id of sectionIds) {
    if (!seen.has(id)) issues.push({ path: "rooms", message: `section ${id} is in no room` });
  }
  return issues;
}

/** The plan of a (valid) split; a split into one group is one room too, but named by its group. */
export function planOf(option: RoomsOption | null | undefined, sectionIds: readonly string[]): RoomPlan {
  if (option === undefined || option === null || option === "event") return null;
  if (option === "section") return sectionIds.map((id) => [id]);
  const order = new Map(sectionIds.map((id, i) => [id, i]));
  return option
    .map((group) => [...group].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)))
    .sort((a, b) => (order.get(a[0]!) ?? 0) - (order.get(b[0]!) ?? 0));
}

/** The room key of a section under a plan; `undefined` for the one event room or a section not in it. */
export function roomKeyForSection(plan: RoomPlan, sectionId: string): string | undefined {
  const group = plan?.find((g) => g.includes(sectionId));
  return group ? roomKeyOf(group) : undefined;
}

/**
 * Which room a request naming these sections goes to: the one room of the event, the room of the
 * sections it names (`spans` when they lie in more than one), or, when it names none the plan knows,
 * the first room (which refuses it as the event's room would: no such seat or section).
 */
export function routeOf(
  plan: RoomPlan,
  sectionIds: Iterable<string>,
): { roomKey: string | undefined; spans: boolean; rooms: string[] } {
  if (plan === null) return { roomKey: undefined, spans: false, rooms: [] };
  const keys = new Set<string>();
  for (const id of sectionIds) {
    const key = roomKeyForSection(plan, id);
    if (key !== undefined) keys.add(key);
  }
  const rooms = [...keys];
  return { roomKey: rooms[0] ?? roomKeyOf(plan[0]!), spans: rooms.length > 1, rooms };
}

/** The sections a hold names, lazily: a room with no split looks at none of them on its hold path. */
export function* sectionsOfHold(request: Pick<HoldRequest, "seatIds" | "ga">): Generator<string> {
  for (const seatId of request.seatIds) yield sectionOfSeat(seatId);
  for (const item of request.ga) yield item.sectionId;
}

/** A plan as plain strings for an RPC answer's details (`"A+B"` per group; none: the one event room). */
export const encodePlan = (plan: RoomPlan): string[] => (plan ?? []).map((g) => g.join("+"));
export const decodePlan = (groups: readonly string[]): RoomPlan =>
  groups.length === 0 ? null : groups.map((g) => g.split("+"));

/** One room's share of the event: its sections and their prices, named by its key. */
export function roomConfig(config: InventoryConfig, plan: RoomPlan, roomKey: string | undefined): InventoryConfig {
  const rooms = plan ?? undefined;
  if (roomKey === undefined) return { ...config, rooms, roomKey: undefined };
  const mine = new Set(plan?.find((g) => roomKeyOf(g) === roomKey) ?? []);
  const prices: Record<string, number> = {};
  for (const [id, cents] of Object.entries(config.prices)) if (mine.has(id)) prices[id] = cents;
  return { ...config, sections: config.sections.filter((s) => mine.has(s.id)), prices, rooms, roomKey };
}

/**
 * Whether a room may decide a request naming these sections, or must send the edge elsewhere: the
 * event room of a split event decides no inventory; a group room none that the plan puts in another
 * room (or any, once a new plan retired it).
 */
export function misrouted(config: InventoryConfig, sectionIds: Iterable<string>): boolean {
  const plan = config.rooms ?? null;
  if (plan === null) return config.roomKey !== undefined;
  if (config.roomKey === undefined) return true;
  if (!plan.some((g) => roomKeyOf(g) === config.roomKey)) return true;
  for (const id of sectionIds) {
    const key = roomKeyForSection(plan, id);
    if (key !== undefined && key !== config.roomKey) return true;
  }
  return false;
}
