import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BooksAudit } from "../../src/contract/responses";
import { call, errorOf, json, tokenFor, unique } from "./helpers";
import { adminRefund, bought, fan, onSaleEvent, stubFor } from "./money";

/** The books audit: the room, D1 and Stripe agree after real sales; planted disagreements are reported. */

const audit = async (eventId: string, organizer: string) =>
  json(await call("GET", `/api/v1/admin/events/${eventId}/audit`, { token: organizer }), BooksAudit);

describe("GET /api/v1/admin/events/:eventId/audit", () => {
  it("reports nothing after sales and refunds, then each planted mismatch with what it concerns", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shopper = await fan();
    const { order, view, hold } = await bought(eventId, shopper, {
      seatIds: ["A-1-1", "A-1-2"],
      ga: [{ sectionId: "FLOOR", quantity: 2 }],
    });
    const other = await bought(eventId, await fan(), { seatIds: ["B-1-1"] });
    const seatTicket = view.tickets.find((t) => t.seatId === "A-1-1")!;
    const placeTickets = view.tickets.filter((t) => t.sectionId === "FLOOR");
    expect((await adminRefund(order.orderId, organizer, { ticketIds: [placeTickets[0]!.ticketId] })).status).toBe(202);

    const clean = await audit(eventId, organizer);
    expect(clean).toMatchObject({ eventId, mismatches: [] });
    expect(Date.parse(clean.checkedAt)).not.toBeNaN();

    // D1 loses a ticket for a seat the room sold; D1's refunded total drifts from Stripe's.
    await env.DB.prepare("UPDATE tickets SET status = 'void' WHERE id = ?").bind(seatTicket.ticketId).run();
    await env.DB.prepare("UPDATE orders SET refunded_cents = 1 WHERE id = ?").bind(other.order.orderId).run();
    // The room gives back a GA place whose ticket is still valid.
    const undone = await stubFor(eventId).undo(hold.holdId, [{ id: placeTickets[1]!.ticketId, sectionId: "FLOOR" }]);
    expect(undone.ok).toBe(true);

    const found = await audit(eventId, organizer);
    const byKind = Object.fromEntries(found.mismatches.map((m) => [m.kind, m]));
    expect(byKind.seat_sold_without_ticket).toMatchObject({ seatId: "A-1-1" });
    expect(byKind.refunded_total).toMatchObject({ orderId: other.order.orderId, details: { d1: 1, stripe: 0 } });
    expect(byKind.ga_sold_count).toMatchObject({ sectionId: "FLOOR", details: { room: 0, tickets: 1 } });
    expect(found.mismatches).toHaveLength(3);
  });

  it("is the event's organizer's: another organizer gets 403, a customer 403", async () => {
    const { eventId } = await onSaleEvent();
    const stranger = await tokenFor(unique("org"), ["organizer"]);
    await errorOf(await call("GET", `/api/v1/admin/events/${eventId}/audit`, { token: stranger }), "FORBIDDEN");
    await errorOf(await call("GET", `/api/v1/admin/events/${eventId}/audit`, { token: await fan() }), "FORBIDDEN");
  });
});
