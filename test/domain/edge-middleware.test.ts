import { Hono } from "hono";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { Challenge, ErrorBody } from "../../src/contract/responses";
import type { AppEnv } from "../../src/http/context";
import { ApiError, errorResponse } from "../../src/http/errors";
import { botScore } from "../../src/http/middleware/bot-score";
import { type ProtectionState, protectionState } from "../../src/http/middleware/protection-state";
import { rateLimit } from "../../src/http/middleware/rate-limit";
import { requestContext } from "../../src/http/middleware/request-context";
import { clientBinding, ipKey } from "../../src/protection/client";
import type { RouteClass } from "../../src/protection/config";
import type { CounterStore } from "../../src/protection/rate-counters";
import { protectionKey, signClearance } from "../../src/protection/tokens";

/**
 * The rate limiter and the bot score as Hono middleware in Node, each app with a protection state of
 * its own: a clock the test sets (no waiting for a window to turn, no sleeping) and a Map for KV.
 */

const AUTH_SECRET = "node-auth-secret-0123456789abcdef0123456789";
const TOKEN_SECRET = "node-token-secret-0123456789abcdef012345678";
const WINDOW_MS = 60_000;
/** 5 s into a window: a count to a limit never straddles two. */
const START = Date.UTC(2027, 5, 1, 19, 30, 5);

const BROWSER = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "accept-language": "de-DE,de;q=0.9,en;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  cookie: "theme=dark",
};
const CURL = { "user-agent": "curl/8.5.0", accept: "*/*" };

