import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorBody, QueueState } from "../../src/contract/responses";
import { forgetQueueStatus } from "../../src/waiting-room/status-cache";
import { TEST_BINDINGS } from "../bindings";
import { call, errorOf, HOUR, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** A place that was let in: its access token (for holds and the live map) and when that ends. */
const Admitted = QueueState.extend({
  state: z.literal("admitted"),
  accessToken: z.string(),
  accessExpiresAt: QueueState.shape.opensAt,
});
/** A hold refused for want of a queue place also says where the queue is. */
const QueueRequired = ErrorBody.extend({ error: ErrorBody.shape.error.extend({ queueUrl: z.string() }) });

const roomOf = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));
const shards = (eventId: string) =>
  Array.from({ length: Number(env.QUEUE_SHARDS) || 8 }, (_, i) =>
    env.QUEUE_SHARD.get(env.QUEUE_SHARD.idFromName(`${eventId}#${i}`)),
  );

const queued = (overrides: Record<string, unknown> = {}) =>
  onSaleEvent({
    waitingRoom: { mode: "always", admitPerMinute: 30, maxActive: 100 },
    limits: { perOrder: 100, perUser: 100 },
    ...overrides,
  });

async function join(eventId: string, queueToken?: string) {
  const response = await call(
    "POST",
    `/api/v1/events/${eventId}/queue`,
    queueToken ? { headers: { authorization: `Bearer ${queueToken}` } } : {},
  );
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return json(response, QueueState);
}

async function poll(eventId: string, queueToken: string) {
  const response = await call("GET", `/api/v1/events/${eventId}/queue`, {
    headers: { authorization: `Bearer ${queueToken}` },
  });
  expect(response.status).toBe(200);
  return json(response, QueueState);
}

/** Shards report, the room ticks once, and this location forgets its cached status. */
async function settle(eventId: string, ticks = 1) {
  for (const shard of shards(eventId)) await runDurableObjectAlarm(shard);
  for (let i = 0; i < ticks; i++) {
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(0));
    await runDurableObjectAlarm(roomOf(eventId));
  }
  await forgetQueueStatus(eventId);
}

/**
 * Shards report, then the room ticks with its clock moved on, until the mark passes someone.
 * (Within one second's bucket, who is first is decided by the random part of the key.)
 */
async function admitSomeone(
  eventId: string,
  visitors: Array<{ queueToken: string }>,
): Promise<z.output<typeof QueueState>[]> {
  let polls: z.output<typeof QueueState>[] = [];
  for (let tick = 1; tick <= 30; tick++) {
    await settle(eventId, 0);
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(tick * 1000));
    await runDurableObjectAlarm(roomOf(eventId));
    await forgetQueueStatus(eventId);
    polls = await Promise.all(visitors.map((v) => poll(eventId, v.queueToken)));
    if (polls.some((p) => p.state === "admitted")) return polls;
  }
  throw new Error("nobody was admitted after 30 ticks");
}

