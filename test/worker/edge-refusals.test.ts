import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorBody, HoldCreated, SeatMap } from "../../src/contract/responses";
import { forgetEdgeCopiesForTests, skewEdgeClockForTests } from "../../src/http/edge-refusals";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** TEST_BINDINGS leave EDGE_REFUSAL_MAX_AGE_MS at wrangler.toml's 1000. */
const MAX_AGE_MS = 1000;

const Refused = ErrorBody.extend({
  error: ErrorBody.shape.error.extend({
    unavailableSeatIds: z.array(z.string()).optional(),
    alternatives: z.array(z.string()).optional(),
    available: z.number().int().optional(),
    /** Only an edge refusal carries the version of the copy it read. */
    version: z.number().int().optional(),
  }),
});

const hold = (
  eventId: string,
  token: string,
  body: Record<string, unknown>,
  options: { key?: string; query?: string } = {},
) =>
  call("POST", `/api/v1/events/${eventId}/holds${options.query ?? ""}`, {
    token,
    body,
    headers: options.key ? { "idempotency-key": options.key } : {},
  });

async function refusal(response: Response, code = "SEATS_UNAVAILABLE") {
  expect(response.status).toBe(409);
  const body = await json(response, Refused);
  expect(body.error.code).toBe(code);
  return body.error;
}

/** The room's own version now (a read at least as new as `atLeast` goes to the room). */
async function roomVersion(eventId: string, atLeast: number): Promise<number> {
  const response = await call("GET", `/api/v1/events/${eventId}/seats?section=A&minVersion=${atLeast}`);
  return (await json(response, SeatMap)).version;
}

describe("refusals at the edge", () => {
  beforeEach(() => forgetEdgeCopiesForTests());
  afterEach(() => skewEdgeClockForTests(0));

  it("refuses a seat released at version v only within the staleness bound, and at once grants it to minVersion = v", async () => {
    const { eventId } = await onSaleEvent();
    const owner = await tokenFor(unique("a"));
    const late = await tokenFor(unique("b"));
    const informed = await tokenFor(unique("c"));
    const first = await hold(eventId, owner, { seatIds: ["A-1-1", "A-1-2", "A-1-4"] });
    expect(first.status).toBe(201);
    const made = await json(first, HoldCreated);
    // The copy the edge took beside that hold may predate it: start from none.
    forgetEdgeCopiesForTests();

    // No copy yet for this event: the room refuses (no version in its answer), and the edge takes a copy meanwhile.
    const fromRoom = await refusal(await hold(eventId, late, { seatIds: ["A-1-1"] }));
    expect(fromRoom.version).toBeUndefined();
    // Now the edge answers from its copy, which shows the seat taken, with the copy's version.
    const fromEdge = await refusal(await hold(eventId, late, { seatIds: ["A-1-1", "A-1-5"] }));
    expect(fromEdge.version).toBeGreaterThanOrEqual(made.version);
    expect(fromEdge.unavailableSeatIds).toEqual(["A-1-1"]);
    expect(fromEdge.alternatives).toHaveLength(2);
    for (const id of fromEdge.alternatives ?? []) expect(id).toMatch(/^A-1-/);
    const copyVersion = fromEdge.version!;

    // The seats come back at version v.
    const released = await call("DELETE", `/api/v1/holds/${made.holdId}`, { token: owner });
    expect(released.status).toBe(200);
    const v = await roomVersion(eventId, copyVersion + 1);
    expect(v).toBeGreaterThan(copyVersion);

    // A client that has seen v (body or query) reaches the room at once and gets a seat back.
    const granted = await hold(eventId, informed, { seatIds: ["A-1-1"], minVersion: v });
    expect(granted.status).toBe(201);
    const byQuery = await hold(eventId, informed, { seatIds: ["A-1-4"] }, { query: `?minVersion=${v}` });
    expect(byQuery.status).toBe(201);

    // Within the bound a client that has not seen v is refused on the copy's older news...
    skewEdgeClockForTests(MAX_AGE_MS / 2);
    const stale = await refusal(await hold(eventId, late, { seatIds: ["A-1-2"] }));
    expect(stale.version).toBe(copyVersion);
    expect(stale.version).toBeLessThan(v);
    // ...and past it the copy is not used: the room decides, and the released seat is granted.
    skewEdgeClockForTests(MAX_AGE_MS + 1);
    const afterBound = await hold(eventId, late, { seatIds: ["A-1-2"] });
    expect(afterBound.status).toBe(201);
  });

  it("lets a replay of the owner's own hold through to the room, which answers it as before", async () => {
    const { eventId } = await onSaleEvent();
    const owner = await tokenFor(unique("a"));
    const key = unique("key");
    const first = await hold(eventId, owner, { seatIds: ["B-1-1"] }, { key });
    expect(first.status).toBe(201);
    const made = await json(first, HoldCreated);
    forgetEdgeCopiesForTests();
    // The second call renews the copy; the third reads it: both replay the same hold.
    for (let i = 0; i < 2; i++) {
      const again = await hold(eventId, owner, { seatIds: ["B-1-1"] }, { key });
      expect(again.status).toBe(201);
      expect((await json(again, HoldCreated)).holdId).toBe(made.holdId);
    }
    const other = await tokenFor(unique("b"));
    expect((await refusal(await hold(eventId, other, { seatIds: ["B-1-1"] }))).version).toBeGreaterThanOrEqual(
      made.version,
    );
  });

  it("refuses a sold-out general-admission section at the edge, and nothing on a stale or newer-seen copy", async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 50, perUser: 50 } });
    const buyer = await tokenFor(unique("a"));
    const late = await tokenFor(unique("b"));
    expect((await hold(eventId, buyer, { ga: [{ sectionId: "FLOOR", quantity: 50 }] })).status).toBe(201);
    forgetEdgeCopiesForTests();
    const fromRoom = await refusal(
      await hold(eventId, late, { ga: [{ sectionId: "FLOOR", quantity: 1 }] }),
      "SOLD_OUT",
    );
    expect(fromRoom.version).toBeUndefined();
    const fromEdge = await refusal(
      await hold(eventId, late, { ga: [{ sectionId: "FLOOR", quantity: 1 }] }),
      "SOLD_OUT",
    );
    expect(fromEdge.available).toBe(0);
    expect(fromEdge.version).toBeGreaterThan(0);
    // A client that saw a newer version goes to the room (which refuses too: the floor is still full).
    const newer = await refusal(
      await hold(eventId, late, { ga: [{ sectionId: "FLOOR", quantity: 1 }], minVersion: fromEdge.version! + 1 }),
      "SOLD_OUT",
    );
    expect(newer.version).toBeUndefined();
    // Free seats are never refused from the copy.
    expect((await hold(eventId, late, { seatIds: ["A-3-3"] })).status).toBe(201);
  });
});
