import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type ProtectionConfig, ROUTE_CLASSES, type RouteClass } from "../../protection/config";
import type { Bucket, CounterStore, Decision } from "../../protection/rate-counters";
import { secondsUntil } from "../../protection/window";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { clientOf, protectionOf } from "./edge-client";
import { type GuardOptions, isolateProtection, type ProtectionState } from "./protection-state";
import type { Logger } from "./request-context";

/** The runtime cancels waitUntil work 30 s after the response: a loop older than this is gone. */
const FLUSH_LOOP_LOST_MS = 35_000;
/** A Worker invocation may make about 1,000 KV calls; a pass makes at most 200. */
const MAX_FLUSH_PASSES = 4;

const ipBucket = (routeClass: RouteClass, ipKey: string) => `${routeClass}:ip:${ipKey}`;

/** How close this address is to any of its per-IP limits (0-1+), for the bot score. */
export function ipPressure(state: ProtectionState, ipKey: string, config: ProtectionConfig, now: number): number {
  const windowMs = config.windowSeconds * 1000;
  return Math.max(...ROUTE_CLASSES.map((cls) => state.counters.usage(ipBucket(cls, ipKey), windowMs, now)));
}

function headersOf(decision: Decision, config: ProtectionConfig, now: number): Record<string, string> {
  return {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(secondsUntil(decision.resetAt, now)),
    "ratelimit-policy": `${decision.limit};w=${config.windowSeconds}`,
  };
}

/** Writes what this isolate counted to KV: a few passes, one per second at most, off the request path. */
async function flushLoop(state: ProtectionState, store: CounterStore, firstDelay: number, log: Logger): Promise<void> {
  try {
    let delay: number | undefined = firstDelay;
    for (let pass = 0; delay !== undefined && pass < MAX_FLUSH_PASSES; pass++) {
      if (delay > 0) await state.wait(delay);
      const { failed } = await state.counters.flush(store, state.now());
      if (failed > 0) log("warn", "rate-limit counters not written to KV; retrying", { failed });
      delay = state.counters.dueIn(state.now());
    }
  } finally {
    state.flushingSince = 0;
  }
}

function scheduleFlush(state: ProtectionState, c: Context<AppEnv>, now: number): void {
  if (state.flushingSince !== 0 && now - state.flushingSince < FLUSH_LOOP_LOST_MS) return;
  const delay = state.counters.dueIn(now);
  if (delay === undefined) return;
  state.flushingSince = now;
  c.executionCtx.waitUntil(flushLoop(state, state.store(c.env), delay, c.var.log));
}

function setHeaders(response: Response, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  } catch {
    // Immutable headers (a response passed through as is): the limit still applied.
  }
}

/**
 * Rate limits per route class: per client IP always, per user as well when the request carries
 * a valid user token. Fixed windows; answers 429 RATE_LIMITED with `Retry-After`, and puts
 * `RateLimit-Limit`, `-Remaining`, `-Reset` (and `-Policy`) on every response it lets through.
 * RATE_LIMIT_MODE=off skips it. `state` holds the counters and the clock (default: the isolate's).
 */
export const rateLimit = ({ routeClass, state = isolateProtection }: GuardOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.settings.rateLimitsEnforced) return next();
    const config = protectionOf(c);
    const limits = config.limits[routeClass];
    const client = clientOf(c);
    const buckets: Bucket[] = [{ key: ipBucket(routeClass, client.ipKey), limit: limits.ip }];
    if (limits.user !== undefined) {
      const user = await client.user();
      if (user) buckets.push({ key: `${routeClass}:user:${user.id}`, limit: limits.user });
    }
    const now = state.now();
    const decision = state.counters.take(buckets, config.windowSeconds * 1000, now);
    scheduleFlush(state, c, now);
    const headers = headersOf(decision, config, now);
    if (!decision.allowed) {
      const retryAfter = headers["ratelimit-reset"]!;
      throw new ApiError(
        "RATE_LIMITED",
        `Too many requests: at most ${decision.limit} every ${config.windowSeconds} s. Try again in ${retryAfter} s.`,
        { limit: decision.limit, retryAfterSeconds: Number(retryAfter) },
        { ...headers, "retry-after": retryAfter },
      );
    }
    await next();
    setHeaders(c.res, headers);
  });
