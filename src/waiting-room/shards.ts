import { bucketOf } from "../domain/waiting-room/arithmetic";

/** A stable shard for a visitor: FNV-1a of the visitor id. */
export function shardOf(visitorId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < visitorId.length; i++) {
    hash ^= visitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/**
 * Counts a visitor's join in their shard (src/rooms/waiting-room-shard.ts, named `<eventId>#<index>`),
 * reached through its binding: the count is the key's bucket, never the visitor.
 */
export async function countJoin(env: Env, eventId: string, visitorId: string, key: number, shards: number) {
  const shard = shardOf(visitorId, shards);
  await env.QUEUE_SHARD.get(env.QUEUE_SHARD.idFromName(`${eventId}#${shard}`)).join(eventId, shard, bucketOf(key));
}

/** An account's join, counted once: the key of its first join, and whether this was a repeat. */
export async function joinOnce(
  env: Env,
  eventId: string,
  visitorId: string,
  key: number,
  shards: number,
): Promise<{ key: number; again: boolean }> {
  const shard = shardOf(visitorId, shards);
  return env.QUEUE_SHARD.get(env.QUEUE_SHARD.idFromName(`${eventId}#${shard}`)).joinOnce(
    eventId,
    shard,
    visitorId,
    key,
  );
}