class MapStore implements CounterStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async put(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

interface Edge {
  state: ProtectionState;
  store: MapStore;
  clock: { ms: number };
  send(
    method: string,
    options: { ip: string; as?: Record<string, string>; token?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Every flush the requests so far left running (their waits move the clock, not real time). */
  settled(): Promise<void>;
}

/** One route guarded as `routeClass` would be in app.ts: the bot score (writes), then the rate limits. */
function edgeFor(routeClass: RouteClass, vars: Record<string, string> = {}): Edge {
  const clock = { ms: START };
  const store = new MapStore();
  const state = protectionState({
    now: () => clock.ms,
    store: () => store,
    wait: async (ms) => {
      clock.ms += ms;
    },
  });
  const env = {
    AUTH_SECRET,
    TOKEN_SECRET,
    RATE_LIMIT_MODE: "enforce",
    BOT_CHALLENGE: "on",
    POW_DIFFICULTY: "8",
    LOG_REQUESTS: "off",
    LOG_LEVEL: "error",
    ...vars,
  } as Partial<Env> as Env;
  const app = new Hono<AppEnv>()
    .use(requestContext())
    .on(["GET", "POST"], "/guarded", botScore({ routeClass, state }), rateLimit({ routeClass, state }), (c) =>
      c.json({ ok: true }, c.req.method === "POST" ? 201 : 200),
    );
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    throw error;
  });
  const pending: Promise<unknown>[] = [];
  const ctx: ExecutionContext = {
    waitUntil: (promise: Promise<unknown>) => {
      pending.push(promise);
    },
    passThroughOnException: () => {},
    props: {},
  } as Partial<ExecutionContext> as ExecutionContext;
  return {
    state,
    store,
    clock,
    send: (method, { ip, as = BROWSER, token, headers }) => {
      const all = new Headers({ ...as, ...headers, "cf-connecting-ip": ip });
      if (token) all.set("authorization", `Bearer ${token}`);
      return Promise.resolve(app.request("/guarded", { method, headers: all }, env, ctx));
    },
    settled: async () => {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}

let addresses = 0;
const newIp = () => {
  addresses++;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
};

const tokenFor = (sub: string) =>
  new SignJWT({ roles: ["customer"] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt(Math.floor(Date.now() / 1000))
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(AUTH_SECRET));

const windowOf = (ms: number) => Math.floor(ms / WINDOW_MS) * WINDOW_MS;

/** The 403 that asks for proof of work: the contract's error, with the challenge to solve. */
const ChallengeRequired = ErrorBody.extend({ error: ErrorBody.shape.error.extend({ challenge: Challenge }) });

/** The code of an error answer, which must have the contract's shape (a string code and message). */
async function codeOf(response: Response): Promise<string> {
  return ErrorBody.parse(await response.json()).error.code;
}

describe("rateLimit middleware", () => {
  it("answers 429 with Retry-After and RateLimit headers after an IP's limit, and serves other IPs", async () => {
    const edge = edgeFor("browse");
    const flooder = newIp();
    const responses = await Promise.all(Array.from({ length: 300 }, () => edge.send("GET", { ip: flooder })));
    expect(responses.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const remaining = responses.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(responses[0]!.headers.get("ratelimit-limit")).toBe("300");
    expect(responses[0]!.headers.get("ratelimit-policy")).toBe("300;w=60");
    await edge.settled();

    const refused = await edge.send("GET", { ip: flooder });
    expect(refused.status).toBe(429);
    const retryAfter = Math.ceil((windowOf(START) + WINDOW_MS - edge.clock.ms) / 1000);
    expect(refused.headers.get("retry-after")).toBe(String(retryAfter));
    expect(refused.headers.get("ratelimit-limit")).toBe("300");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("ratelimit-reset")).toBe(String(retryAfter));
    expect(await codeOf(refused)).toBe("RATE_LIMITED");

    const other = await edge.send("GET", { ip: newIp() });
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-remaining")).toBe("299");
    // The count went to the store for other isolates, in flushes off the request path.
    await edge.settled();
    expect(edge.store.values.get(`rl:browse:ip:${flooder}@${windowOf(START)}`)).toBe("300");
  });

  it("counts afresh when the window turns", async () => {
    const edge = edgeFor("browse", { RATE_LIMIT_RULES: "ip=3" });
    const ip = newIp();
    for (const expected of ["2", "1", "0"]) {
      expect((await edge.send("GET", { ip })).headers.get("ratelimit-remaining")).toBe(expected);
    }
    expect((await edge.send("GET", { ip })).status).toBe(429);
    edge.clock.ms = windowOf(START) + WINDOW_MS - 1;
    expect((await edge.send("GET", { ip })).status).toBe(429);
    edge.clock.ms += 1;
    const next = await edge.send("GET", { ip });
    expect(next.status).toBe(200);
    expect(next.headers.get("ratelimit-remaining")).toBe("2");
    expect(next.headers.get("ratelimit-reset")).toBe("60");
  });

  it("holds a user to the per-user limit across IPs, and other users on those IPs are served", async () => {
    const edge = edgeFor("hold");
    const fan = await tokenFor("fan-across-ips");
    // hold: 10 per minute per user, all at once, each from an address of its own.
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => edge.send("POST", { ip: newIp(), token: fan })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const response of responses) expect(response.headers.get("ratelimit-limit")).toBe("10");
    const remaining = responses.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ip = newIp();
    const refused = await edge.send("POST", { ip, token: fan });
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe("RATE_LIMITED");
    expect(refused.headers.get("retry-after")).toBeTruthy();
    const served = await edge.send("POST", { ip, token: await tokenFor("someone-else") });
    expect(served.status).toBe(201);
  });

  it("counts what other isolates wrote to the store", async () => {
    const edge = edgeFor("hold");
    const fan = await tokenFor("fan-elsewhere");
    const key = `rl:hold:user:fan-elsewhere@${windowOf(START)}`;
    // Other isolates have already let this user make 9 of 10 holds this minute.
    edge.store.values.set(key, "9");
    // This isolate has not heard of it yet; the request's flush reads the store and learns it.
    const first = await edge.send("POST", { ip: newIp(), token: fan });
    expect(first.status).toBe(201);
    await edge.settled();
    expect(edge.store.values.get(key)).toBe("10");
    const second = await edge.send("POST", { ip: newIp(), token: fan });
    expect(second.status).toBe(429);
  });

  it("switches off with RATE_LIMIT_MODE=off", async () => {
    const edge = edgeFor("browse", { RATE_LIMIT_MODE: "off", RATE_LIMIT_RULES: "ip=1" });
    const ip = newIp();
    for (let i = 0; i < 3; i++) {
      const response = await edge.send("GET", { ip });
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-limit")).toBeNull();
    }
    expect(edge.state.counters.size).toBe(0);
  });
});

describe("botScore middleware", () => {
  it("challenges a curl-like write and lets a browser from the same address through", async () => {
    const edge = edgeFor("hold");
    const ip = newIp();
    const challenged = await edge.send("POST", { ip, as: CURL });
    expect(challenged.status).toBe(403);
    const body = ChallengeRequired.parse(await challenged.json());
    expect(body.error.code).toBe("CHALLENGE_REQUIRED");
    expect(body.error.challenge.difficulty).toBe(8);
    // The challenge's lifetime is counted on the injected clock (CHALLENGE_TTL_SECONDS, 120 by default).
    expect(Date.parse(body.error.challenge.expiresAt)).toBe(START + 120_000);
    expect((await edge.send("POST", { ip })).status).toBe(201);
    // Reads are never scored.
    expect((await edge.send("GET", { ip, as: CURL })).status).toBe(200);
  });

  it("counts this client's failed challenges from the state it was given", async () => {
    const edge = edgeFor("hold");
    const ip = newIp();
    const cookieless = { ...BROWSER, cookie: "" };
    expect((await edge.send("POST", { ip, as: cookieless })).status).toBe(201);
    const binding = await clientBinding(ipKey(ip), cookieless["user-agent"]);
    for (let i = 0; i < 3; i++) edge.state.failedChallenges.record(binding, edge.clock.ms);
    expect((await edge.send("POST", { ip, as: cookieless })).status).toBe(403);
    // Another state (another isolate) knows nothing of them.
    expect((await edgeFor("hold").send("POST", { ip, as: cookieless })).status).toBe(201);
  });

  it("lets a clearance through until it expires on the edge's clock", async () => {
    const edge = edgeFor("hold");
    const ip = newIp();
    const binding = await clientBinding(ipKey(ip), CURL["user-agent"]);
    const clearance = await signClearance(await protectionKey(TOKEN_SECRET), binding, START + 600_000);
    const withClearance = () => edge.send("POST", { ip, as: CURL, headers: { "x-clearance": clearance } });
    expect((await withClearance()).status).toBe(201);
    edge.clock.ms = START + 600_000;
    const expired = await withClearance();
    expect(expired.status).toBe(403);
    expect(await codeOf(expired)).toBe("CHALLENGE_REQUIRED");
  });

  it("switches off with BOT_CHALLENGE=off", async () => {
    const edge = edgeFor("hold", { BOT_CHALLENGE: "off" });
    expect((await edge.send("POST", { ip: newIp(), as: CURL })).status).toBe(201);
  });
});
