import type { EventState } from "./types";

export type EventStatus = "scheduled" | "on_sale" | "paused" | "sold_out" | "closed" | "cancelled";

/** The public status of an event from its stored state and times (sold out comes from the room). */
export function eventStatus(
  event: { state: EventState; onSaleAt: number; startsAt: number; salesEndAt: number | null },
  now: number,
  soldOut = false,
): EventStatus {
  switch (event.state) {
    case "cancelled":
      return "cancelled";
    case "paused":
      return "paused";
    case "draft":
      return "scheduled";
    case "published":
      if (now >= (event.salesEndAt ?? event.startsAt)) return "closed";
      if (now < event.onSaleAt) return "scheduled";
      return soldOut ? "sold_out" : "on_sale";
  }
}

/** What an organizer may do to an event. */
export const EVENT_ACTIONS = ["publish", "pause", "resume", "cancel"] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** The event's state machine: from which states each action may be taken, and where it leads. */
const TRANSITIONS: Record<EventAction, Partial<Record<EventState, EventState>>> = {
  publish: { draft: "published", published: "published", paused: "published" },
  resume: { published: "published", paused: "published" },
  pause: { published: "paused", paused: "paused" },
  cancel: { draft: "cancelled", published: "cancelled", paused: "cancelled", cancelled: "cancelled" },
};

/**
 * The state an organizer's change leads to, or undefined when the event cannot take it. A change
 * without an action (new prices, times) keeps the state; a cancelled event takes no change at all.
 */
export function nextEventState(current: EventState, action: EventAction | undefined): EventState | undefined {
  if (!action) return current === "cancelled" ? undefined : current;
  return TRANSITIONS[action][current];
}

/**
 * Whether the room takes a new definition of its event over the one it has: a cancel always wins
 * and is never undone; otherwise the newer stored version wins, so two edits that reach the room out
 * of order leave it with the one D1 kept. A definition without a version (tests, benchmarks) is taken.
 */
export function takesDefinition(
  current: { state: EventState; definitionVersion?: number } | undefined,
  next: { state: EventState; definitionVersion?: number },
): boolean {
  if (!current || next.state === "cancelled") return true;
  if (current.state === "cancelled") return false;
  if (current.definitionVersion === undefined || next.definitionVersion === undefined) return true;
  return next.definitionVersion >= current.definitionVersion;
}
