import { unwrap } from "./errors";
import { askEveryRoom, askRoomOf, knownPlan } from "./room-split";

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
  // A split event's whole map adds up its rooms' versions, which a hold's own room version cannot
  // be compared with: a shopper who asks for their own hold gets the rooms' current maps.
  const ownHold = minVersion > 0 && section === undefined && knownPlan(eventId) !== null;
  if (ttlSeconds > 0 && !ownHold) {
    const cached = await caches.default.match(key);
    const version = Number(cached?.headers.get(VERSION_HEADER) ?? -1);
    if (cached && version >= minVersion) return { version, body: await cached.text(), source: "hit" };
    await cached?.body?.cancel();
  }
  const { version, body } = await fromRooms(env, eventId, section);
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

/** The room's seat map; for an event split by section without `section`, its rooms' maps as one. */
async function fromRooms(env: Env, eventId: string, section: string | undefined) {
  if (section !== undefined) return unwrap(await askRoomOf(env, eventId, [section], (room) => room.seatsJson(section)));
  const maps = unwrap(await askEveryRoom(env, eventId, (room) => room.seatsJson()));
  if (maps.length === 1) return maps[0]!;
  // Each body is the room's `{"eventId":…,"version":…,"sections":[…]}`; their sections, in plan order.
  const version = maps.reduce((n, m) => n + m.version, 0);
  const sections = maps.map((m) => sectionsOf(m.body)).filter((s) => s.length > 0);
  return {
    version,
    body: `{"eventId":${JSON.stringify(eventId)},"version":${version},"sections":[${sections.join(",")}]}`,
  };
}

/** The inside of a room body's `"sections":[…]` (an event id cannot contain the marker). */
function sectionsOf(body: string): string {
  const marker = '"sections":[';
  return body.slice(body.indexOf(marker) + marker.length, body.lastIndexOf("]"));
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
