import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorBody, Event, Hold, HoldCreated, SeatMap } from "../../src/contract/responses";
import { call, errorOf, expectError, HOUR, json, onSaleEvent, tokenFor, unique } from "./helpers";

const holdPath = (eventId: string) => `/api/v1/events/${eventId}/holds`;

/** An error whose `error` carries more than code and message (API.md lists these; ErrorBody does not). */
const errorWith = <T extends z.ZodRawShape>(details: T) =>
  ErrorBody.extend({ error: ErrorBody.shape.error.extend(details) });
const SeatsUnavailable = errorWith({ unavailableSeatIds: z.array(z.string()), alternatives: z.array(z.string()) });
const SoldOut = errorWith({ available: z.number().int() });
const LimitExceeded = errorWith({ limit: z.number().int(), alreadyHeld: z.number().int() });

describe("holds", () => {
  it("holds seats and GA together, all or nothing, and shows them held", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const response = await call("POST", holdPath(eventId), {
      token: fan,
      body: { seatIds: ["A-2-3", "A-2-4"], ga: [{ sectionId: "FLOOR", quantity: 3 }] },
    });
    expect(response.status).toBe(201);
    const hold = await json(response, HoldCreated);
    expect(hold).toMatchObject({
      eventId,
      status: "held",
      totalCents: 2 * 5000 + 3 * 2000,
      currency: "EUR",
      items: [
        { seatId: "A-2-3", quantity: 1, priceCents: 5000 },
        { seatId: "A-2-4", quantity: 1, priceCents: 5000 },
        { sectionId: "FLOOR", quantity: 3, priceCents: 2000 },
      ],
    });
    expect(Date.parse(hold.expiresAt) - Date.now()).toBeGreaterThan(590_000);

    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
    const status = new Map(seats.sections.flatMap((s) => (s.seats ?? []).map((x) => [x.id, x.status] as const)));
    expect(status.get("A-2-3")).toBe("held");
    expect(status.get("A-2-5")).toBe("available");
    expect(seats.sections.find((s) => s.id === "FLOOR")).toMatchObject({ available: 47, capacity: 50 });
    expect(seats.sections.find((s) => s.id === "A")?.available).toBe(28);

    // One seat taken makes the whole second hold fail: the free seat and the GA stay free.
    const other = await tokenFor(unique("fan"));
    const conflict = await call("POST", holdPath(eventId), {
      token: other,
      body: { seatIds: ["A-2-4", "A-2-6"], ga: [{ sectionId: "FLOOR", quantity: 1 }] },
    });
    expect(conflict.status).toBe(409);
    const body = await json(conflict, SeatsUnavailable);
    expectError(body, "SEATS_UNAVAILABLE");
    expect(body.error.unavailableSeatIds).toEqual(["A-2-4"]);
    expect(body.error.alternatives).toHaveLength(2);
    for (const id of body.error.alternatives) expect(id).toMatch(/^A-2-/);
    const after = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    expect(after.sections[0]?.seats?.find((s) => s.id === "A-2-6")?.status).toBe("available");
    expect(after.version).toBe(seats.version);
  });

  it("answers SOLD_OUT with what is left in a GA section", async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 100, perUser: 100 } });
    const fan = await tokenFor(unique("fan"));
    expect(
      (await call("POST", holdPath(eventId), { token: fan, body: { ga: [{ sectionId: "FLOOR", quantity: 45 }] } }))
        .status,
    ).toBe(201);
    const response = await call("POST", holdPath(eventId), {
      token: fan,
      body: { ga: [{ sectionId: "FLOOR", quantity: 6 }] },
    });
    expect(response.status).toBe(409);
    const body = await json(response, SoldOut);
    expectError(body, "SOLD_OUT");
    expect(body.error.available).toBe(5);
  });

  it("enforces per-order and per-user limits with LIMIT_EXCEEDED", async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 3, perUser: 4 } });
    const fan = await tokenFor(unique("fan"));
    const tooMany = await call("POST", holdPath(eventId), {
      token: fan,
      body: { ga: [{ sectionId: "FLOOR", quantity: 4 }] },
    });
    expect(tooMany.status).toBe(422);
    expect((await json(tooMany, LimitExceeded)).error).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: 3,
      alreadyHeld: 0,
    });
    expect(
      (await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["B-1-1", "B-1-2", "B-1-3"] } })).status,
    ).toBe(201);
    const overUser = await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["B-2-1", "B-2-2"] } });
    expect(overUser.status).toBe(422);
    expect((await json(overUser, LimitExceeded)).error).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: 4,
      alreadyHeld: 3,
    });
  });

  it("answers 404 for unknown events, seats and sections", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const cases = [
      [holdPath("evt_missing"), { seatIds: ["A-1-1"] }],
      [holdPath(eventId), { seatIds: ["Z-1-1"] }],
      [holdPath(eventId), { seatIds: ["A-1-99"] }],
      [holdPath(eventId), { ga: [{ sectionId: "A", quantity: 1 }] }],
      [holdPath(eventId), { ga: [{ sectionId: "NOPE", quantity: 1 }] }],
    ] as const;
    for (const [path, body] of cases) {
      const response = await call("POST", path, { token: fan, body });
      expect(response.status, JSON.stringify(body)).toBe(404);
      await errorOf(response, "NOT_FOUND");
    }
    expect((await call("GET", "/api/v1/events/evt_missing/seats")).status).toBe(404);
    expect((await call("GET", `/api/v1/events/${eventId}/seats?section=NOPE`)).status).toBe(404);
  });

  it("replays the first answer for a repeated Idempotency-Key and refuses it with another body", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const key = { "idempotency-key": unique("key") };
    const first = await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["A-3-1"] }, headers: key });
    const again = await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["A-3-1"] }, headers: key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await json(again, HoldCreated)).toEqual(await json(first, HoldCreated));
    const stats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    expect(stats.sections[0]?.available).toBe(29);
    const mismatch = await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["A-3-2"] }, headers: key });
    expect(mismatch.status).toBe(422);
    await errorOf(mismatch, "IDEMPOTENCY_MISMATCH");
    // Keys belong to a user: the same key from someone else is a new request.
    const other = await tokenFor(unique("fan"));
    expect(
      (await call("POST", holdPath(eventId), { token: other, body: { seatIds: ["A-3-3"] }, headers: key })).status,
    ).toBe(201);
    const bad = await call("POST", holdPath(eventId), {
      token: fan,
      body: { seatIds: ["A-3-4"] },
      headers: { "idempotency-key": "has space" },
    });
    expect(bad.status).toBe(400);
  });

  it("lets only the owner read, extend and release a hold", async () => {
    const { eventId } = await onSaleEvent({ extensions: 1, holdSeconds: 120 });
    const owner = await tokenFor(unique("fan"));
    const stranger = await tokenFor(unique("fan"));
    const hold = await json(
      await call("POST", holdPath(eventId), { token: owner, body: { seatIds: ["A-1-5"] } }),
      HoldCreated,
    );
    const path = `/api/v1/holds/${hold.holdId}`;
    for (const [method, suffix] of [
      ["GET", ""],
      ["POST", "/extend"],
      ["DELETE", ""],
    ] as const) {
      const response = await call(method, path + suffix, { token: stranger });
      expect(response.status, `${method} ${suffix}`).toBe(403);
      await errorOf(response, "FORBIDDEN");
      expect((await call(method, path + suffix)).status).toBe(401);
    }
    expect((await json(await call("GET", path, { token: owner }), Hold)).status).toBe("held");

    const extended = await json(await call("POST", `${path}/extend`, { token: owner }), Hold);
    expect(Date.parse(extended.expiresAt) - Date.parse(hold.expiresAt)).toBe(120_000);
    const limit = await call("POST", `${path}/extend`, { token: owner });
    expect(limit.status).toBe(409);
    await errorOf(limit, "EXTENSION_LIMIT");

    const released = await call("DELETE", path, { token: owner });
    expect(released.status).toBe(200);
    expect(await json(released, Hold)).toMatchObject({ holdId: hold.holdId, status: "released" });
    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    expect(seats.sections[0]?.seats?.find((s) => s.id === "A-1-5")?.status).toBe("available");
    const gone = await call("POST", `${path}/extend`, { token: owner });
    expect(gone.status).toBe(410);
    await errorOf(gone, "HOLD_EXPIRED");
  });

  it("answers 404 for hold ids that are not ours", async () => {
    const fan = await tokenFor(unique("fan"));
    for (const id of ["nope", "hld.evt_x.abc", "hld..x", "hld.evt_x"]) {
      const response = await call("GET", `/api/v1/holds/${id}`, { token: fan });
      expect(response.status, id).toBe(404);
    }
  });

  it("sells only with a presale code during a presale, and not before the on-sale", async () => {
    const now = Date.now();
    const { eventId } = await onSaleEvent({
      onSaleAt: new Date(now + 2 * HOUR).toISOString(),
      presales: [
        {
          name: "Fan club",
          code: "LOVE2026",
          startsAt: new Date(now - HOUR).toISOString(),
          endsAt: new Date(now + HOUR).toISOString(),
        },
      ],
    });
    const fan = await tokenFor(unique("fan"));
    const none = await call("POST", holdPath(eventId), { token: fan, body: { seatIds: ["A-1-1"] } });
    expect(none.status).toBe(403);
    await errorOf(none, "PRESALE_CODE_REQUIRED");
    const wrong = await call("POST", holdPath(eventId), {
      token: fan,
      body: { seatIds: ["A-1-1"], presaleCode: "nope" },
    });
    expect(wrong.status).toBe(403);
    const right = await call("POST", holdPath(eventId), {
      token: fan,
      body: { seatIds: ["A-1-1"], presaleCode: "love2026" },
    });
    expect(right.status).toBe(201);
    const event = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(event.presales[0]).not.toHaveProperty("code");

    const later = await onSaleEvent({ onSaleAt: new Date(now + 2 * HOUR).toISOString() });
    const early = await call("POST", holdPath(later.eventId), { token: fan, body: { seatIds: ["A-1-1"] } });
    expect(early.status).toBe(409);
    await errorOf(early, "NOT_ON_SALE");
  });
});
