import { unwrap } from "./errors";
import { roomFor } from "./rooms";

export interface SeatSnapshot {
  version: number;
  /** The JSON body of GET …/seats, exactly as the room serialized it. */
  body: string;
  /** Where it came from: this location's cache, or the room. */
  source: "hit" | "miss";
}

const VERSION_HEADER = "x-seat-version";

/** Cache key: event and section only, so that junk query parameters cannot bust it. */
function keyOf(origin: string, eventId: string, section: string | undefined): Request {
  const query = section ? `&section=${encodeURIComponent(section)}` : "";
  return new Request(`${origin}/api/v1/events/${encodeURIComponent(eventId)}/seats?__edge=seat-map${query}`);
}

/**
 * A seat-map snapshot for anyone (anonymous or signed in), from this location's cache when it is
 * at most `ttlSeconds` old and at least at `minVersion`, else from the room, which serializes once
 * per change. A shopper who must see their own hold asks with the version their hold produced, so
 * the room sees O(locations) reads a second plus those, never one per page view.
 */
export async function seatSnapshot(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  request: { origin: string; eventId: string; section?: string; minVersion?: number; ttlSeconds: number },
): Promise<SeatSnapshot> {
  const { origin, eventId, section, minVersion = 0, ttlSeconds } = request;
  const key = keyOf(origin, eventId, section);
  if (ttlSeconds > 0) {
    const cached = await caches.default.match(key);
    const version = Number(cached?.headers.get(VERSION_HEADER) ?? -1);
    if (cached && version >= minVersion) return { version, body: await cached.text(), source: "hit" };
    await cached?.body?.cancel();
  }
  const result = await roomFor(env, eventId).seatsJson(section);
  const { version, body } = unwrap(result);
  if (ttlSeconds > 0) {
    const copy = new Response(body, {
      headers: {
        "content-type": "application/json",
        "cache-control": `public, max-age=${ttlSeconds}`,
        [VERSION_HEADER]: String(version),
      },
    });
    ctx.waitUntil(caches.default.put(key, copy));
  }
  return { version, body, source: "miss" };
}

/** A strong validator from the event, section and version: no hash of a 3 MB body per read. */
export function seatEtag(eventId: string, section: string | undefined, version: number): string {
  let hash = 0x811c9dc5;
  for (const ch of `${eventId}/${section ?? ""}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `"${hash.toString(16).padStart(8, "0")}${version.toString(16)}"`;
}

/** If-None-Match against one strong tag (`*`, lists and weak prefixes as RFC 9110 says). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}
