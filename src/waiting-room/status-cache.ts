import { roomFor } from "../bindings";
import type { Result } from "../domain/result";
import type { QueueStatus } from "../domain/waiting-room/desk";

const TTL_MS = 1000;
const memory = new Map<string, { status: QueueStatus; until: number }>();

/**
 * The room's queue status as this location sees it, at most about a second old: this isolate's
 * copy, else the location's Cache API copy, else one RPC to the room. However many visitors
 * poll, the room answers O(locations) of these per second.
 */
export async function queueStatus(env: Env, ctx: ExecutionContext, eventId: string): Promise<Result<QueueStatus>> {
  const now = Date.now();
  const held = memory.get(eventId);
  if (held && held.until > now) return { ok: true, value: held.status };

  const key = cacheKey(eventId);
  const cache = caches.default;
  const cached = await cache.match(key);
  if (cached) {
    const status = (await cached.json()) as QueueStatus;
    if (status.at + TTL_MS > now) {
      memory.set(eventId, { status, until: status.at + TTL_MS });
      return { ok: true, value: status };
    }
  }
  const fresh = await roomFor(env, eventId).queueStatus();
  if (!fresh.ok) return fresh;
  const status = fresh.value as QueueStatus;
  memory.set(eventId, { status, until: now + TTL_MS });
  ctx.waitUntil(
    cache.put(key, new Response(JSON.stringify(status), { headers: { "cache-control": `s-maxage=${TTL_MS / 1000}` } })),
  );
  return { ok: true, value: status };
}

const cacheKey = (eventId: string) => new Request(`https://queue-status.internal/${encodeURIComponent(eventId)}`);

/** Drops this location's copies (tests use it in place of waiting a second). */
export async function forgetQueueStatus(eventId: string): Promise<void> {
  memory.delete(eventId);
  await caches.default.delete(cacheKey(eventId));
}
