import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Challenge, ChallengeOffer, Clearance, ErrorBody } from "../../src/contract/responses";
import { isolateProtection } from "../../src/http/middleware/protection-state";
import { protectionKey, signChallenge, signClearance } from "../../src/protection/tokens";
import { TEST_BINDINGS } from "../bindings";
import { addresses, CURL, clearanceFor, edge, expectRateHeaders, holdPath, solve } from "./edge";
import { errorOf, expectError, json, onSaleEvent, tokenFor, unique } from "./helpers";

/**
 * The edge's protections through the whole Worker: rate limits per IP and per user, bot scoring
 * with a proof-of-work challenge. Every test uses addresses and users of its own: the counters
 * live in this isolate. (The middleware alone, on a clock of its own: test/domain/edge-middleware.test.ts.)
 */

const newIp = addresses(10);

/** CHALLENGE_REQUIRED carries the proof-of-work to solve (API.md; the contract's ErrorBody does not list it). */
const ChallengeRequired = ErrorBody.extend({ error: ErrorBody.shape.error.extend({ challenge: Challenge }) });

/** A JWT's claims, read without verifying (as an attacker would), checked against `schema`. */
function claimsOf<S extends z.ZodType>(jwt: string, schema: S): z.output<S> {
  const part = jwt.split(".")[1] ?? "";
  return schema.parse(JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))));
}
const ClearanceClaims = z.looseObject({ sub: z.string() });
const ChallengeClaims = z.looseObject({ n: z.string(), d: z.number(), c: z.string() });

const WINDOW_MS = 60_000;

/**
 * Fixed windows restart on the minute: a test that counts to a limit starts 5 s into a fresh window
 * of the edge's clock, which it moves forward (never back) instead of waiting for the minute to turn.
 */
let skew = 0;
const edgeNow = () => Date.now() + skew;
const realNow = isolateProtection.now;
isolateProtection.now = edgeNow;
afterAll(() => {
  isolateProtection.now = realNow;
});

function awayFromWindowEdge(): void {
  const now = edgeNow();
  skew += WINDOW_MS - (now % WINDOW_MS) + 5_000;
}

describe("rate limits", () => {
  it("answers 429 with Retry-After and RateLimit headers after an IP's limit, and serves other IPs", {
    timeout: 30_000,
  }, async () => {
    awayFromWindowEdge();
    const flooder = newIp();
    const path = `/api/v1/events?q=${unique("flood")}`;
    // 300 per minute per IP (the default), sent all at once: the in-isolate count is exact.
    const responses = await Promise.all(Array.from({ length: 300 }, () => edge("GET", path, { ip: flooder })));
    expect(responses.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const remaining = responses.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expectRateHeaders(responses[0]!, 300);

    const refused = await edge("GET", path, { ip: flooder });
    expect(refused.status).toBe(429);
    await errorOf(refused.clone(), "RATE_LIMITED");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-limit")).toBe("300");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("ratelimit-reset")).toBe(String(retryAfter));
    expect(refused.headers.get("x-request-id")).toBeTruthy();

    const other = await edge("GET", path, { ip: newIp() });
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-remaining")).toBe("299");

    // The count went to KV (the waitUntil flushes ran before the calls returned), for other isolates.
    const window = Math.floor(edgeNow() / WINDOW_MS) * WINDOW_MS;
    expect(await env.RATE_LIMITS.get(`rl:browse:ip:${flooder}@${window}`)).toBe("300");
  });

  it("holds a user to the per-user limit across IPs, and other users on those IPs are served", {
    timeout: 30_000,
  }, async () => {
    awayFromWindowEdge();
    const { eventId } = await onSaleEvent({ limits: { perOrder: 8, perUser: 50 } });
    const fan = await tokenFor(unique("fan"));
    // hold: 10 per minute per user, all at once, each from an address of its own.
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        edge("POST", holdPath(eventId), { ip: newIp(), token: fan, body: { seatIds: [`A-1-${i + 1}`] } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const response of responses) expect(response.headers.get("ratelimit-limit")).toBe("10");
    const remaining = responses.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ip = newIp();
    const refused = await edge("POST", holdPath(eventId), { ip, token: fan, body: { seatIds: ["A-2-1"] } });
    expect(refused.status).toBe(429);
    await errorOf(refused.clone(), "RATE_LIMITED");
    expect(refused.headers.get("retry-after")).toBeTruthy();
    const someoneElse = await tokenFor(unique("fan"));
    const served = await edge("POST", holdPath(eventId), { ip, token: someoneElse, body: { seatIds: ["A-2-1"] } });
    expect(served.status).toBe(201);
  });

  it("counts what other isolates wrote to KV", async () => {
    awayFromWindowEdge();
    const { eventId } = await onSaleEvent();
    const userId = unique("fan");
    const fan = await tokenFor(userId);
    // Other isolates have already let this user make 9 of 10 holds this minute.
    const window = Math.floor(edgeNow() / WINDOW_MS) * WINDOW_MS;
    await env.RATE_LIMITS.put(`rl:hold:user:${userId}@${window}`, "9", { expirationTtl: 120 });
    // This isolate has not heard of it yet; the request's flush reads KV and learns it.
    const first = await edge("POST", holdPath(eventId), { ip: newIp(), token: fan, body: { seatIds: ["B-1-1"] } });
    expect(first.status).toBe(201);
    expect(await env.RATE_LIMITS.get(`rl:hold:user:${userId}@${window}`)).toBe("10");
    const second = await edge("POST", holdPath(eventId), { ip: newIp(), token: fan, body: { seatIds: ["B-1-2"] } });
    expect(second.status).toBe(429);
  });

  it("limits checkout per user too, on its own path", async () => {
    awayFromWindowEdge();
    const fan = await tokenFor(unique("fan"));
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        edge("POST", "/api/v1/holds/hld.evt_nothing.x/checkout", { ip: newIp(), token: fan }),
      ),
    );
    // 5 per minute: five reach the route (which knows no such hold), one is turned away.
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
  });

  it("switches off with RATE_LIMIT_MODE=off and BOT_CHALLENGE=off", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const vars = { RATE_LIMIT_MODE: "off", BOT_CHALLENGE: "off" };
    const response = await edge("POST", holdPath(eventId), {
      ip: newIp(),
      as: CURL,
      token: fan,
      body: { seatIds: ["A-3-3"] },
      vars,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("ratelimit-limit")).toBeNull();
  });
});

