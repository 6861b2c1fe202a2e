import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStats, Hold, HoldCreated, SeatMap } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";

const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

async function seatStatuses(eventId: string): Promise<Map<string, string>> {
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
  return new Map(body.sections.flatMap((s) => (s.seats ?? []).map((x) => [x.id, x.status] as const)));
}

async function skewClock(eventId: string, ms: number): Promise<void> {
  await runInDurableObject(stubFor(eventId), (room) => room.skewClockForTests(ms));
}

describe("the EventRoom under a storm", () => {
  it("never gives one seat to two holds: 600 concurrent holds from 240 users", { timeout: 30_000 }, async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 8, perUser: 8 } });
    const users = await Promise.all(Array.from({ length: 240 }, (_, i) => tokenFor(`storm-${eventId}-${i}`)));
    const seats = Array.from({ length: 3 }, (_, r) =>
      Array.from({ length: 10 }, (_, n) => `A-${r + 1}-${n + 1}`),
    ).flat();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const requests = Array.from({ length: 600 }, (_, i) => {
      const start = random(seats.length - 1);
      const body =
        i % 5 === 0
          ? { ga: [{ sectionId: "FLOOR", quantity: 1 + random(3) }] }
          : { seatIds: [seats[start]!, seats[start + 1]!] };
      return { token: users[i % users.length]!, body };
    });
    const responses = await Promise.all(
      requests.map(({ token, body }) => call("POST", `/api/v1/events/${eventId}/holds`, { token, body })),
    );
    const codes = responses.map((r) => r.status);
    expect(codes.every((c) => c === 201 || c === 409 || c === 422)).toBe(true);
    // A 201 is a hold; every other answer is the contract's error.
    const bodies = await Promise.all(
      responses.map((r) => (r.status === 201 ? json(r, HoldCreated) : errorOf(r).then(() => undefined))),
    );
    const won = bodies.filter((body) => body !== undefined);
    const seatOwners = new Map<string, string>();
    let gaHeld = 0;
    for (const hold of won) {
      for (const item of hold.items) {
        if (item.seatId) {
          expect(seatOwners.has(item.seatId), `${item.seatId} held twice`).toBe(false);
          seatOwners.set(item.seatId, hold.holdId);
        } else gaHeld += item.quantity;
      }
    }
    expect(seatOwners.size).toBeGreaterThan(10);
    expect(codes.filter((c) => c === 409).length).toBeGreaterThan(100);
    const statuses = await seatStatuses(eventId);
    for (const seat of seatOwners.keys()) expect(statuses.get(seat)).toBe("held");
    const heldSeats = [...statuses.values()].filter((s) => s === "held").length;
    expect(heldSeats).toBe(seatOwners.size);
    const floor = (await json(await call("GET", `/api/v1/events/${eventId}/seats?section=FLOOR`), SeatMap))
      .sections[0]!;
    expect(gaHeld).toBe(50 - floor.available);
    expect(gaHeld).toBeLessThanOrEqual(50);
  });
});

