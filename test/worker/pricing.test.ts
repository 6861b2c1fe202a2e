import { describe, expect, it } from "vitest";
import { Event, HoldCreated, SeatMap } from "../../src/contract/responses";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** Adult and Child in every section, VIP only in A; a €2.50 service fee, 5% facility fee, 10% tax added. */
const PRICED = {
  ticketTypes: [
    { id: "adult", name: "Adult", prices: { "*": 4000, A: 5000 } },
    { id: "child", name: "Child", prices: { "*": 2000 }, quota: 3, maxPerOrder: 2 },
    { id: "vip", name: "VIP", prices: { A: 12000 } },
  ],
  fees: [
    { name: "Service", kind: "per_ticket", amount: 250 },
    { name: "Facility", kind: "percent", amount: 5 },
    { name: "Order", kind: "per_order", amount: 100 },
  ],
  tax: { name: "Tax", ratePercent: 10, included: false },
};

const hold = async (eventId: string, body: unknown, user = unique("fan")) =>
  call("POST", `/api/v1/events/${eventId}/holds`, { token: await tokenFor(user), body });

describe("ticket types, fees and tax", () => {
  it("prices each item by its type, all-in with its breakdown, and totals the lines", async () => {
    const { eventId } = await onSaleEvent(PRICED);
    const response = await hold(eventId, {
      seats: [{ seatId: "A-1-1", ticketType: "vip" }, { seatId: "A-1-2" }],
      ga: [{ sectionId: "FLOOR", quantity: 2, ticketType: "child" }],
    });
    const body = await json(response, HoldCreated);
    expect(response.status, JSON.stringify(body)).toBe(201);
    // vip: 12000 + 250 + 600 = 12850, tax 1285 → 14135; adult in A: 5000 + 250 + 250 = 5500, +550 → 6050;
    // child: 2000 + 250 + 100 = 2350, +235 → 2585; order fee 100 + 10 tax.
    expect(body.items).toEqual([
      {
        seatId: "A-1-1",
        quantity: 1,
        priceCents: 14135,
        ticketType: "vip",
        breakdown: { baseCents: 12000, feesCents: 850, taxCents: 1285 },
      },
      {
        seatId: "A-1-2",
        quantity: 1,
        priceCents: 6050,
        ticketType: "adult",
        breakdown: { baseCents: 5000, feesCents: 500, taxCents: 550 },
      },
      {
        sectionId: "FLOOR",
        quantity: 2,
        priceCents: 2585,
        ticketType: "child",
        breakdown: { baseCents: 2000, feesCents: 350, taxCents: 235 },
      },
    ]);
    expect(body.orderFee).toEqual({ priceCents: 110, breakdown: { baseCents: 0, feesCents: 100, taxCents: 10 } });
    expect(body.totalCents).toBe(14135 + 6050 + 2 * 2585 + 110);
  });

  it("shows all-in prices on the event, the catalog and the seat map", async () => {
    const { eventId } = await onSaleEvent(PRICED);
    const event = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(event.sections.find((s) => s.id === "A")?.priceCents).toBe(6050);
    // The cheapest single ticket: a child's 2585 plus the order fee's 110.
    expect(event.fromCents).toBe(2695);
    expect(event.ticketTypes.find((t) => t.id === "vip")?.prices).toEqual({ A: 14135 });
    const map = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
    expect(map.sections.find((s) => s.id === "FLOOR")?.priceCents).toBe(4000 + 250 + 200 + 445);
  });

  it("refuses a type not sold in a section, past its per-order bound or its quota", async () => {
    const { eventId } = await onSaleEvent(PRICED);
    const vipOnFloor = await hold(eventId, { ga: [{ sectionId: "FLOOR", quantity: 1, ticketType: "vip" }] });
    expect(vipOnFloor.status).toBe(400);
    expect((await errorOf(vipOnFloor, "VALIDATION_FAILED")).error.code).toBe("VALIDATION_FAILED");
    const tooMany = await hold(eventId, { ga: [{ sectionId: "FLOOR", quantity: 3, ticketType: "child" }] });
    expect(tooMany.status).toBe(422);
    expect((await hold(eventId, { ga: [{ sectionId: "FLOOR", quantity: 2, ticketType: "child" }] })).status).toBe(201);
    const pastQuota = await hold(eventId, {
      seats: [
        { seatId: "B-1-1", ticketType: "child" },
        { seatId: "B-1-2", ticketType: "child" },
      ],
    });
    expect(pastQuota.status).toBe(409);
    const refused = await errorOf(pastQuota, "SOLD_OUT");
    expect(refused.error).toMatchObject({ ticketType: "child", available: 1 });
    // Nothing was taken by the refusal: B-1-1 is still free.
    expect((await hold(eventId, { seats: [{ seatId: "B-1-1", ticketType: "child" }] })).status).toBe(201);
  });

  it("keeps a plain event's holds as they were", async () => {
    const { eventId } = await onSaleEvent();
    const body = await json(await hold(eventId, { seatIds: ["A-1-1"] }), HoldCreated);
    expect(body.items).toEqual([{ seatId: "A-1-1", quantity: 1, priceCents: 5000 }]);
    const event = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(event.ticketTypes.map((t) => t.id)).toEqual(["standard"]);
    expect(event.fromCents).toBe(2000);
  });

  it("includes the tax in the price where it is included, and takes edits that later holds pay", async () => {
    const { eventId, organizer } = await onSaleEvent({ tax: { name: "VAT", ratePercent: 19, included: true } });
    const fan = unique("fan");
    const body = await json(await hold(eventId, { seatIds: ["A-1-1"] }, fan), HoldCreated);
    const atFirst = { priceCents: 5000, breakdown: { baseCents: 4202, feesCents: 0, taxCents: 798 } };
    expect(body.items[0]).toMatchObject(atFirst);
    const patched = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { fees: [{ name: "Service", kind: "per_ticket", amount: 300 }], tax: null },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const later = await json(await hold(eventId, { seatIds: ["A-1-2"] }), HoldCreated);
    expect(later.items[0]).toMatchObject({
      priceCents: 5300,
      breakdown: { baseCents: 5000, feesCents: 300, taxCents: 0 },
    });
    const first = await call("GET", `/api/v1/holds/${body.holdId}`, { token: await tokenFor(fan) });
    expect((await json(first, HoldCreated.omit({ version: true }))).items[0]).toMatchObject(atFirst);
  });

  it("refuses pricing that names sections the venue does not have, and changes nothing", async () => {
    const { organizer, venueId } = await onSaleEvent();
    const now = Date.now();
    const response = await call("POST", "/api/v1/admin/events", {
      token: organizer,
      body: {
        venueId,
        title: "Typo",
        category: "concert",
        startsAt: new Date(now + 30 * 24 * 3_600_000).toISOString(),
        onSaleAt: new Date(now).toISOString(),
        currency: "EUR",
        prices: { A: 5000, B: 3000, FLOOR: 2000 },
        ticketTypes: [{ id: "adult", name: "Adult", prices: { Z: 100 } }],
        dynamic: { Q: { floorCents: 100, ceilingCents: 200, maxStepPercent: 10, everyMinutes: 15 } },
      },
    });
    expect(response.status).toBe(400);
    const paths = (await errorOf(response, "VALIDATION_FAILED")).error.issues?.map((i: { path: string }) => i.path);
    expect(paths).toEqual(["ticketTypes.0.prices.Z", "dynamic.Q"]);
  });
});
