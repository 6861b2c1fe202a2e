import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { clientOf, protectionOf } from "./edge-client";

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  return `"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header || !etag) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/** Replaces a 200 with a copy that carries an ETag and the given Cache-Control. */
async function tagged(c: Context<AppEnv>, cacheControl: string): Promise<Response> {
  const body = await c.res.arrayBuffer();
  const headers = new Headers(c.res.headers);
  headers.set("etag", await etagOf(body));
  headers.set("cache-control", cacheControl);
  return new Response(body, { status: 200, headers });
}

function notModified(c: Context<AppEnv>): void {
  if (c.res.status !== 200 || !matchesEtag(c.req.header("if-none-match"), c.res.headers.get("etag") ?? "")) return;
  const headers = new Headers(c.res.headers);
  headers.delete("content-type");
  headers.delete("content-length");
  c.res = undefined;
  c.res = new Response(null, { status: 304, headers });
}

/**
 * The seat-map snapshot through the Cache API, at most `maxAgeSeconds` (and SEAT_MAP_CACHE_SECONDS)
 * old, keyed by event and section only, so that junk query parameters cannot bust it. Anonymous
 * readers (the on-sale's refreshers) share the cached copy; a request with a valid user token or
 * session goes to the room, so that whoever can hold reads their own writes without a purge on
 * the hot path (and is held to a per-user rate limit). Every 200 has an ETag; If-None-Match, 304.
 */
export const seatMapCache = (options: { maxAgeSeconds: number }) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const ttl = Math.min(options.maxAgeSeconds, protectionOf(c).seatMapCacheSeconds);
    if (ttl <= 0 || (await clientOf(c).user())) {
      await next();
      if (c.res.status === 200) {
        const live = await tagged(c, "private, no-cache");
        live.headers.set("x-cache", "bypass");
        c.res = undefined;
        c.res = live;
      }
      notModified(c);
      return;
    }
    const url = new URL(c.req.url);
    const section = url.searchParams.get("section");
    const key = new Request(
      `${url.origin}/api/v1/events/${encodeURIComponent(c.req.param("eventId") ?? "")}/seats?__edge=seat-map${section ? `&section=${encodeURIComponent(section)}` : ""}`,
    );
    const cache = caches.default;
    const cached = await cache.match(key);
    if (cached) {
      c.res = undefined;
      c.res = new Response(cached.body, { status: 200, headers: new Headers(cached.headers) });
      c.res.headers.set("x-cache", "hit");
    } else {
      await next();
      if (c.res.status === 200) {
        const fresh = await tagged(c, `public, max-age=0, s-maxage=${ttl}, must-revalidate`);
        c.executionCtx.waitUntil(cache.put(key, fresh.clone()));
        c.res = undefined;
        c.res = fresh;
        c.res.headers.set("x-cache", "miss");
      }
    }
    notModified(c);
  });
