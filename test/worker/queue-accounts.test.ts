import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { QueueState } from "../../src/contract/responses";
import { addresses, BROWSER, clearanceFor, edge } from "./edge";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
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

describe("presale code holders behind a waiting room", { timeout: 30_000 }, () => {
  const HOUR = 3600_000;
  const presaleEvent = () => {
    const now = Date.now();
    return onSaleEvent({
      onSaleAt: new Date(now + 2 * HOUR).toISOString(),
      presales: [
        {
          name: "Fan club",
          code: "LOVE2026",
          startsAt: new Date(now - HOUR).toISOString(),
          endsAt: new Date(now + HOUR).toISOString(),
        },
      ],
      waitingRoom: { mode: "always", admitPerMinute: 30, maxActive: 100, accessMinutes: 10 },
    });
  };
  const joinWith = (eventId: string, headers: Record<string, string>, body?: unknown) =>
    call("POST", `/api/v1/events/${eventId}/queue`, { headers, ...(body !== undefined && { body }) });
  const hold = (eventId: string, token: string, access: string | undefined, presaleCode?: string) =>
    call("POST", `/api/v1/events/${eventId}/holds`, {
      token,
      headers: access ? { "x-access-token": access } : {},
      body: { seatIds: ["A-1-1"], ...(presaleCode && { presaleCode }) },
    });

  it("are admitted at once in the presale window and can hold; others wait for the on-sale", async () => {
    const { eventId } = await presaleEvent();
    const fan = await tokenFor(unique("fan"));
    const bearer = { authorization: `Bearer ${fan}` };

    // No code: a place for the on-sale, no access; the presale code alone does not pass the queue.
    const plain = await json(await joinWith(eventId, bearer), QueueState);
    expect(plain.state).toBe("waiting");
    await errorOf(await hold(eventId, fan, undefined, "LOVE2026"), "QUEUE_REQUIRED");

    // A wrong code is refused and changes nothing.
    const wrong = await joinWith(eventId, bearer, { presaleCode: "nope" });
    expect(wrong.status).toBe(403);
    await errorOf(wrong, "PRESALE_CODE_REQUIRED");

    const before = Date.now();
    const admitted = await json(await joinWith(eventId, bearer, { presaleCode: "love2026" }), QueueState);
    expect(admitted.state).toBe("admitted");
    const until = Date.parse(admitted.accessExpiresAt!);
    expect(until).toBeGreaterThan(before);
    expect(until).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    // Still one place for the account, and polling the queue token answers the same admission.
    expect(keyOf(admitted.queueToken)).toEqual(keyOf(plain.queueToken));
    expect(await joined(eventId)).toBe(1);
    const polled = await json(
      await call("GET", `/api/v1/events/${eventId}/queue`, {
        headers: { authorization: `Bearer ${admitted.queueToken}` },
      }),
      QueueState,
    );
    expect(polled.state).toBe("admitted");

    // The access token lets the code holder hold; the sale still needs the code.
    await errorOf(await hold(eventId, fan, admitted.accessToken), "PRESALE_CODE_REQUIRED");
    expect((await hold(eventId, fan, admitted.accessToken, "LOVE2026")).status).toBe(201);
  });

  it("a code outside any presale window is a plain join", async () => {
    const now = Date.now();
    const { eventId } = await onSaleEvent({
      onSaleAt: new Date(now + 2 * HOUR).toISOString(),
      presales: [
        {
          name: "Later",
          code: "SOON",
          startsAt: new Date(now + HOUR).toISOString(),
          endsAt: new Date(now + 90 * 60_000).toISOString(),
        },
      ],
      waitingRoom: { mode: "always", admitPerMinute: 30, maxActive: 100 },
    });
    const joinedNow = await json(
      await joinWith(eventId, { authorization: `Bearer ${await tokenFor(unique("fan"))}` }, { presaleCode: "SOON" }),
      QueueState,
    );
    expect(joinedNow.state).toBe("waiting");
    expect(joinedNow.accessToken).toBeUndefined();
  });
});

describe("anonymous joins are bound to the client's clearance", { timeout: 60_000 }, () => {
  it("one clearance is one place; another client's clearance is another", async () => {
    const { eventId } = await queued();
    const newIp = addresses(12);
    const ip = newIp();
    const path = `/api/v1/events/${eventId}/queue`;
    const first = await clearanceFor(ip, BROWSER);
    const a = await edge("POST", path, { ip, headers: { "x-clearance": first } });
    const b = await edge("POST", path, { ip, headers: { "x-clearance": first } });
    expect([a.status, b.status]).toEqual([201, 200]);
    const placeA = keyOf((await json(a, QueueState)).queueToken);
    expect(keyOf((await json(b, QueueState)).queueToken)).toEqual(placeA);
    expect(await joined(eventId)).toBe(1);

    // Another client (address), its own clearance: its own place.
    const other = newIp();
    const second = await clearanceFor(other, BROWSER);
    const c = await edge("POST", path, { ip: other, headers: { "x-clearance": second } });
    expect(c.status).toBe(201);
    expect(keyOf((await json(c, QueueState)).queueToken)).not.toEqual(placeA);
    expect(await joined(eventId)).toBe(2);

    // Another client's copy of the clearance binds nothing: a fresh place.
    const stolen = await edge("POST", path, { ip: newIp(), headers: { "x-clearance": first } });
    expect(stolen.status).toBeLessThan(300);
    expect(keyOf((await json(stolen, QueueState)).queueToken).sub).not.toEqual(placeA.sub);
  });
});
