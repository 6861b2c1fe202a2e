import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Hold, HoldCreated, SeatMap } from "../../src/contract/responses";
import type { EventRoom } from "../../src/rooms/event-room";
import { call, json, onSaleEvent, tokenFor } from "./helpers";

const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

/** What the room keeps in memory: holds and idempotency entries (private to the room, read in place). */
const footprint = (eventId: string) =>
  runInDurableObject(stubFor(eventId), (room: EventRoom) => {
    const inventory = (room as unknown as { inventory: { footprint(): { holds: number; keys: number } } }).inventory;
    return inventory.footprint();
  });

const alarmOf = (eventId: string) => runInDurableObject(stubFor(eventId), (_room, state) => state.storage.getAlarm());

describe("the room's memory does not grow with history", () => {
  it("lets ended holds and their keys go to SQLite, reads them back on a miss, and does not reload them", {
    timeout: 30_000,
  }, async () => {
    const { eventId } = await onSaleEvent({ holdSeconds: 30 });
    const holdPath = `/api/v1/events/${eventId}/holds`;
    const made: Array<{ token: string; key: string; seatId: string; holdId: string }> = [];
    for (let n = 1; n <= 10; n++) {
      const token = await tokenFor(`mem-${eventId}-${n}`);
      const key = `key-${n}`;
      const seatId = `A-1-${n}`;
      const response = await call("POST", holdPath, {
        token,
        body: { seatIds: [seatId] },
        headers: { "idempotency-key": key },
      });
      expect(response.status).toBe(201);
      made.push({ token, key, seatId, holdId: (await json(response, HoldCreated)).holdId });
    }
    expect(await footprint(eventId)).toEqual({ holds: 10, keys: 10 });

    // Half are released, the other half expire (the alarm, on the room's skewed clock).
    for (const { token, holdId } of made.slice(0, 5)) {
      expect((await call("DELETE", `/api/v1/holds/${holdId}`, { token })).status).toBe(200);
    }
    await runInDurableObject(stubFor(eventId), (room: EventRoom) => room.skewClockForTests(31_000));
    expect(await runDurableObjectAlarm(stubFor(eventId))).toBe(true);
    expect(await footprint(eventId)).toEqual({ holds: 0, keys: 0 });
    // Nothing left to do: no alarm stands (no retention timers either).
    expect(await alarmOf(eventId)).toBeNull();

    // Read back on a miss: the hold, and a replay of its key (same body: the first answer; other body: 422).
    const [released, expired] = [made[0]!, made[9]!];
    const seen = await json(await call("GET", `/api/v1/holds/${released.holdId}`, { token: released.token }), Hold);
    expect(seen.status).toBe("released");
    const replay = await call("POST", holdPath, {
      token: expired.token,
      body: { seatIds: [expired.seatId] },
      headers: { "idempotency-key": expired.key },
    });
    expect(replay.status).toBe(201);
    expect((await json(replay, HoldCreated)).holdId).toBe(expired.holdId);
    const mismatch = await call("POST", holdPath, {
      token: expired.token,
      body: { seatIds: ["B-1-1"] },
      headers: { "idempotency-key": expired.key },
    });
    expect(mismatch.status).toBe(422);
    expect(await footprint(eventId)).toEqual({ holds: 0, keys: 0 });

    // A restart loads none of them, and still finds them.
    await evictDurableObject(stubFor(eventId));
    expect(await footprint(eventId)).toEqual({ holds: 0, keys: 0 });
    const after = await json(await call("GET", `/api/v1/holds/${expired.holdId}`, { token: expired.token }), Hold);
    expect(after.status).toBe("expired");

    // A late payment for an ended hold still takes its seats when they are free (and then stays: it is sold).
    const sale = await stubFor(eventId).sell(expired.holdId);
    expect(sale.ok).toBe(true);
    expect(await footprint(eventId)).toEqual({ holds: 1, keys: 0 });
    const fresh = await stubFor(eventId).seatsJson("A");
    if (!fresh.ok) throw new Error(fresh.error.message);
    const map = SeatMap.parse(JSON.parse(fresh.value.body));
    const seat = map.sections[0]?.seats?.find((s) => s.id === expired.seatId);
    expect(seat?.status).toBe("sold");
  });

  it("arms no alarm for an auto waiting room with nothing to do", async () => {
    const { eventId } = await onSaleEvent({ waitingRoom: { mode: "auto", admitPerMinute: 60, maxActive: 100 } });
    await call("GET", `/api/v1/events/${eventId}/seats`);
    expect(await alarmOf(eventId)).toBeNull();
  });
});
