import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { QueueState } from "../../src/contract/responses";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { signIn } from "./sign-in";

const queued = () =>
  onSaleEvent({
    waitingRoom: { mode: "always", admitPerMinute: 30, maxActive: 100 },
    limits: { perOrder: 10, perUser: 10 },
  });

const shards = (eventId: string) =>
  Array.from({ length: Number(env.QUEUE_SHARDS) || 8 }, (_, i) =>
    env.QUEUE_SHARD.get(env.QUEUE_SHARD.idFromName(`${eventId}#${i}`)),
  );

/** Joins counted by all of the event's shards. */
async function joined(eventId: string): Promise<number> {
  let n = 0;
  for (const shard of shards(eventId)) n += (await shard.counts()).joined;
  return n;
}

async function join(eventId: string, headers: Record<string, string>) {
  const response = await call("POST", `/api/v1/events/${eventId}/queue`, { headers });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return { status: response.status, body: await json(response, QueueState) };
}

/** The place a queue token holds: its visitor and sort key. */
const keyOf = (queueToken: string) => {
  const { sub, key } = decodeJwt(queueToken);
  return { sub, key };
};

describe("one place in line per account", { timeout: 30_000 }, () => {
  it("50 joins by one account are one place: the same key every time, counted once", async () => {
    const { eventId } = await queued();
    const bearer = { authorization: `Bearer ${await tokenFor(unique("fan"))}` };
    const first = await join(eventId, bearer);
    expect(first.status).toBe(201);
    const again = await Promise.all(Array.from({ length: 49 }, () => join(eventId, bearer)));
    expect(again.every((j) => j.status === 200)).toBe(true);
    const claims = keyOf(first.body.queueToken);
    expect(claims.key).toEqual(expect.any(Number));
    for (const j of again) expect(keyOf(j.body.queueToken)).toEqual(claims);
    expect(await joined(eventId)).toBe(1);
  });

  it("two accounts are two places; anonymous joins each get their own", async () => {
    const { eventId } = await queued();
    for (const fan of [unique("a"), unique("b")]) {
      const bearer = { authorization: `Bearer ${await tokenFor(fan)}` };
      await join(eventId, bearer);
      await join(eventId, bearer);
    }
    expect(await joined(eventId)).toBe(2);
    await join(eventId, {});
    await join(eventId, {});
    expect(await joined(eventId)).toBe(4);
  });

  it("a signed-in browser (session cookie) keeps its one place too", async () => {
    const { eventId } = await queued();
    const cookie = await signIn(`${unique("line")}@example.com`);
    const first = await join(eventId, { cookie });
    const second = await join(eventId, { cookie });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(keyOf(second.body.queueToken)).toEqual(keyOf(first.body.queueToken));
    expect(await joined(eventId)).toBe(1);
  });
});
