import { describe, expect, it } from "vitest";
import { FailedChallenges, scoreRequest } from "../../src/protection/bot-score";
import { clientBinding, clientIp, ipKey } from "../../src/protection/client";
import { PROTECTION_DEFAULTS, parseProtectionConfig } from "../../src/protection/config";
import { leadingZeroBits, powDigest, solvePow, verifyPow } from "../../src/protection/pow";
import { type CounterStore, RateCounters } from "../../src/protection/rate-counters";
import {
  protectionKey,
  signChallenge,
  signClearance,
  verifyChallenge,
  verifyClearance,
} from "../../src/protection/tokens";
import { kvTtlSeconds, secondsUntil, windowAt } from "../../src/protection/window";

const BROWSER_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15";

const browser = {
  userAgent: BROWSER_UA,
  acceptLanguage: "en-GB,en;q=0.9",
  acceptEncoding: "gzip, br",
  hasCookies: true,
  isWrite: true,
  ratePressure: 0,
  failedChallenges: 0,
  badClearance: false,
};

describe("bot score", () => {
  it("scores a browser 0, a cookieless browser 15, curl 95 and a bare API client 85", () => {
    expect(scoreRequest(browser).score).toBe(0);
    expect(scoreRequest({ ...browser, hasCookies: false }).score).toBe(15);
    expect(scoreRequest({ ...browser, hasCookies: false, isWrite: false }).score).toBe(0);
    const curl = scoreRequest({
      ...browser,
      userAgent: "curl/8.5.0",
      acceptLanguage: undefined,
      acceptEncoding: undefined,
      hasCookies: false,
    });
    expect(curl).toEqual({
      score: 95,
      reasons: ["automation-user-agent", "no-accept-language", "no-accept-encoding", "no-cookies"],
    });
    const bare = scoreRequest({
      ...browser,
      userAgent: undefined,
      acceptLanguage: undefined,
      acceptEncoding: undefined,
      hasCookies: false,
    });
    expect(bare.score).toBe(85);
  });

  it("knows automation user agents and leaves browsers and apps alone", () => {
    const score = (userAgent: string) => scoreRequest({ ...browser, userAgent }).score;
    for (const ua of [
      "python-requests/2.32",
      "Go-http-client/1.1",
      "Wget/1.21",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 HeadlessChrome/126.0",
      "axios/1.7",
      "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
      "Java/17.0.2",
    ]) {
      expect(score(ua), ua).toBe(50);
    }
    for (const ua of [BROWSER_UA, "okhttp/4.12.0", "Mozilla/5.0 (Linux; Android 14; CUBOT X30) Chrome/126 Mobile"]) {
      expect(score(ua), ua).toBe(0);
    }
  });

  it("adds request rate, failed challenges (at most three) and a bad clearance, and stops at 100", () => {
    expect(scoreRequest({ ...browser, ratePressure: 0.5 }).score).toBe(10);
    expect(scoreRequest({ ...browser, ratePressure: 0.9 }).score).toBe(25);
    expect(scoreRequest({ ...browser, failedChallenges: 2 }).score).toBe(30);
    expect(scoreRequest({ ...browser, failedChallenges: 9 }).score).toBe(45);
    expect(scoreRequest({ ...browser, badClearance: true }).score).toBe(50);
    expect(
      scoreRequest({ ...browser, userAgent: "curl/8", acceptLanguage: "", failedChallenges: 3, badClearance: true })
        .score,
    ).toBe(100);
  });

  it("remembers failed challenges for a while, per client, in bounded memory", () => {
    const failures = new FailedChallenges(1000, 3);
    failures.record("a", 0);
    failures.record("a", 10);
    expect(failures.count("a", 20)).toBe(2);
    expect(failures.count("a", 1011)).toBe(0);
    for (const client of ["b", "c", "d"]) failures.record(client, 30);
    expect(failures.count("a", 40)).toBe(0); // the oldest went first
    expect(failures.count("d", 40)).toBe(1);
  });
});

