/** Fixed-window arithmetic for the rate limiter. Times in milliseconds since the epoch. */

export interface Window {
  start: number;
  end: number;
}

export function windowAt(now: number, windowMs: number): Window {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

/** Whole seconds until the window ends, at least 1 (for `Retry-After` and `RateLimit-Reset`). */
export function secondsUntil(end: number, now: number): number {
  return Math.max(1, Math.ceil((end - now) / 1000));
}

/** KV refuses a TTL under 60 s; a key lives at least until its window ends. */
export function kvTtlSeconds(end: number, now: number): number {
  return Math.max(60, Math.ceil((end - now) / 1000));
}
