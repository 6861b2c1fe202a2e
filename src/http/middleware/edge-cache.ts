import { createMiddleware } from "hono/factory";
import { database } from "../../db/client";
import { catalogGeneration } from "../../db/events";
import type { AppEnv } from "../context";

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
  return `"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/**
 * Serves catalog reads from the Cache API of this location. The key carries the catalog's
 * generation (bumped in D1 by every organizer change), so a change is visible at once without
 * knowing which cached searches it touched. Every 200 gets an ETag; a matching If-None-Match, 304.
 */
export const edgeCache = (options: { sMaxAge: number }) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const generation = await catalogGeneration(database(c.env.DB));
    const url = new URL(c.req.url);
    url.searchParams.sort();
    url.searchParams.set("__generation", String(generation));
    const key = new Request(url.toString(), { method: "GET" });
    const cache = caches.default;

    let cached = await cache.match(key);
    if (!cached) {
      await next();
      if (c.res.status !== 200) return;
      const body = await c.res.arrayBuffer();
      const headers = new Headers(c.res.headers);
      headers.set("etag", await etagOf(body));
      headers.set("cache-control", `public, max-age=0, s-maxage=${options.sMaxAge}, must-revalidate`);
      cached = new Response(body, { status: 200, headers });
      c.executionCtx.waitUntil(cache.put(key, cached.clone()));
      c.res = undefined;
      c.res = new Response(body, { status: 200, headers });
    } else {
      c.res = new Response(cached.body, { status: 200, headers: new Headers(cached.headers) });
      c.header("x-cache", "hit");
    }
    const etag = c.res.headers.get("etag") ?? "";
    if (matchesEtag(c.req.header("if-none-match"), etag)) {
      const headers = new Headers(c.res.headers);
      headers.delete("content-type");
      headers.delete("content-length");
      c.res = undefined;
      c.res = new Response(null, { status: 304, headers });
    }
  });