describe("proof of work", () => {
  it("counts leading zero bits", () => {
    expect(leadingZeroBits(new Uint8Array([0xff]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x10]))).toBe(19);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it("verifies exactly what it solves, and nothing easier", async () => {
    const solution = await solvePow("nonce-1", 10);
    expect(solution).toBeDefined();
    expect(await verifyPow("nonce-1", solution!, 10)).toBe(true);
    const bits = leadingZeroBits(await powDigest("nonce-1", solution!));
    expect(bits).toBeGreaterThanOrEqual(10);
    expect(await verifyPow("nonce-1", solution!, bits + 1)).toBe(false);
    expect(await verifyPow("nonce-2", solution!, 10)).toBe(
      leadingZeroBits(await powDigest("nonce-2", solution!)) >= 10,
    );
    expect(await verifyPow("nonce-1", "has space", 0)).toBe(false);
    expect(await verifyPow("nonce-1", "x".repeat(65), 0)).toBe(false);
    expect(await solvePow("nonce-1", 30, { maxTries: 100 })).toBeUndefined();
  });
});

describe("window math", () => {
  it("cuts time into fixed windows and rounds the wait up", () => {
    expect(windowAt(125_000, 60_000)).toEqual({ start: 120_000, end: 180_000 });
    expect(windowAt(120_000, 60_000)).toEqual({ start: 120_000, end: 180_000 });
    expect(secondsUntil(180_000, 125_000)).toBe(55);
    expect(secondsUntil(180_000, 179_001)).toBe(1);
    expect(secondsUntil(180_000, 180_000)).toBe(1);
    expect(kvTtlSeconds(180_000, 175_000)).toBe(60);
    expect(kvTtlSeconds(3_780_000, 0)).toBe(3780);
  });
});

describe("configuration", () => {
  it("has the documented defaults", () => {
    const { config, problems } = parseProtectionConfig({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      windowSeconds: 60,
      powDifficulty: 16,
      challengeTtlSeconds: 120,
      clearanceTtlSeconds: 600,
      seatMapCacheSeconds: 1,
    });
    expect(config.limits).toEqual({
      browse: { user: 100, ip: 300 },
      queue: { user: 30, ip: 300 },
      hold: { user: 10, ip: 300 },
      checkout: { user: 5, ip: 300 },
      challenge: { user: undefined, ip: 30 },
    });
    expect(config.thresholds).toEqual({
      browse: undefined,
      queue: 60,
      hold: 50,
      checkout: 50,
      challenge: undefined,
    });
    expect(parseProtectionConfig(PROTECTION_DEFAULTS).config).toEqual(config);
  });

  it("takes overrides, and keeps the default (with a problem) for what it cannot read", () => {
    const { config, problems } = parseProtectionConfig({
      RATE_LIMIT_RULES: "browse=1000, hold=3, ip=50, ip.hold=20, bogus=4, checkout=x",
      BOT_SCORE_THRESHOLDS: "hold=30 checkout=off browse=101",
      POW_DIFFICULTY: "40",
      SEAT_MAP_CACHE_SECONDS: "0",
    });
    expect(config.limits.browse).toEqual({ user: 1000, ip: 50 });
    expect(config.limits.hold).toEqual({ user: 3, ip: 20 });
    expect(config.limits.checkout).toEqual({ user: undefined, ip: 50 });
    expect(config.thresholds.hold).toBe(30);
    expect(config.thresholds.checkout).toBeUndefined();
    expect(config.thresholds.browse).toBeUndefined();
    expect(config.powDifficulty).toBe(16);
    expect(config.seatMapCacheSeconds).toBe(0);
    expect(problems).toHaveLength(4);
    const noIp = parseProtectionConfig({ RATE_LIMIT_RULES: "hold=3" });
    expect(noIp.config.limits.hold).toEqual({ user: 10, ip: 300 });
    expect(noIp.problems).toHaveLength(1);
  });
});

describe("client identity", () => {
  it("counts IPv4 as is, IPv6 by its /64, and anything else as unknown", () => {
    expect(ipKey("203.0.113.7")).toBe("203.0.113.7");
    expect(ipKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(ipKey("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3:8d3::/64");
    expect(ipKey("2001:DB8:85A3:8D3::1")).toBe("2001:db8:85a3:8d3::/64");
    expect(ipKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipKey("::1")).toBe("0:0:0:0::/64");
    for (const bad of ["unknown", "", "999.1.1.1", "1:2:3", "1::2::3", "a:b:c:d:e:f:g:h", "<script>"]) {
      expect(ipKey(bad), bad).toBe("unknown");
    }
  });

  it("takes CF-Connecting-IP, else the first X-Forwarded-For hop", () => {
    expect(clientIp(new Headers({ "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "1.1.1.1" }))).toBe(
      "203.0.113.7",
    );
    expect(clientIp(new Headers({ "x-forwarded-for": " 198.51.100.2 , 10.0.0.1" }))).toBe("198.51.100.2");
    expect(clientIp(new Headers())).toBe("unknown");
  });

  it("binds to address and user agent", async () => {
    const a = await clientBinding("203.0.113.7", "UA");
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await clientBinding("203.0.113.7", "UA")).toBe(a);
    expect(await clientBinding("203.0.113.8", "UA")).not.toBe(a);
    expect(await clientBinding("203.0.113.7", "UA2")).not.toBe(a);
  });
});

describe("challenge and clearance tokens", () => {
  it("verify only for the client they were issued to, before they expire", async () => {
    const key = await protectionKey("secret-one");
    const now = 1_800_000_000_000;
    const clearance = await signClearance(key, "client-a", now + 60_000);
    expect(await verifyClearance(key, clearance, "client-a", now)).toEqual({
      ok: true,
      value: { expiresAt: now + 60_000 },
    });
    expect(await verifyClearance(key, clearance, "client-b", now)).toEqual({ ok: false, reason: "other-client" });
    expect(await verifyClearance(key, clearance, "client-a", now + 61_000)).toEqual({ ok: false, reason: "expired" });
    const otherKey = await protectionKey("secret-two");
    expect(await verifyClearance(otherKey, clearance, "client-a", now)).toEqual({ ok: false, reason: "invalid" });

    const challenge = await signChallenge(key, {
      nonce: "n1",
      difficulty: 12,
      client: "client-a",
      expiresAt: now + 1000,
    });
    expect(await verifyChallenge(key, challenge, "client-a", now)).toEqual({
      ok: true,
      value: { nonce: "n1", difficulty: 12 },
    });
    expect(await verifyChallenge(key, challenge, "client-b", now)).toEqual({ ok: false, reason: "other-client" });
    expect(await verifyChallenge(key, challenge, "client-a", now + 2000)).toEqual({ ok: false, reason: "expired" });
    // Neither passes for the other.
    expect((await verifyClearance(key, challenge, "client-a", now)).ok).toBe(false);
    expect((await verifyChallenge(key, clearance, "client-a", now)).ok).toBe(false);
  });

  it("uses a key derived from the secret, not the secret itself", async () => {
    const key = await protectionKey("secret-one");
    expect(new TextDecoder().decode(key)).not.toBe("secret-one");
    expect(key).toHaveLength(32);
    expect(await protectionKey("secret-one")).toBe(key);
  });
});

/** A KV stand-in: a Map, with optional stale reads and failing writes. */
class FakeKv implements CounterStore {
  readonly values = new Map<string, string>();
  readonly writes: string[] = [];
  failWrites = false;
  staleReads = false;

  async get(key: string): Promise<string | null> {
    return this.staleReads ? null : (this.values.get(key) ?? null);
  }

  async put(key: string, value: string, options: { expirationTtl: number }): Promise<void> {
    if (this.failWrites) throw new Error("429 Too Many Requests");
    expect(options.expirationTtl).toBeGreaterThanOrEqual(60);
    this.values.set(key, value);
    this.writes.push(key);
  }
}

describe("rate counters", () => {
  const W = 60_000;
  const T = 1_800_000_000_000; // on a window boundary

  it("counts exactly to the limit, per bucket, and the tightest bucket sets the headers", () => {
    const counters = new RateCounters();
    const ip = { key: "hold:ip:1.2.3.4", limit: 5 };
    const user = { key: "hold:user:u1", limit: 3 };
    const seen = [1, 2, 3, 4].map((i) => counters.take([ip, user], W, T + i));
    expect(seen.map((d) => [d.allowed, d.limit, d.remaining])).toEqual([
      [true, 3, 2],
      [true, 3, 1],
      [true, 3, 0],
      [false, 3, 0],
    ]);
    expect(seen[3]!.resetAt).toBe(T + W);
    // The refused request counted against neither bucket: the IP has two left for someone else.
    expect(counters.take([ip], W, T + 5)).toMatchObject({ allowed: true, limit: 5, remaining: 1 });
    expect(counters.take([ip], W, T + 6)).toMatchObject({ allowed: true, remaining: 0 });
    expect(counters.take([ip], W, T + 7).allowed).toBe(false);
    // A new window starts from zero.
    expect(counters.take([ip, user], W, T + W)).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    expect(counters.usage(ip.key, W, T + W)).toBeCloseTo(1 / 5);
  });

  it("shares a counter through KV once it reaches its share, at most once per second per key", async () => {
    const kv = new FakeKv();
    const counters = new RateCounters({ shareFraction: 0.1 });
    const bucket = { key: "browse:ip:9.9.9.9", limit: 100 };
    for (let i = 0; i < 9; i++) counters.take([bucket], W, T + i);
    expect(counters.dueIn(T + 10)).toBeUndefined(); // 9 of 100: not worth a write yet
    counters.take([bucket], W, T + 10);
    expect(counters.dueIn(T + 10)).toBe(0);
    await counters.flush(kv, T + 10);
    expect(kv.values.get(`rl:browse:ip:9.9.9.9@${T}`)).toBe("10");
    counters.take([bucket], W, T + 20);
    expect(counters.dueIn(T + 20)).toBe(990);
    expect((await counters.flush(kv, T + 20)).written).toBe(0);
    await counters.flush(kv, T + 1010);
    expect(kv.values.get(`rl:browse:ip:9.9.9.9@${T}`)).toBe("11");
    expect(kv.writes).toHaveLength(2);
    expect(counters.dueIn(T + 1010)).toBeUndefined();
  });

  it("learns other isolates' counts from KV and adds its own to them", async () => {
    const kv = new FakeKv();
    const counters = new RateCounters();
    const bucket = { key: "hold:user:u2", limit: 10 };
    kv.values.set(`rl:hold:user:u2@${T}`, "7");
    counters.take([bucket], W, T);
    await counters.flush(kv, T);
    expect(kv.values.get(`rl:hold:user:u2@${T}`)).toBe("8");
    expect(counters.take([bucket], W, T + 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(counters.take([bucket], W, T + 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(counters.take([bucket], W, T + 3).allowed).toBe(false);
    expect(counters.usage(bucket.key, W, T + 3)).toBe(1);
  });

  it("never writes less than it knows of when a read is stale, and retries failed writes", async () => {
    const kv = new FakeKv();
    const counters = new RateCounters();
    const bucket = { key: "hold:user:u3", limit: 10 };
    counters.take([bucket], W, T);
    await counters.flush(kv, T);
    counters.take([bucket], W, T + 1);
    kv.staleReads = true;
    await counters.flush(kv, T + 1000);
    expect(kv.values.get(`rl:hold:user:u3@${T}`)).toBe("2");
    kv.staleReads = false;
    counters.take([bucket], W, T + 1001);
    kv.failWrites = true;
    expect(await counters.flush(kv, T + 2000)).toEqual({ written: 0, failed: 1 });
    kv.failWrites = false;
    expect(counters.dueIn(T + 2000)).toBe(1000);
    await counters.flush(kv, T + 3000);
    expect(kv.values.get(`rl:hold:user:u3@${T}`)).toBe("3");
  });

  it("writes the busiest keys first, a bounded number per flush", async () => {
    const kv = new FakeKv();
    const counters = new RateCounters({ maxKeysPerFlush: 2 });
    for (const [name, n] of [
      ["a", 1],
      ["b", 5],
      ["c", 3],
    ] as const) {
      for (let i = 0; i < n; i++) counters.take([{ key: name, limit: 10 }], W, T);
    }
    await counters.flush(kv, T);
    expect(kv.writes.sort()).toEqual([`rl:b@${T}`, `rl:c@${T}`]);
    expect(counters.dueIn(T)).toBe(0);
  });

  it("forgets ended windows, and the oldest clients under a flood of new ones", () => {
    const counters = new RateCounters({ maxEntries: 100 });
    for (let i = 0; i < 100; i++) counters.take([{ key: `old${i}`, limit: 10 }], W, T);
    counters.take([{ key: "new", limit: 10 }], W, T + W);
    expect(counters.size).toBe(1);
    for (let i = 0; i < 150; i++) counters.take([{ key: `c${i}`, limit: 10 }], W, T + W);
    expect(counters.size).toBeLessThanOrEqual(100);
    expect(counters.usage("c149", W, T + W)).toBeCloseTo(0.1);
  });
});
