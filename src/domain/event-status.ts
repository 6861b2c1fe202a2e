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
