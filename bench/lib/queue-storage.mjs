// bench:queue's storage figures: the waiting room's Durable Object SQLite files (the EventRoom's
// and the QueueShards'), read from copies, grouped by event.
import { durableObjectFiles, queryCopy } from "./do-storage.mjs";

const BUCKET_MS = 1000; // src/domain/waiting-room/arithmetic.ts

// ------------------------------------------------------------------------------------ storage

/** Visitors below `key` in a sorted [bucket, count] histogram (src/domain/waiting-room/arithmetic.ts, countBelow). */
function countBelow(sorted, key) {
  let n = 0;
  for (const [bucket, count] of sorted) {
    if (bucket + BUCKET_MS <= key) n += count;
    else if (bucket < key) n += (count * (key - bucket)) / BUCKET_MS;
    else break;
  }
  return n;
}

/**
 * The Durable Objects' files, grouped by event through the name each object was addressed by
 * (miniflare keeps it in `__miniflare_do_name`): the room is named `<eventId>`, shards `<eventId>#<i>`.
 */
export async function storage(persistTo, eventIds) {
  const files = durableObjectFiles(persistTo);
  const byEvent = Object.fromEntries(eventIds.map((id) => [id, { room: undefined, shards: [] }]));
  const unattributed = [];
  let readable = true;
  const pages = "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()";
  const metadata = {};
  for (const f of files) {
    if (f.file === "metadata.sqlite") {
      // miniflare's per-class bookkeeping (the _cf_ALARM table), not an object's storage
      metadata[f.className] = f.bytes;
      continue;
    }
    const isShard = f.className === "QueueShard";
    const q = await queryCopy(f.path, {
      name: "SELECT name FROM __miniflare_do_name",
      pages,
      ...(isShard
        ? {
            me: "SELECT event_id AS eventId, idx FROM shard",
            buckets: "SELECT count(*) AS buckets, coalesce(sum(count), 0) AS joined FROM buckets",
          }
        : {
            queue: "SELECT json FROM room_queue",
            // One row per shard: the room stores each shard's latest report on its own.
            shards: "SELECT shard, json FROM room_queue_shards",
            holds: "SELECT count(*) AS n FROM holds",
            keys: "SELECT count(*) AS n FROM idempotency_keys",
            tables: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
          }),
    });
    if (!q) readable = false;
    const name = Array.isArray(q?.name) ? q.name[0]?.name : undefined;
    const eventId = name?.split("#")[0];
    const base = { file: f.file, name, bytes: f.bytes, pageBytes: q?.pages?.[0]?.bytes ?? null };
    if (!byEvent[eventId]) {
      unattributed.push({ className: f.className, ...base });
      continue;
    }
    if (isShard) {
      byEvent[eventId].shards.push({
        ...base,
        shard: q?.me?.[0]?.idx ?? null,
        buckets: q?.buckets?.[0]?.buckets ?? null,
        joined: q?.buckets?.[0]?.joined ?? null,
      });
      continue;
    }
    const queueJson = q?.queue?.[0]?.json;
    const stored = queueJson ? JSON.parse(queueJson) : undefined;
    const desk = stored && { ...stored, shards: (q?.shards ?? []).map((row) => [row.shard, JSON.parse(row.json)]) };
    const merged = new Map();
    let deskBuckets = 0;
    for (const [, entries] of desk?.shards ?? []) {
      deskBuckets += entries.length;
      for (const [bucket, count] of entries) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
    }
    const sorted = [...merged].sort((a, b) => a[0] - b[0]);
    const mark = desk?.admission?.mark ?? 0;
    byEvent[eventId].room = {
      ...base,
      tables: (q?.tables ?? []).map((t) => t.name),
      queueJsonBytes:
        (queueJson ? Buffer.byteLength(queueJson) : 0) +
        (q?.shards ?? []).reduce((n, row) => n + Buffer.byteLength(row.json), 0),
      shardsReported: desk?.shards?.length ?? 0,
      shardBuckets: deskBuckets,
      mergedBuckets: sorted.length,
      joined: sorted.reduce((n, [, c]) => n + c, 0),
      admitted: Math.round(countBelow(sorted, mark + 1)),
      marksKept: desk?.admission?.marks?.length ?? 0,
      admissionsKept: desk?.admission?.admissions?.length ?? 0,
      holdRows: q?.holds?.[0]?.n ?? null,
      idempotencyRows: q?.keys?.[0]?.n ?? null,
    };
  }
  const perEvent = {};
  for (const [eventId, { room, shards }] of Object.entries(byEvent)) {
    const sum = (xs, pick) => xs.reduce((n, x) => n + (pick(x) ?? 0), 0);
    const bytes = (pick) => ({
      room: room ? pick(room) : null,
      shards: sum(shards, pick),
      total: (room ? pick(room) : 0) + sum(shards, pick),
    });
    perEvent[eventId] = {
      fileBytes: bytes((x) => x.bytes.total),
      dbFileBytes: bytes((x) => x.bytes.db),
      walBytes: bytes((x) => x.bytes.wal),
      pageBytes: bytes((x) => x.pageBytes ?? 0),
      shardFiles: shards.length,
      shardBuckets: sum(shards, (s) => s.buckets),
      shardJoined: sum(shards, (s) => s.joined),
      room,
      shards: shards.sort((a, b) => (a.shard ?? 0) - (b.shard ?? 0)),
    };
  }
  const classTotals = {};
  for (const f of files.filter((x) => x.file !== "metadata.sqlite")) {
    classTotals[f.className] ??= { files: 0, bytes: 0, dbBytes: 0, walBytes: 0 };
    classTotals[f.className].files++;
    classTotals[f.className].bytes += f.bytes.total;
    classTotals[f.className].dbBytes += f.bytes.db;
    classTotals[f.className].walBytes += f.bytes.wal;
  }
  return {
    readable,
    perEvent,
    classTotals,
    metadata,
    unattributed,
    layout: [...new Set(files.map((f) => f.dir))],
  };
}
