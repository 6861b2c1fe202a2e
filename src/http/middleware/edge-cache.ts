import { etag, RETAINED_304_HEADERS } from "hono/etag";
import { createMiddleware } from "hono/factory";
import { database } from "../../db/client";
import { catalogGeneration } from "../../db/events";
import type { AppEnv } from "../context";

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  return `"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/**
 * Serves catalog reads from the Cache API of this location. The key carries the catalog's
 * generation (bumped in D1 by every organizer change), so a change is visible at once without
 * knowing which cached searches it touched. The cached copy carries its ETag (hashed once, when
 * stored); `hono/etag` answers a matching If-None-Match with 304.
 */
export const edgeCache = (options: { sMaxAge: number }) => {
  const revalidate = etag({ retainedHeaders: [...RETAINED_304_HEADERS, "x-cache"] });
  const cached = createMiddleware<AppEnv>(async (c, next) => {
    const generation = await catalogGeneration(database(c.env.DB));
    const url = new URL(c.req.url);
    url.searchParams.sort();
    url.searchParams.set("__generation", String(generation));
    const key = new Request(url.toString(), { method: "GET" });
    const cache = caches.default;

    const hit = await cache.match(key);
    if (hit) {
      c.res = new Response(hit.body, { status: 200, headers: new Headers(hit.headers) });
      c.header("x-cache", "hit");
      return;
    }
    await next();
    if (c.res.status !== 200) return;
    const body = await c.res.arrayBuffer();
    const headers = new Headers(c.res.headers);
    headers.set("etag", await etagOf(body));
    headers.set("cache-control", `public, max-age=0, s-maxage=${options.sMaxAge}, must-revalidate`);
    c.executionCtx.waitUntil(cache.put(key, new Response(body, { status: 200, headers })));
    c.res = undefined;
    c.res = new Response(body, { status: 200, headers });
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    await revalidate(c, async () => {
      await cached(c, next);
    });
  });
};
