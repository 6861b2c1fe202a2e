import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SeatMap } from "../../src/contract/responses";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { Subscriber } from "./live-subscriber";

const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

/** GET …/seats, as a subscriber to `sections` should see it: those sections' seats, every section's availability. */
async function truthFor(eventId: string, sections: string[] | undefined) {
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
  const seats = new Map<string, string>();
  const available = new Map<string, number>();
  for (const section of body.sections) {
    available.set(section.id, section.available);
    if (sections && !sections.includes(section.id)) continue;
    for (const seat of section.seats ?? []) seats.set(seat.id, seat.status);
  }
  return { version: body.version, seats, available };
}

async function expectConverged(subscriber: Subscriber, eventId: string, sections: string[] | undefined) {
  const truth = await truthFor(eventId, sections);
  await subscriber.reachVersion(truth.version);
  expect(subscriber.version).toBe(truth.version);
  expect(subscriber.seats).toEqual(truth.seats);
  expect(subscriber.sections).toEqual(truth.available);
}

const snapshotOf = (subscriber: Subscriber) => {
  const first = subscriber.messages[0];
  if (first?.type !== "snapshot") throw new Error("the first message is not a snapshot");
  return first;
};

describe("live seat map, following some sections (?sections=)", () => {
  it("sends a subscriber only its sections' seats and every section's availability, at the whole map's versions", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const whole = await Subscriber.open(eventId);
    const onlyA = await Subscriber.open(eventId, "?sections=A");
    const none = await Subscriber.open(eventId, "?sections=");
    const both = await Subscriber.open(eventId, "?sections=B,A");

    // Every section is listed; only the followed ones carry seats.
    const seatsPer = (s: Subscriber) => snapshotOf(s).sections.map((x) => [x.id, x.seats?.length ?? 0]);
    expect(seatsPer(whole)).toEqual([
      ["A", 30],
      ["B", 10],
      ["FLOOR", 0],
    ]);
    expect(seatsPer(onlyA)).toEqual([
      ["A", 30],
      ["B", 0],
      ["FLOOR", 0],
    ]);
    expect(seatsPer(none)).toEqual([
      ["A", 0],
      ["B", 0],
      ["FLOOR", 0],
    ]);
    expect(snapshotOf(onlyA).sections.find((x) => x.id === "B")).toMatchObject({ name: "Section B", available: 10 });

    const hold = (body: unknown) => call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body });
    expect((await hold({ seatIds: ["B-1-1"] })).status).toBe(201);
    expect((await hold({ seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 2 }] })).status).toBe(201);
    const start = snapshotOf(whole).version;
    for (const s of [whole, onlyA, none, both]) await s.reachVersion(start + 2);

    // The same versions for everyone; the seats narrowed to what each follows.
    const seatIds = (s: Subscriber) => s.deltas().map((d) => [d.version, d.seats.map((x) => x.id)]);
    expect(seatIds(whole)).toEqual([
      [start + 1, ["B-1-1"]],
      [start + 2, ["A-1-1"]],
    ]);
    expect(seatIds(onlyA)).toEqual([
      [start + 1, []],
      [start + 2, ["A-1-1"]],
    ]);
    expect(seatIds(none)).toEqual([
      [start + 1, []],
      [start + 2, []],
    ]);
    expect(seatIds(both)).toEqual(seatIds(whole));
    expect(none.sections.get("FLOOR")).toBe(48);
    expect(none.sections.get("B")).toBe(9);

    // After the room hibernates, the subscriptions are read back from the sockets.
    await evictDurableObject(stubFor(eventId), { webSockets: "hibernate" });
    expect((await hold({ seatIds: ["A-2-1", "B-2-1"] })).status).toBe(201);
    await expectConverged(whole, eventId, undefined);
    await expectConverged(onlyA, eventId, ["A"]);
    await expectConverged(none, eventId, []);
    await expectConverged(both, eventId, ["A", "B"]);
    expect(onlyA.deltas().at(-1)?.seats).toEqual([{ id: "A-2-1", status: "held" }]);
  });

  it("replays missed deltas narrowed to the subscription, and a narrowed snapshot when they are gone", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const onlyB = await Subscriber.open(eventId, "?sections=B");
    const start = onlyB.version;
    for (const seat of ["A-1-1", "B-1-1", "B-1-2"]) {
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: [seat] } });
    }
    await onlyB.reachVersion(start + 3);

    const before = onlyB.messages.length;
    onlyB.version = start;
    onlyB.ws.send(JSON.stringify({ type: "resume", version: start }));
    await onlyB.until((m) => m.length >= before + 3);
    expect(onlyB.messages.slice(before).map((m) => m.type === "delta" && m.seats.map((s) => s.id))).toEqual([
      [],
      ["B-1-1"],
      ["B-1-2"],
    ]);

    await evictDurableObject(stubFor(eventId), { webSockets: "hibernate" });
    const count = onlyB.messages.length;
    onlyB.ws.send(JSON.stringify({ type: "resume", version: start }));
    await onlyB.until((m) => m.length > count);
    const answer = onlyB.messages[count];
    expect(answer?.type).toBe("snapshot");
    if (answer?.type !== "snapshot") return;
    expect(answer.sections.map((x) => [x.id, x.seats?.length ?? 0])).toEqual([
      ["A", 0],
      ["B", 10],
      ["FLOOR", 0],
    ]);
    await expectConverged(onlyB, eventId, ["B"]);
  });

  it("refuses a selection that is not section ids, before any socket is opened", async () => {
    const { eventId } = await onSaleEvent();
    for (const bad of ["A-1-1", "A,,B", "A;B", "x".repeat(17)]) {
      const response = await call("GET", `/api/v1/events/${eventId}/live?sections=${encodeURIComponent(bad)}`, {
        headers: { upgrade: "websocket" },
      });
      expect(response.status).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
  });
});
