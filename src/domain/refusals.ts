import { fail, type Result } from "./result";
import type { Hold } from "./types";

const VOUCHER_WORDS: Record<string, string> = {
  unknown: "This code is not known.",
  disabled: "This code is no longer valid.",
  not_yet_valid: "This code is not valid yet.",
  expired: "This code has expired.",
  used_up: "This code has been used up.",
  not_applicable: "This code does not apply to these tickets.",
  required: "These tickets need a code.",
};

/**
 * Every way the inventory and the sales window say no, in one table: the code, the words a buyer
 * reads and the details a client acts on. The rules decide; this says it.
 */
export const refuse = {
  // The sales window.
  notOnSaleYet: (onSaleAt?: number) =>
    fail(
      "NOT_ON_SALE",
      "This event is not on sale yet.",
      onSaleAt === undefined
        ? undefined
        : {
            onSaleAt: new Date(onSaleAt).toISOString(),
          },
    ),
  paused: () => fail("NOT_ON_SALE", "Sales for this event are paused."),
  cancelled: () => fail("NOT_ON_SALE", "This event was cancelled."),
  closed: () => fail("NOT_ON_SALE", "Sales for this event have closed."),
  presaleCode: (given: boolean, presales: Array<{ name: string; endsAt: number }>) =>
    fail(
      "PRESALE_CODE_REQUIRED",
      given ? "That presale code is not valid now." : "A presale code is required right now.",
      { presales: presales.map((p) => ({ name: p.name, endsAt: new Date(p.endsAt).toISOString() })) },
    ),

  // The event and its waiting room.
  noSuchEvent: () => fail("NOT_FOUND", "No such event."),
  unknownSection: (sectionId: string) => fail("NOT_FOUND", `No section ${sectionId} at this event.`, { sectionId }),
  queueRequired: (eventId: string) =>
    fail("QUEUE_REQUIRED", "This event's waiting room is on: join the queue first.", {
      queueUrl: `/events/${eventId}/queue`,
    }),
  admissionOfAnother: (eventId: string) =>
    fail("QUEUE_REQUIRED", "This admission belongs to another account: join the queue yourself.", {
      queueUrl: `/events/${eventId}/queue`,
    }),
  /** The live seat map asked to follow sections the event does not have: it would follow nothing. */
  /** The event is split by section and another of its rooms decides this: `rooms` is the current plan. */
  wrongRoom: (rooms: string[]) => fail("WRONG_ROOM", "Another room of this event decides these seats.", { rooms }),
  unknownSelection: (sectionIds: string[]) =>
    fail("VALIDATION_FAILED", `sections: this event has no section ${sectionIds.join(", ")}.`, {
      issues: [{ path: "sections", message: `no such section at this event: ${sectionIds.join(", ")}` }],
    }),
  /** The live seat map's WebSocket endpoint, asked without an upgrade. */
  upgradeRequired: () => fail("UPGRADE_REQUIRED", "This endpoint speaks WebSocket only."),

  // The waitlist.
  waitlistQuantity: (perOrder: number) =>
    fail("VALIDATION_FAILED", `quantity: must be from 1 to ${perOrder}.`, {
      issues: [{ path: "quantity", message: `must be from 1 to ${perOrder}` }],
    }),
  notOnWaitlist: () => fail("NOT_FOUND", "You are not on this event's waitlist."),

  // What a hold asks for.
  idempotencyMismatch: () =>
    fail("IDEMPOTENCY_MISMATCH", "This Idempotency-Key was already used with a different request body."),
  unknownSeats: (seatIds: string[]) =>
    fail("NOT_FOUND", `Unknown seat${seatIds.length > 1 ? "s" : ""}: ${seatIds.join(", ")}.`, { seatIds }),
  unknownGaSection: (sectionId: string) =>
    fail("NOT_FOUND", `Unknown general-admission section: ${sectionId}.`, { sectionId }),
  badQuantity: () => fail("VALIDATION_FAILED", "A quantity must be a positive whole number."),
  emptyHold: () => fail("VALIDATION_FAILED", "A hold needs at least one seat or ticket."),

  // Limits.
  perOrder: (limit: number, alreadyHeld: number, requested: number) =>
    fail("LIMIT_EXCEEDED", `At most ${limit} tickets per order.`, { limit, alreadyHeld, requested }),
  perUser: (limit: number, alreadyHeld: number, requested: number) =>
    fail("LIMIT_EXCEEDED", `At most ${limit} tickets per customer for this event.`, { limit, alreadyHeld, requested }),
  latePaymentOverLimit: (limit: number, alreadyHeld: number) =>
    fail("LIMIT_EXCEEDED", "The customer already holds their limit for this event.", { limit, alreadyHeld }),

  // Availability.
  seatsUnavailable: (unavailableSeatIds: string[], alternatives: string[]) =>
    fail("SEATS_UNAVAILABLE", "Some of the requested seats are no longer available.", {
      unavailableSeatIds,
      alternatives,
    }),
  soldOut: (section: { id: string; name: string }, available: number) =>
    fail("SOLD_OUT", `Only ${available} left in ${section.name}.`, { sectionId: section.id, available }),
  resold: (unavailableSeatIds: string[]) =>
    fail("SEATS_UNAVAILABLE", "The seats of this hold were sold to someone else.", { unavailableSeatIds }),

  // Ticket types and vouchers.
  unknownTicketType: (ticketType: string, sectionId: string) =>
    fail("VALIDATION_FAILED", `Ticket type ${ticketType} is not sold in section ${sectionId}.`, {
      issues: [{ path: "ticketType", message: `${ticketType} is not sold in section ${sectionId}` }],
    }),
  typeSoldOut: (ticketType: { id: string; name: string }, available: number) =>
    fail("SOLD_OUT", `Only ${available} ${ticketType.name} tickets left.`, { ticketType: ticketType.id, available }),
  typeLimit: (ticketType: { id: string; name: string }, limit: number, requested: number, least: boolean) =>
    fail("LIMIT_EXCEEDED", `${ticketType.name} tickets: at ${least ? "least" : "most"} ${limit} per order.`, {
      ticketType: ticketType.id,
      limit,
      requested,
      alreadyHeld: 0,
    }),
  voucherInvalid: (reason: string) =>
    fail("VOUCHER_INVALID", VOUCHER_WORDS[reason] ?? "This code cannot be used.", { reason }),

  // A hold's lifecycle.
  noSuchHold: () => fail("NOT_FOUND", "No such hold."),
  noSuchKill: () => fail("NOT_FOUND", "No such kill."),
  notYours: () => fail("FORBIDDEN", "This hold belongs to someone else."),
  extensionLimit: (extensions: number) =>
    fail("EXTENSION_LIMIT", "This hold cannot be extended again.", { extensions }),
  refunded: () => fail("HOLD_NOT_ACTIVE", "This hold was refunded."),
  /** Checkout of a hold whose order already ended (paid, refunded, cancelled). */
  orderAlready: (orderId: string, status: string) =>
    fail("HOLD_NOT_ACTIVE", `This hold's order is already ${status}.`, { orderId, status }),
  /** An action that needs a live hold, on one that is not. */
  notActive: (hold: Hold): Result<never> =>
    hold.status === "expired" || hold.status === "released"
      ? fail("HOLD_EXPIRED", `This hold has ${hold.status === "expired" ? "expired" : "been released"}.`, {
          status: hold.status,
        })
      : fail("HOLD_NOT_ACTIVE", `This hold is ${hold.status}.`, { status: hold.status }),
} satisfies Record<string, (...args: never[]) => Result<never>>;
