import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ChallengeOffer, Clearance } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { BASE, json } from "./helpers";

/**
 * Requests to the whole Worker with the edge's protections switched on for them only (the rest of
 * the suite runs with them off), as a browser or as curl, from addresses of the test's own.
 */

export const PROTECTED = {
  RATE_LIMIT_MODE: "enforce",
  BOT_CHALLENGE: "on",
  POW_DIFFICULTY: "8",
  SEAT_MAP_CACHE_SECONDS: "1",
};

export const BROWSER = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "accept-language": "de-DE,de;q=0.9,en;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  cookie: "theme=dark",
};
export const CURL = { "user-agent": "curl/8.5.0", accept: "*/*" };

/** Fresh client addresses, `first.x.y.z`: each test file counts under a first octet of its own. */
export function addresses(first: number): () => string {
  let n = 0;
  return () => {
    n++;
    return `${first}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
}

export interface EdgeCall {
  ip: string;
  as?: Record<string, string>;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  vars?: Record<string, string>;
}

/** The Worker's fetch with protection on, from `ip`, looking like `as` (a browser by default). */
export async function edge(method: string, path: string, options: EdgeCall): Promise<Response> {
  const headers = new Headers({ ...(options.as ?? BROWSER), ...options.headers });
  headers.set("cf-connecting-ip", options.ip);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${BASE}${path}`, { method, headers, body }),
    { ...env, ...PROTECTED, ...options.vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** Brute force, as a client would: SHA-256(`${nonce}:${n}`) must start with `difficulty` zero bits. */
export async function solve(nonce: string, difficulty: number): Promise<string> {
  for (let n = 0; ; n++) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${nonce}:${n}`)));
    let zeros = 0;
    for (const byte of digest) {
      if (byte === 0) {
        zeros += 8;
        continue;
      }
      zeros += Math.clz32(byte) - 24;
      break;
    }
    if (zeros >= difficulty) return String(n);
  }
}

export async function clearanceFor(ip: string, as: Record<string, string>): Promise<string> {
  const { challenge } = await json(await edge("GET", "/api/v1/challenge", { ip, as }), ChallengeOffer);
  const solution = await solve(challenge.nonce, challenge.difficulty);
  const response = await edge("POST", "/api/v1/challenge", { ip, as, body: { token: challenge.token, solution } });
  expect(response.status).toBe(200);
  return (await json(response, Clearance)).clearance;
}

export const holdPath = (eventId: string) => `/api/v1/events/${eventId}/holds`;

export function expectRateHeaders(response: Response, limit: number): void {
  expect(response.headers.get("ratelimit-limit")).toBe(String(limit));
  expect(Number(response.headers.get("ratelimit-remaining"))).toBeGreaterThanOrEqual(0);
  const reset = Number(response.headers.get("ratelimit-reset"));
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
}
