import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HoldCreated } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, HOUR, json, tokenFor, unique } from "./helpers";
import { bought, fan, hold } from "./money";

/** The per-user limit holds across the rooms of an event split by section (the ledger). */

/** Three seated sections of 100 seats: the limit binds, not the seats. */
const THREE_SECTIONS = {
  name: "Split Arena",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  sections: ["A", "B", "C"].map((id) => ({
    id,
    name: `Section ${id}`,
    kind: "seated",
    rows: [1, 2, 3, 4].map((r) => ({ label: String(r), seats: 25 })),
  })),
};

async function splitEvent(perUser: number) {
  const organizer = await tokenFor(unique("org"), ["organizer"]);
  const venueId = await createVenue(organizer, THREE_SECTIONS);
  const event = await createEvent(organizer, venueId, {
    prices: { A: 5000, B: 4000, C: 3000 },
    limits: { perOrder: 4, perUser },
    rooms: "section",
    onSaleAt: new Date(Date.now() - HOUR).toISOString(),
  });
  return { organizer, eventId: event.eventId };
}

const seat = (section: string, k: number) => `${section}-${Math.floor(k / 25) + 1}-${(k % 25) + 1}`;

describe("the per-user limit across rooms", () => {
  it("storm: 300 parallel holds by 20 users across 3 section rooms, perUser 4 → no user over 4, no seat twice", {
    timeout: 60_000,
  }, async () => {
    const { eventId } = await splitEvent(4);
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => tokenFor(`storm-${eventId}-${i}`)));
    let state = 7;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state % n;
    };
    const attempts = Array.from({ length: 300 }, (_, i) => {
      const section = ["A", "B", "C"][i % 3]!;
      const count = 1 + random(2);
      const first = random(99);
      return { user: i % 20, seatIds: Array.from({ length: count }, (_, j) => seat(section, first + j)) };
    });
    const answers = await Promise.all(
      attempts.map(async ({ user, seatIds }) => {
        const response = await call("POST", `/api/v1/events/${eventId}/holds`, {
          token: users[user]!,
          body: { seatIds },
        });
        return { user, status: response.status, body: await response.text() };
      }),
    );
    const perUser = new Map<number, number>();
    const seats = new Set<string>();
    for (const answer of answers) {
      expect([201, 409, 422], answer.body).toContain(answer.status);
      if (answer.status !== 201) continue;
      const held = HoldCreated.parse(JSON.parse(answer.body));
      perUser.set(answer.user, (perUser.get(answer.user) ?? 0) + held.items.length);
      for (const item of held.items) {
        expect(seats.has(item.seatId!), `${item.seatId} held twice`).toBe(false);
        seats.add(item.seatId!);
      }
    }
    for (const [, tickets] of perUser) expect(tickets).toBeLessThanOrEqual(4);
    // The limit, not the seats, stopped them: every user got something, and most reached the limit.
    expect(perUser.size).toBe(20);
    expect([...perUser.values()].filter((n) => n >= 3).length).toBeGreaterThan(10);
    expect(answers.some((a) => a.status === 422)).toBe(true);
    // The rooms agree: 3 rooms hold together what the answers say.
    let held = 0;
    for (const section of ["A", "B", "C"]) {
      const stats = await env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(`${eventId}/${section}`)).stats();
      if (!stats.ok) throw new Error(stats.error.code);
      held += stats.value.held;
    }
    expect(held).toBe(seats.size);
  });

  it("gives the quota back on release and counts a sale for good", async () => {
    const { eventId } = await splitEvent(3);
    const buyer = await fan();
    const inA = await hold(eventId, buyer, { seatIds: ["A-1-1", "A-1-2"] });
    const refused = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: buyer,
      body: { seatIds: ["B-1-1", "B-1-2"] },
    });
    expect(refused.status).toBe(422);
    const body = await errorOf(refused, "LIMIT_EXCEEDED");
    expect(body.error).toMatchObject({ limit: 3, alreadyHeld: 2 });

    expect((await call("DELETE", `/api/v1/holds/${inA.holdId}`, { token: buyer })).status).toBe(200);
    const { view } = await bought(eventId, buyer, { seatIds: ["B-1-1", "B-1-2"] });
    expect(view.status).toBe("confirmed");
    const third = await hold(eventId, buyer, { seatIds: ["C-1-1"] });
    expect(third.holdId.endsWith(".C")).toBe(true);
    const over = await call("POST", `/api/v1/events/${eventId}/holds`, { token: buyer, body: { seatIds: ["A-2-1"] } });
    expect(over.status).toBe(422);
    // An Idempotency-Key retry of a granted hold is the same hold, not a second count.
    const again = await call("DELETE", `/api/v1/holds/${third.holdId}`, { token: buyer });
    expect(again.status).toBe(200);
    const keyed = { token: buyer, body: { seatIds: ["A-3-1"] }, headers: { "idempotency-key": unique("k") } };
    const first = await json(await call("POST", `/api/v1/events/${eventId}/holds`, keyed), HoldCreated);
    const replay = await json(await call("POST", `/api/v1/events/${eventId}/holds`, keyed), HoldCreated);
    expect(replay.holdId).toBe(first.holdId);
    const last = await call("POST", `/api/v1/events/${eventId}/holds`, { token: buyer, body: { seatIds: ["A-4-1"] } });
    expect(last.status).toBe(422);
  });
});