describe("bot score and proof of work", () => {
  it("challenges a curl-like client's hold, and lets it through once it has solved the challenge", {
    timeout: 30_000,
  }, async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const ip = newIp();
    const challenged = await edge("POST", holdPath(eventId), {
      ip,
      as: CURL,
      token: fan,
      body: { seatIds: ["A-1-1"] },
    });
    expect(challenged.status).toBe(403);
    const body = await json(challenged, ChallengeRequired);
    expectError(body, "CHALLENGE_REQUIRED");
    const { challenge } = body.error;
    expect(challenge).toMatchObject({
      algorithm: "sha256-leading-zero-bits",
      difficulty: 8,
      solveUrl: "/api/v1/challenge",
    });
    expect(typeof challenge.nonce).toBe("string");
    expect(Date.parse(challenge.expiresAt)).toBeGreaterThan(Date.now());

    // A browser from the same address is not challenged: the score is about the client, not the IP.
    const browser = await edge("POST", holdPath(eventId), { ip, token: fan, body: { seatIds: ["A-1-9"] } });
    expect(browser.status).toBe(201);

    const wrong = await edge("POST", "/api/v1/challenge", {
      ip,
      as: CURL,
      body: { token: challenge.token, solution: "not-it" },
    });
    expect(wrong.status).toBe(403);
    await errorOf(wrong, "CHALLENGE_REQUIRED");

    const solution = await solve(challenge.nonce, challenge.difficulty);
    const solved = await edge("POST", "/api/v1/challenge", {
      ip,
      as: CURL,
      body: { token: challenge.token, solution },
    });
    expect(solved.status).toBe(200);
    const { clearance, expiresAt } = await json(solved, Clearance);
    expect(typeof clearance).toBe("string");
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const cookie = solved.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`__Host-clearance=${clearance}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const byHeader = await edge("POST", holdPath(eventId), {
      ip,
      as: CURL,
      token: fan,
      body: { seatIds: ["A-1-1"] },
      headers: { "x-clearance": clearance },
    });
    expect(byHeader.status, await byHeader.clone().text()).toBe(201);
    const byCookie = await edge("POST", holdPath(eventId), {
      ip,
      as: CURL,
      token: fan,
      body: { seatIds: ["A-1-2"] },
      headers: { cookie: `__Host-clearance=${clearance}` },
    });
    expect(byCookie.status).toBe(201);
  });

  it("refuses a forged, expired or other client's clearance", { timeout: 30_000 }, async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const ip = newIp();
    const clearance = await clearanceFor(ip, CURL);
    const hold = (as: Record<string, string>, from: string, value: string) =>
      edge("POST", holdPath(eventId), {
        ip: from,
        as,
        token: fan,
        body: { seatIds: ["B-2-2"] },
        headers: { "x-clearance": value },
      });
    const key = await protectionKey(TEST_BINDINGS.TOKEN_SECRET);
    const payload = claimsOf(clearance, ClearanceClaims);
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("not-the-secret"));
    const expired = await signClearance(key, payload.sub, Date.now() - 1000);
    const userToken = fan;
    const challengeAsClearance = await signChallenge(key, {
      nonce: "n",
      difficulty: 1,
      client: payload.sub,
      expiresAt: Date.now() + 60_000,
    });
    const cases: [string, Response][] = [
      ["forged", await hold(CURL, ip, forged)],
      ["expired", await hold(CURL, ip, expired)],
      ["another address", await hold(CURL, newIp(), clearance)],
      ["another user agent", await hold({ ...CURL, "user-agent": "curl/8.6.0" }, ip, clearance)],
      ["a user token", await hold(CURL, ip, userToken)],
      ["a challenge token", await hold(CURL, ip, challengeAsClearance)],
      ["garbage", await hold(CURL, ip, "a.b.c")],
    ];
    for (const [label, response] of cases) {
      expect(response.status, label).toBe(403);
      await errorOf(response, "CHALLENGE_REQUIRED");
    }
    // A browser that sends someone else's clearance is challenged too, though it would pass without.
    const browserIp = newIp();
    const stolen = await edge("POST", holdPath(eventId), {
      ip: browserIp,
      token: fan,
      body: { seatIds: ["B-2-3"] },
      headers: { "x-clearance": clearance },
    });
    expect(stolen.status).toBe(403);
    // The real one still works where it was issued.
    expect((await hold(CURL, ip, clearance)).status).toBe(201);
  });

  it("refuses a challenge that expired, was forged or was issued to another client", async () => {
    const ip = newIp();
    const key = await protectionKey(TEST_BINDINGS.TOKEN_SECRET);
    const { challenge } = await json(await edge("GET", "/api/v1/challenge", { ip, as: CURL }), ChallengeOffer);
    const solution = await solve(challenge.nonce, challenge.difficulty);
    const elsewhere = await edge("POST", "/api/v1/challenge", {
      ip: newIp(),
      as: CURL,
      body: { token: challenge.token, solution },
    });
    expect(elsewhere.status).toBe(403);
    await errorOf(elsewhere, "CHALLENGE_REQUIRED");

    const mine = await json(await edge("GET", "/api/v1/challenge", { ip, as: CURL }), ChallengeOffer);
    const claims = claimsOf(mine.challenge.token, ChallengeClaims);
    const stale = await signChallenge(key, {
      nonce: "stale",
      difficulty: 1,
      client: claims.c,
      expiresAt: Date.now() - 1000,
    });
    const easyForged = await new SignJWT({ ...claims, d: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("not-the-secret"));
    for (const [label, token, guess] of [
      ["expired", stale, await solve("stale", 1)],
      ["forged", easyForged, await solve(claims.n, 1)],
    ] as const) {
      const response = await edge("POST", "/api/v1/challenge", { ip, as: CURL, body: { token, solution: guess } });
      expect(response.status, label).toBe(403);
      await errorOf(response, "CHALLENGE_REQUIRED");
    }
    const bad = await edge("POST", "/api/v1/challenge", { ip, as: CURL, body: { token: "x", solution: "has space" } });
    expect(bad.status).toBe(400);
    await errorOf(bad, "VALIDATION_FAILED");
  });

  it("challenges checkout from a curl-like client on its own path", async () => {
    const fan = await tokenFor(unique("fan"));
    const response = await edge("POST", "/api/v1/holds/hld.evt_nothing.x/checkout", {
      ip: newIp(),
      as: CURL,
      token: fan,
    });
    expect(response.status).toBe(403);
    await errorOf(response, "CHALLENGE_REQUIRED");
  });
});
