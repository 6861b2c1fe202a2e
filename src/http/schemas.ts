import { z } from "zod";
import { SHORT_CODE as code, Id } from "../contract/requests";

/**
 * The shapes of the sales routes (seats, holds, idempotency keys, bench). Venue, event and catalog
 * inputs live in src/contract/requests.ts, shared with the database layer; re-exported here so the
 * routes and tests keep one import.
 */
export {
  CatalogQuery,
  EVENT_ACTIONS,
  type EventAction,
  EventCreate,
  EventPatch,
  Id,
  MAX_SEATS_PER_VENUE,
  VenueCreate,
  VenuePatch,
} from "../contract/requests";

export const EventIdParam = z.object({ eventId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an event id") });
export const HoldIdParam = z.object({ holdId: Id });
/** The simulated pay page's button (local development): succeed or fail the payment. */
export const SimulatedOutcome = z.object({ result: z.enum(["succeed", "fail"]).default("succeed") });
export const OrderIdParam = z.object({ orderId: z.string().regex(/^ord_[a-z0-9]{1,40}$/, "must be an order id") });

// ------------------------------------------------------------------ inventory and holds

export const SeatsQuery = z.object({
  section: z.string().regex(code, "must be a section id").optional(),
  /** At least this version (a hold's answer carries the version it produced). */
  minVersion: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** A hold may name the seat-map version it saw in its query too (`?minVersion=n`). */
export const HoldQuery = z.object({
  minVersion: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const LiveQuery = z.object({
  /** The waiting room's access token, when the event's waiting room is on. */
  access: z.string().max(4096).optional(),
  /**
   * Follow only these sections' seats (comma-separated ids; empty: none, just every section's
   * availability). Absent: the whole map. A big venue's page follows the section it shows.
   */
  sections: z
    .string()
    .regex(/^(?:[A-Za-z0-9]{1,16}(?:,[A-Za-z0-9]{1,16}){0,99})?$/, "must be section ids, comma-separated")
    .optional(),
});

const TicketTypeId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be a ticket type id");

export const HoldCreate = z
  .object({
    seatIds: z.array(z.string().min(1).max(64)).max(100).default([]),
    /** In place of seatIds: each seat with its ticket type (the event's first type where absent). */
    seats: z
      .array(z.object({ seatId: z.string().min(1).max(64), ticketType: TicketTypeId.optional() }))
      .max(100)
      .optional(),
    ga: z
      .array(
        z.object({
          sectionId: z.string().min(1).max(64),
          quantity: z.number().int().min(1).max(100),
          ticketType: TicketTypeId.optional(),
        }),
      )
      .max(20)
      .default([]),
    presaleCode: z.string().trim().min(1).max(64).optional(),
    /** The newest seat-map version the client has seen: the edge's copy refuses only if at least as new. */
    minVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    voucher: z.string().trim().min(1).max(64).optional(),
  })
  .superRefine((hold, ctx) => {
    const seatIds = [...hold.seatIds, ...(hold.seats ?? []).map((s) => s.seatId)];
    if (seatIds.length === 0 && hold.ga.length === 0) {
      ctx.addIssue({ code: "custom", path: ["seatIds"], message: "a hold needs at least one seat or ga item" });
    }
    if (new Set(seatIds).size !== seatIds.length) {
      ctx.addIssue({ code: "custom", path: [hold.seats ? "seats" : "seatIds"], message: "names a seat twice" });
    }
    if (seatIds.length > 100) ctx.addIssue({ code: "custom", path: ["seats"], message: "at most 100 seats" });
  })
  .transform(({ seats, ...hold }) => {
    if (!seats) return { ...hold, seatTypes: undefined };
    const seatTypes: Record<string, string> = {};
    for (const s of seats) if (s.ticketType !== undefined) seatTypes[s.seatId] = s.ticketType;
    return {
      ...hold,
      seatIds: [...hold.seatIds, ...seats.map((s) => s.seatId)],
      seatTypes: Object.keys(seatTypes).length > 0 ? seatTypes : undefined,
    };
  });
export type HoldCreate = z.output<typeof HoldCreate>;

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, "must be 1-128 printable ASCII characters")
  .optional();

/** bench:soak only: how many one-ticket holds to make and expire on a GA section. */
export const BenchSoakBody = z.object({
  sectionId: z.string().regex(code, "must be a section id"),
  count: z.number().int().min(1).max(50_000),
});