describe("waiting room", () => {
  it("joins, polls, and admits after admission ticks; the access token opens holds", async () => {
    const { eventId } = await queued();
    const visitors = [await join(eventId), await join(eventId), await join(eventId)];
    for (const v of visitors) {
      expect(v).toMatchObject({ state: "waiting", eventId });
      expect(typeof v.queueToken).toBe("string");
      expect(v.pollAfterSeconds).toBeGreaterThanOrEqual(2);
    }
    const after = await admitSomeone(eventId, visitors);
    const admitted = after.filter((p) => p.state === "admitted");
    const waiting = after.filter((p) => p.state === "waiting");
    expect(admitted.length + waiting.length).toBe(3);
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    for (const p of waiting) {
      // Visitors of one second share a bucket: positions are estimates within that bucket.
      expect(p.position).toBeGreaterThanOrEqual(1);
      expect(p.position).toBeLessThanOrEqual(3);
      expect(p.ahead).toBe(p.position - 1);
      expect(p.estimatedWaitSeconds).toBeGreaterThan(0);
    }
    const access = Admitted.parse(admitted[0]);
    expect(Date.parse(access.accessExpiresAt)).toBeGreaterThan(Date.now() + 9 * 60_000);

    const fan = await tokenFor(unique("fan"));
    const hold = (headers: Record<string, string> = {}, seat = "A-1-1") =>
      call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, headers, body: { seatIds: [seat] } });
    const without = await hold();
    expect(without.status).toBe(403);
    const body = await json(without, QueueRequired);
    expect(body.error.code).toBe("QUEUE_REQUIRED");
    expect(body.error.queueUrl).toBe(`/events/${eventId}/queue`);
    expect((await hold({ "x-access-token": access.accessToken })).status).toBe(201);

    const secret = new TextEncoder().encode(TEST_BINDINGS.TOKEN_SECRET);
    const forged = await new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(eventId)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("not-our-secret"));
    const expired = await new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(eventId)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    const other = await new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience("evt_other")
      .setExpirationTime("5m")
      .sign(secret);
    for (const token of [forged, expired, other, "garbage"]) {
      const refused = await hold({ "x-access-token": token }, "A-1-2");
      expect(refused.status).toBe(403);
      await errorOf(refused, "QUEUE_REQUIRED");
    }
    const live = await call("GET", `/api/v1/events/${eventId}/live`, { headers: { upgrade: "websocket" } });
    expect(live.status).toBe(403);
    const liveOk = await call("GET", `/api/v1/events/${eventId}/live?access=${access.accessToken}`, {
      headers: { upgrade: "websocket", "x-queue-admitted": "1" },
    });
    expect(liveOk.status).toBe(101);
    liveOk.webSocket!.accept();
    liveOk.webSocket!.close();
    const sneaky = await call("GET", `/api/v1/events/${eventId}/live`, {
      headers: { upgrade: "websocket", "x-queue-admitted": "1" },
    });
    expect(sneaky.status).toBe(403);
  });

  it("keeps the place of a visitor who presents the same token again", async () => {
    const { eventId } = await queued();
    const first = await join(eventId);
    await join(eventId);
    await settle(eventId, 0);
    const before = await poll(eventId, first.queueToken);
    const again = await join(eventId, first.queueToken);
    expect(again.queueToken).toBe(first.queueToken);
    expect(again.position).toBe(before.position);
    await settle(eventId, 0);
    const status = await runInDurableObject(roomOf(eventId), (room) => room.queueStatus());
    expect(status.ok && status.value.joined).toBe(2);
  });

  it("orders pre-queue joiners by their random keys, and keeps order and mark across restarts", async () => {
    const { eventId } = await queued({
      onSaleAt: new Date(Date.now() + HOUR / 10).toISOString(),
      waitingRoom: { mode: "always", admitPerMinute: 120, maxActive: 100, prequeueMinutes: 15 },
    });
    const visitors = await Promise.all(Array.from({ length: 12 }, () => join(eventId)));
    await settle(eventId, 0);
    const polled = await Promise.all(visitors.map((v) => poll(eventId, v.queueToken)));
    // The exact rank by sort key (read from each token) against the estimate: within one.
    const keys = visitors.map((v) => decodeJwt(v.queueToken).key as number);
    const rank = keys.map((k) => keys.filter((other) => other < k).length + 1);
    polled.forEach((p, i) => {
      expect(p.state).toBe("waiting");
      expect(Math.abs(p.position - rank[i]!)).toBeLessThanOrEqual(1);
    });

    // Open the sale: skew the room's clock past onSaleAt (and the settling time) and tick twice
    // (2 per second).
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(HOUR / 10 + 4000));
    await runDurableObjectAlarm(roomOf(eventId));
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(HOUR / 10 + 5000));
    await runDurableObjectAlarm(roomOf(eventId));
    const statusBefore = await runInDurableObject(roomOf(eventId), (room) => room.queueStatus());
    expect(statusBefore.ok && statusBefore.value.admitted).toBe(4);

    await evictDurableObject(roomOf(eventId));
    for (const shard of shards(eventId)) await evictDurableObject(shard).catch(() => undefined);
    await forgetQueueStatus(eventId);
    const statusAfter = await roomOf(eventId).queueStatus();
    expect(statusAfter.ok && statusAfter.value.mark).toBe(statusBefore.ok && statusBefore.value.mark);
    expect(statusAfter.ok && statusAfter.value.joined).toBe(12);
    const again = await Promise.all(visitors.map((v) => poll(eventId, v.queueToken)));
    // The four lowest keys were admitted; the others moved up by four.
    again.forEach((p, i) => {
      if (rank[i]! <= 4) expect(p.state).toBe("admitted");
      else expect(Math.abs(p.position - (rank[i]! - 4))).toBeLessThanOrEqual(1);
    });
  });

  it("tells pollers when the event sells out", async () => {
    const { eventId } = await queued();
    const visitors = [await join(eventId), await join(eventId)];
    const polls = await admitSomeone(eventId, visitors);
    const admitted = Admitted.parse(polls.find((p) => p.state === "admitted"));
    const waiter = visitors[polls.findIndex((p) => p.state !== "admitted")] ?? visitors[0]!;
    const fan = await tokenFor(unique("fan"));
    const everything = {
      seatIds: [
        ...["A-1", "A-2", "A-3"].flatMap((r) => Array.from({ length: 10 }, (_, i) => `${r}-${i + 1}`)),
        ...["B-1", "B-2"].flatMap((r) => Array.from({ length: 5 }, (_, i) => `${r}-${i + 1}`)),
      ],
      ga: [{ sectionId: "FLOOR", quantity: 50 }],
    };
    const all = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: fan,
      headers: { "x-access-token": admitted.accessToken },
      body: everything,
    });
    expect(all.status).toBe(201);
    await forgetQueueStatus(eventId);
    expect((await poll(eventId, waiter.queueToken)).state).toBe("sold_out");
  });

  it("answers 1,000 polls with a handful of room requests", async () => {
    const { eventId } = await queued();
    const visitor = await join(eventId);
    const before = await runInDurableObject(roomOf(eventId), (room) => room.statusRequests);
    for (let i = 0; i < 1000; i++) await poll(eventId, visitor.queueToken);
    const after = await runInDurableObject(roomOf(eventId), (room) => room.statusRequests);
    expect(after - before).toBeLessThanOrEqual(5);
  });

  it("refuses polls without a valid queue token and joins for unknown events", async () => {
    const { eventId } = await queued();
    expect((await call("GET", `/api/v1/events/${eventId}/queue`)).status).toBe(401);
    const user = await tokenFor("someone");
    expect((await call("GET", `/api/v1/events/${eventId}/queue`, { token: user })).status).toBe(401);
    const elsewhere = await join((await queued()).eventId);
    expect(
      (
        await call("GET", `/api/v1/events/${eventId}/queue`, {
          headers: { authorization: `Bearer ${elsewhere.queueToken}` },
        })
      ).status,
    ).toBe(401);
    expect((await call("POST", "/api/v1/events/evt_nope/queue")).status).toBe(404);
  });

  it("admits at once when the waiting room is off", async () => {
    const { eventId } = await onSaleEvent();
    const visitor = await join(eventId);
    expect(visitor.state).toBe("admitted");
    expect(typeof visitor.accessToken).toBe("string");
  });
});
