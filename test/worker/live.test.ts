import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Hold, HoldCreated, SeatMap } from "../../src/contract/responses";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { Subscriber } from "./live-subscriber";

const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

async function currentSeats(eventId: string) {
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats`), SeatMap);
  const seats = new Map<string, string>();
  const sections = new Map<string, number>();
  for (const section of body.sections) {
    sections.set(section.id, section.available);
    for (const seat of section.seats ?? []) seats.set(seat.id, seat.status);
  }
  return { version: body.version, seats, sections };
}

async function expectConverged(subscriber: Subscriber, eventId: string): Promise<void> {
  const truth = await currentSeats(eventId);
  await subscriber.reachVersion(truth.version);
  expect(subscriber.version).toBe(truth.version);
  expect(subscriber.seats).toEqual(truth.seats);
  expect(subscriber.sections).toEqual(truth.sections);
}

describe("live seat map", () => {
  it("streams hold, release, extend, sale and expiry to two subscribers, in order, converging on GET .../seats", async () => {
    const { eventId } = await onSaleEvent({ holdSeconds: 30 });
    const fan = await tokenFor(unique("fan"));
    const a = await Subscriber.open(eventId);
    const b = await Subscriber.open(eventId);
    expect(a.version).toBe(b.version);
    const start = a.version;

    const hold = async (body: unknown) =>
      json(await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body }), HoldCreated);

    const first = await hold({ seatIds: ["A-1-1", "A-1-2"] });
    await a.reachVersion(start + 1);
    expect(a.seats.get("A-1-1")).toBe("held");

    await call("DELETE", `/api/v1/holds/${first.holdId}`, { token: fan });
    await a.reachVersion(start + 2);
    expect(a.seats.get("A-1-1")).toBe("available");

    const second = await hold({ seatIds: ["B-1-1"], ga: [{ sectionId: "FLOOR", quantity: 2 }] });
    const sold = await hold({ seatIds: ["B-2-2"] });
    const extended = await call("POST", `/api/v1/holds/${sold.holdId}/extend`, { token: fan });
    expect(extended.status).toBe(200);
    await a.reachVersion(start + 5);
    expect(a.deltas().at(-1)).toMatchObject({
      from: start + 5,
      version: start + 5,
      seats: [{ id: "B-2-2", status: "held" }],
    });
    const stub = stubFor(eventId);
    await runInDurableObject(stub, async (room) => {
      const result = await room.sell(sold.holdId);
      expect(result.ok).toBe(true);
    });
    await a.reachVersion(start + 6);
    expect(a.seats.get("B-2-2")).toBe("sold");
    expect(a.sections.get("FLOOR")).toBe(48);

    await runInDurableObject(stub, (room) => room.skewClockForTests(31_000));
    await runDurableObjectAlarm(stub);
    await a.reachVersion(start + 7);
    expect(a.seats.get("B-1-1")).toBe("available");
    expect(a.sections.get("FLOOR")).toBe(50);
    expect((await json(await call("GET", `/api/v1/holds/${second.holdId}`, { token: fan }), Hold)).status).toBe(
      "expired",
    );

    for (const subscriber of [a, b]) {
      await expectConverged(subscriber, eventId);
      const versions = subscriber.deltas().map((d) => d.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(subscriber.deltas()[0]!.from).toBe(start + 1);
    }
    expect(b.deltas().map((d) => [d.from, d.version])).toEqual(a.deltas().map((d) => [d.from, d.version]));
  });

  it("keeps delivering every delta after the room hibernates between changes", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const a = await Subscriber.open(eventId);
    const b = await Subscriber.open(eventId);
    const stub = stubFor(eventId);
    for (const seat of ["A-2-1", "A-2-2", "A-2-3"]) {
      await evictDurableObject(stub, { webSockets: "hibernate" });
      const response = await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: [seat] } });
      expect(response.status).toBe(201);
    }
    for (const subscriber of [a, b]) {
      await expectConverged(subscriber, eventId);
      expect(subscriber.deltas()).toHaveLength(3);
      expect(subscriber.messages.filter((m) => m.type === "snapshot")).toHaveLength(1);
    }
  });

  it("resumes with exactly the missed deltas, or a snapshot when they are no longer kept", async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 8, perUser: 30 } });
    const fan = await tokenFor(unique("fan"));
    const watcher = await Subscriber.open(eventId);
    const start = watcher.version;
    for (let n = 1; n <= 5; n++) {
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: [`A-3-${n}`] } });
    }
    await watcher.reachVersion(start + 5);

    const late = await Subscriber.open(eventId);
    const before = late.messages.length;
    late.version = start + 2;
    late.ws.send(JSON.stringify({ type: "resume", version: start + 2 }));
    await late.until((m) => m.length >= before + 3);
    const replayed = late.messages.slice(before);
    expect(replayed.map((m) => m.type === "delta" && [m.from, m.version])).toEqual([
      [start + 3, start + 3],
      [start + 4, start + 4],
      [start + 5, start + 5],
    ]);
    expect(replayed.flatMap((m) => (m.type === "delta" ? m.seats : []))).toEqual([
      { id: "A-3-3", status: "held" },
      { id: "A-3-4", status: "held" },
      { id: "A-3-5", status: "held" },
    ]);

    // After an eviction the log is gone: a resume from an old version gets a fresh snapshot.
    await evictDurableObject(stubFor(eventId), { webSockets: "hibernate" });
    const count = late.messages.length;
    late.ws.send(JSON.stringify({ type: "resume", version: start }));
    await late.until((m) => m.length > count);
    const answer = late.messages[count]!;
    expect(answer.type).toBe("snapshot");
    expect(answer.type === "snapshot" && answer.version).toBe(start + 5);

    // A resume from the current version sends nothing; a ping proves the socket still answers.
    const quiet = late.messages.length;
    late.ws.send(JSON.stringify({ type: "resume", version: start + 5 }));
    late.ws.send(JSON.stringify({ type: "ping" }));
    await late.until((m) => m.length > quiet);
    expect(late.messages[quiet]).toEqual({ type: "pong" });
  });

  it("answers garbage with an error message and keeps the socket working", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const sub = await Subscriber.open(eventId);
    const garbage = [
      "not json",
      "{}",
      '{"type":"resume"}',
      '{"type":"resume","version":-1}',
      '{"type":"nuke"}',
      "x".repeat(5000),
    ];
    for (const message of garbage) sub.ws.send(message);
    await sub.until((m) => m.filter((x) => x.type === "error").length === garbage.length);
    for (const error of sub.messages.filter((x) => x.type === "error")) {
      expect(error).toMatchObject({ type: "error", code: "BAD_MESSAGE" });
    }
    await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["A-1-9"] } });
    await expectConverged(sub, eventId);
    expect(sub.seats.get("A-1-9")).toBe("held");
  });

  it("refuses a plain GET with 426 and an unknown event with 404", async () => {
    const { eventId } = await onSaleEvent();
    const plain = await call("GET", `/api/v1/events/${eventId}/live`);
    expect(plain.status).toBe(426);
    await errorOf(plain, "UPGRADE_REQUIRED");
    const unknown = await call("GET", "/api/v1/events/evt_nope/live", { headers: { upgrade: "websocket" } });
    expect(unknown.status).toBe(404);
    await errorOf(unknown, "NOT_FOUND");
  });
});

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

async function expectConvergedOn(subscriber: Subscriber, eventId: string, sections: string[] | undefined) {
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
    await expectConvergedOn(whole, eventId, undefined);
    await expectConvergedOn(onlyA, eventId, ["A"]);
    await expectConvergedOn(none, eventId, []);
    await expectConvergedOn(both, eventId, ["A", "B"]);
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
    await expectConvergedOn(onlyB, eventId, ["B"]);
  });

  it("refuses a selection that is not section ids, before any socket is opened", async () => {
    const { eventId } = await onSaleEvent();
    // Well-formed ids of sections the event does not have would follow nothing: refused alike.
    for (const bad of ["A-1-1", "A,,B", "A;B", "x".repeat(17), "ZZ", "A,ZZ"]) {
      const response = await call("GET", `/api/v1/events/${eventId}/live?sections=${encodeURIComponent(bad)}`, {
        headers: { upgrade: "websocket" },
      });
      expect(response.status).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
  });
});
