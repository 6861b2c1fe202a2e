import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Event, EventStats, Hold, SeatMap } from "../../src/contract/responses";
import { call, createVenue, errorOf, HOUR, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { Subscriber } from "./live-subscriber";
import { adminRefund, bought, fan, hold, orderOf, seatStatus } from "./money";

/** One event in several rooms (Durable Objects), one per section or group of sections. */

const holdPath = (eventId: string) => `/api/v1/events/${eventId}/holds`;
const roomStub = (name: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(name));

async function seatMap(eventId: string, query = "") {
  return json(await call("GET", `/api/v1/events/${eventId}/seats${query}`), SeatMap);
}

describe("rooms by section", () => {
  it("holds, releases and buys in three rooms, each the only writer of its sections", async () => {
    const { eventId, organizer } = await onSaleEvent({ rooms: "section" });
    const event = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(event.rooms).toBe("section");

    // Each room has its own section, and only it.
    for (const section of ["A", "B", "FLOOR"]) {
      const own = await roomStub(`${eventId}/${section}`).seats();
      expect(own.ok && own.value.sections.map((s) => s.id)).toEqual([section]);
    }
    // The event's own room decides no seats once the event is split.
    const wrong = await roomStub(eventId).hold({ userId: "u", seatIds: ["A-1-1"], ga: [] });
    expect(wrong.ok ? "held" : wrong.error.code).toBe("WRONG_ROOM");

    const buyer = await fan();
    const inA = await hold(eventId, buyer, { seatIds: ["A-1-1", "A-1-2"] });
    const onFloor = await hold(eventId, buyer, { ga: [{ sectionId: "FLOOR", quantity: 3 }] });
    expect(inA.holdId.endsWith(".A")).toBe(true);
    expect(onFloor.holdId.endsWith(".FLOOR")).toBe(true);

    // The whole map is made of the rooms' maps; a section's comes from its room.
    const whole = await seatMap(eventId);
    expect(whole.sections.map((s) => s.id)).toEqual(["A", "B", "FLOOR"]);
    expect(whole.sections.find((s) => s.id === "A")?.available).toBe(28);
    expect(whole.sections.find((s) => s.id === "FLOOR")?.available).toBe(47);
    expect(await seatStatus(eventId, "A-1-2")).toBe("held");

    // Calls by hold id reach the hold's room: read, extend, release.
    const read = await json(await call("GET", `/api/v1/holds/${inA.holdId}`, { token: buyer }), Hold);
    expect(read).toMatchObject({ holdId: inA.holdId, status: "held" });
    expect((await call("POST", `/api/v1/holds/${onFloor.holdId}/extend`, { token: buyer })).status).toBe(200);
    expect((await call("DELETE", `/api/v1/holds/${inA.holdId}`, { token: buyer })).status).toBe(200);
    expect(await seatStatus(eventId, "A-1-2")).toBe("available");

    // Checkout, payment, refund: the order's hold id names room B.
    const { order, view } = await bought(eventId, buyer, { seatIds: ["B-1-1"] });
    expect(view.status).toBe("confirmed");
    expect(await seatStatus(eventId, "B-1-1")).toBe("sold");
    const stats = await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer });
    const numbers = await json(stats, EventStats);
    expect(numbers).toMatchObject({ sold: 1, held: 3, holdsLastMinute: 3 });
    // Each section once, from the room that decides it.
    expect(numbers.sections.map(({ sectionId, sold, held }) => [sectionId, sold, held])).toEqual([
      ["A", 0, 0],
      ["B", 1, 0],
      ["FLOOR", 0, 3],
    ]);
    const refund = await adminRefund(order.orderId, organizer);
    expect(refund.status).toBe(202);
    expect((await orderOf(order.orderId, buyer)).status).toBe("refunded");
    expect(await seatStatus(eventId, "B-1-1")).toBe("available");

    // The whole map's version adds up the rooms': it moved with every change in any room.
    expect((await seatMap(eventId)).version).toBeGreaterThan(whole.version);
  });

  it("refuses a hold whose items lie in two rooms, and changes nothing", async () => {
    const { eventId } = await onSaleEvent({ rooms: [["A", "B"], ["FLOOR"]] });
    const buyer = await fan();
    // A and B share a room: one hold may take both.
    const together = await hold(eventId, buyer, { seatIds: ["A-1-1", "B-1-1"] });
    expect(together.holdId.endsWith(".A")).toBe(true);

    const before = await seatMap(eventId);
    const spans = await call("POST", holdPath(eventId), {
      token: buyer,
      body: { seatIds: ["A-2-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }] },
    });
    expect(spans.status).toBe(400);
    await errorOf(spans, "SPANS_ROOMS");
    const after = await seatMap(eventId);
    expect(after.version).toBe(before.version);
    expect(await seatStatus(eventId, "A-2-1")).toBe("available");
  });

  it("keeps a default event in its one room, with hold ids as before", async () => {
    const { eventId } = await onSaleEvent();
    const event = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(event.rooms).toBe("event");
    const held = await hold(eventId, await fan(), { seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }] });
    expect(held.holdId.split(".")).toHaveLength(3);
    expect((await roomStub(`${eventId}/A`).seats()).ok).toBe(false);
  });

  it("follows a section's live map in its room; a whole-event socket is refused", async () => {
    const { eventId } = await onSaleEvent({ rooms: "section" });
    const follower = await Subscriber.open(eventId, "?sections=B");
    expect([...follower.sections.keys()]).toEqual(["B"]);
    await hold(eventId, await fan(), { seatIds: ["B-2-5"] });
    await follower.until(() => follower.seats.get("B-2-5") === "held");
    follower.ws.close();
    const whole = await call("GET", `/api/v1/events/${eventId}/live`, { headers: { upgrade: "websocket" } });
    expect(whole.status).toBe(400);
    await errorOf(whole, "SPANS_ROOMS");
  });

  it("checks the split against the venue's sections", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const venueId = await createVenue(organizer);
    for (const rooms of [
      [["A"], ["B"]],
      [
        ["A", "B"],
        ["B", "FLOOR"],
      ],
      [["A", "B", "FLOOR", "ZZ"]],
      "sections",
    ]) {
      const response = await call("POST", "/api/v1/admin/events", {
        token: organizer,
        body: {
          venueId,
          title: "Split",
          category: "concert",
          startsAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
          onSaleAt: new Date(Date.now() - HOUR).toISOString(),
          currency: "EUR",
          prices: { A: 5000, B: 3000, FLOOR: 2000 },
          rooms,
        },
      });
      expect(response.status, JSON.stringify(rooms)).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
  });

  it("moves a split only before the on-sale with no holds", async () => {
    const later = await onSaleEvent({ onSaleAt: new Date(Date.now() + 2 * HOUR).toISOString() });
    const moved = await call("PATCH", `/api/v1/admin/events/${later.eventId}`, {
      token: later.organizer,
      body: { rooms: "section" },
    });
    expect(moved.status).toBe(200);
    expect((await json(moved, Event)).rooms).toBe("section");
    const own = await roomStub(`${later.eventId}/FLOOR`).seats();
    expect(own.ok && own.value.sections.map((s) => s.id)).toEqual(["FLOOR"]);
    // And back: the section rooms are retired, the event's room decides again.
    const back = await call("PATCH", `/api/v1/admin/events/${later.eventId}`, {
      token: later.organizer,
      body: { rooms: "event" },
    });
    expect(back.status).toBe(200);
    const retired = await roomStub(`${later.eventId}/FLOOR`).seats();
    expect(retired.ok ? "served" : retired.error.code).toBe("WRONG_ROOM");
    expect((await seatMap(later.eventId)).sections.map((s) => s.id)).toEqual(["A", "B", "FLOOR"]);

    const selling = await onSaleEvent();
    const refused = await call("PATCH", `/api/v1/admin/events/${selling.eventId}`, {
      token: selling.organizer,
      body: { rooms: "section" },
    });
    expect(refused.status).toBe(409);
    expect((await json(await call("GET", `/api/v1/events/${selling.eventId}`), Event)).rooms).toBe("event");
  });
});