describe("hold expiry", () => {
  it("frees seats the moment a hold expires, and the alarm finishes the job exactly once", async () => {
    const { eventId, organizer } = await onSaleEvent({ holdSeconds: 60 });
    const fan = await tokenFor(unique("fan"));
    const hold = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, {
        token: fan,
        body: { seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 2 }] },
      }),
      HoldCreated,
    );
    const stub = stubFor(eventId);
    const alarm = await runInDurableObject(stub, (_room, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(hold.expiresAt));

    // Before expiresAt the alarm (run early, as alarms may be) changes nothing.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await seatStatuses(eventId)).get("A-1-1")).toBe("held");

    await skewClock(eventId, 61_000);
    expect((await seatStatuses(eventId)).get("A-1-1")).toBe("available");
    expect((await json(await call("GET", `/api/v1/holds/${hold.holdId}`, { token: fan }), Hold)).status).toBe(
      "expired",
    );

    await runDurableObjectAlarm(stub);
    const stats = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(stats).toMatchObject({ holdsExpired: 1, held: 0, sold: 0 });
    const version = stats.version;
    await runDurableObjectAlarm(stub);
    const again = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(again).toMatchObject({ holdsExpired: 1, version });

    const late = await call("POST", `/api/v1/holds/${hold.holdId}/extend`, { token: fan });
    expect(late.status).toBe(410);
  });

  it("expires on the alarm alone, with no request in between", async () => {
    const { eventId, organizer } = await onSaleEvent({ holdSeconds: 30 });
    const fan = await tokenFor(unique("fan"));
    await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["B-1-1"] } });
    await skewClock(eventId, 31_000);
    await runDurableObjectAlarm(stubFor(eventId));
    const stats = await runInDurableObject(stubFor(eventId), async (room) => room.stats());
    expect(stats.ok && stats.value.holdsExpired).toBe(1);
    expect(
      (await json(await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }), EventStats)).held,
    ).toBe(0);
  });
});

describe("eviction", () => {
  it("loses nothing: holds, idempotency keys, counters and the armed alarm survive", async () => {
    const { eventId } = await onSaleEvent({ holdSeconds: 300 });
    const fan = await tokenFor(unique("fan"));
    const key = { "idempotency-key": unique("k") };
    const first = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["A-2-2"] }, headers: key }),
      HoldCreated,
    );
    const second = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, {
        token: fan,
        body: { ga: [{ sectionId: "FLOOR", quantity: 4 }] },
      }),
      HoldCreated,
    );
    await call("DELETE", `/api/v1/holds/${second.holdId}`, { token: fan });
    const before = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);

    const stub = stubFor(eventId);
    await evictDurableObject(stub);

    const after = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
    expect(after).toEqual(before);
    expect((await json(await call("GET", `/api/v1/holds/${first.holdId}`, { token: fan }), Hold)).status).toBe("held");
    const replay = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: fan,
      body: { seatIds: ["A-2-2"] },
      headers: key,
    });
    expect(replay.status).toBe(201);
    expect((await json(replay, HoldCreated)).holdId).toBe(first.holdId);
    const alarm = await runInDurableObject(stub, (_room, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(first.expiresAt));
    const conflict = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: await tokenFor(unique("fan")),
      body: { seatIds: ["A-2-2"] },
    });
    expect(conflict.status).toBe(409);
  });

  it("starts a 260,000-seat room from storage after eviction", { timeout: 60_000 }, async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
    const venueId = await createVenue(organizer, {
      name: "Mega Stadium",
      city: "Berlin",
      country: "DE",
      timezone: "Europe/Berlin",
      sections: letters.map((id) => ({
        id,
        name: `Section ${id}`,
        kind: "seated",
        rows: Array.from({ length: 20 }, (_, r) => ({ label: String(r + 1), seats: 500 })),
      })),
    });
    const prices = Object.fromEntries(letters.map((id) => [id, 4000]));
    const { eventId } = await createEvent(organizer, venueId, { prices });
    const fans = await Promise.all(Array.from({ length: 200 }, (_, i) => tokenFor(`wide-${eventId}-${i}`)));
    await Promise.all(
      fans.map((token, i) =>
        call("POST", `/api/v1/events/${eventId}/holds`, {
          token,
          body: { seatIds: [`${letters[i % 26]}-${(i % 20) + 1}-${i + 1}`] },
        }),
      ),
    );
    const stub = stubFor(eventId);
    await evictDurableObject(stub);
    const started = performance.now();
    const stats = await stub.stats();
    const elapsed = performance.now() - started;
    expect(stats.ok && stats.value).toMatchObject({ capacity: 260_000, held: 200, available: 259_800 });
    console.log(JSON.stringify({ measure: "wideRoomStartMs", seats: 260_000, holds: 200, ms: Math.round(elapsed) }));
  });
});
