import {
  type DirtySet,
  type HoldArchive,
  type IdempotencyEntry,
  type InventoryCounters,
  RETENTION_MS,
} from "../domain/inventory";
import type { Hold, InventoryConfig } from "../domain/types";
import type { StoredDesk } from "../domain/waiting-room/desk";
import { KeyFilter } from "./key-filter";

export interface StoredRoom {
  config: InventoryConfig;
  queue: StoredDesk | undefined;
  holds: Hold[];
  keys: IdempotencyEntry[];
  counters: InventoryCounters;
}

/**
 * The room's schema, one step per version, applied in order and recorded in `room_meta`: a room
 * stored by an older build is brought forward when it loads, and no step runs twice.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS room_config (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS room_counters (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, json TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, json TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS room_queue (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS room_queue_shards (shard INTEGER PRIMARY KEY, json TEXT NOT NULL);`,
  // Ended holds and idempotency keys leave memory: the rows say what they are and when they go.
  `ALTER TABLE holds ADD COLUMN status TEXT;
   ALTER TABLE holds ADD COLUMN ended_at INTEGER;
   UPDATE holds SET status = json_extract(json, '$.status'), ended_at = json_extract(json, '$.endedAt');
   CREATE INDEX holds_by_status ON holds (status, ended_at);
   ALTER TABLE idempotency_keys ADD COLUMN expires_at INTEGER;
   UPDATE idempotency_keys SET expires_at = json_extract(json, '$.expiresAt');
   CREATE INDEX keys_by_expiry ON idempotency_keys (expires_at);`,
];

/** Rows past their replay window are deleted a batch at a time, at most this often. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 1000;

export class RoomStorage implements HoldArchive {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  private migrated = false;
  private keys: KeyFilter | undefined;

  /** The stored keys' filter, built from SQLite on first use after a start. */
  private keyFilter(now: number): KeyFilter {
    if (!this.keys) {
      this.keys = new KeyFilter(RETENTION_MS, now);
      for (const row of this.sql.exec<{ key: string }>("SELECT key FROM idempotency_keys WHERE expires_at > ?", now)) {
        this.keys.add(row.key, now);
      }
    }
    return this.keys;
  }
  private prunedAt = 0;

  /** Brings the tables to the newest schema (idempotent; cheap once done). */
  private migrate(): void {
    if (this.migrated) return;
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS room_meta (id INTEGER PRIMARY KEY CHECK (id = 1), schema_version INTEGER NOT NULL)",
    );
    const row = this.sql.exec<{ v: number }>("SELECT schema_version AS v FROM room_meta").toArray()[0];
    let version = row?.v ?? 0;
    if (version === 0) {
      // Rooms stored before room_meta existed already have the first step's tables.
      const old = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'holds'").toArray();
      if (old.length > 0) version = 1;
    }
    this.storage.transactionSync(() => {
      for (; version < MIGRATIONS.length; version++) this.sql.exec(MIGRATIONS[version]!);
      this.sql.exec("INSERT OR REPLACE INTO room_meta (id, schema_version) VALUES (1, ?)", version);
    });
    this.migrated = true;
  }

  /**
   * Reads back what memory needs (live and sold holds, the counters, the queue), or undefined for a
   * room that was never configured. Ended holds and idempotency keys stay on disk (`hold`, `key`).
   */
  load(): StoredRoom | undefined {
    const exists = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'room_config'").toArray();
    if (exists.length === 0) return undefined;
    this.migrate();
    const config = this.sql.exec<{ json: string }>("SELECT json FROM room_config").toArray()[0];
    if (!config) return undefined;
    const counters = this.sql.exec<{ json: string }>("SELECT json FROM room_counters").toArray()[0];
    const holds: Hold[] = [];
    for (const row of this.sql.exec<{ json: string }>(
      "SELECT json FROM holds WHERE status IN ('held', 'checkout', 'purchased')",
    )) {
      holds.push(JSON.parse(row.json) as Hold);
    }
    const keys: IdempotencyEntry[] = [];
    const queue = this.sql.exec<{ json: string }>("SELECT json FROM room_queue").toArray()[0];
    const shards: StoredDesk["shards"] = [];
    for (const row of this.sql.exec<{ shard: number; json: string }>("SELECT shard, json FROM room_queue_shards")) {
      shards.push([row.shard, JSON.parse(row.json) as Array<[number, number]>]);
    }
    return {
      config: JSON.parse(config.json) as InventoryConfig,
      queue: queue ? { ...(JSON.parse(queue.json) as Omit<StoredDesk, "shards">), shards } : undefined,
      holds,
      keys,
      counters: counters
        ? (JSON.parse(counters.json) as InventoryCounters)
        : { version: 0, holdsCreated: 0, holdsExpired: 0, holdsReleased: 0, holdsPurchased: 0, revenueCents: 0 },
    };
  }

  /** A hold that left memory (ended), by id. */
  hold(holdId: string): Hold | undefined {
    const row = this.sql.exec<{ json: string }>("SELECT json FROM holds WHERE id = ?", holdId).toArray()[0];
    return row ? (JSON.parse(row.json) as Hold) : undefined;
  }

  /** An idempotency entry still inside its replay window. */
  key(key: string, now: number): IdempotencyEntry | undefined {
    if (!this.keyFilter(now).mightHave(key)) return undefined;
    const row = this.sql
      .exec<{ json: string }>("SELECT json FROM idempotency_keys WHERE key = ? AND expires_at > ?", key, now)
      .toArray()[0];
    return row ? (JSON.parse(row.json) as IdempotencyEntry) : undefined;
  }

  /** Deletes a batch of ended holds and keys past the replay window; at most every PRUNE_EVERY_MS. */
  prune(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    const before = now - RETENTION_MS;
    this.sql.exec(
      `DELETE FROM holds WHERE id IN (SELECT id FROM holds WHERE status IN ('expired', 'released') AND ended_at < ? LIMIT ${PRUNE_BATCH})`,
      before,
    );
    this.sql.exec(
      `DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys WHERE expires_at < ? LIMIT ${PRUNE_BATCH})`,
      now,
    );
  }

  saveConfig(config: InventoryConfig): void {
    this.migrate();
    this.sql.exec("INSERT OR REPLACE INTO room_config (id, json) VALUES (1, ?)", JSON.stringify(config));
  }

  /** The admission state, and the histograms of the shards that reported since the last save. */
  saveQueue(changes: { admission: Omit<StoredDesk, "shards">; shards: StoredDesk["shards"] }): void {
    this.sql.exec("INSERT OR REPLACE INTO room_queue (id, json) VALUES (1, ?)", JSON.stringify(changes.admission));
    for (const [shard, entries] of changes.shards) {
      this.sql.exec(
        "INSERT OR REPLACE INTO room_queue_shards (shard, json) VALUES (?, ?)",
        shard,
        JSON.stringify(entries),
      );
    }
  }

  /** Writes one batch of changes; called once per group commit. */
  write(dirty: DirtySet): void {
    this.storage.transactionSync(() => {
      for (const hold of dirty.holds) {
        this.sql.exec(
          "INSERT OR REPLACE INTO holds (id, status, ended_at, json) VALUES (?, ?, ?, ?)",
          hold.holdId,
          hold.status,
          hold.endedAt ?? null,
          JSON.stringify(hold),
        );
      }
      for (const entry of dirty.idempotency) {
        this.keys?.add(entry.key, entry.expiresAt - RETENTION_MS);
        this.sql.exec(
          "INSERT OR REPLACE INTO idempotency_keys (key, expires_at, json) VALUES (?, ?, ?)",
          entry.key,
          entry.expiresAt,
          JSON.stringify(entry),
        );
      }
      for (const id of dirty.forgottenHolds) this.sql.exec("DELETE FROM holds WHERE id = ?", id);
      for (const key of dirty.forgottenKeys) this.sql.exec("DELETE FROM idempotency_keys WHERE key = ?", key);
      this.sql.exec("INSERT OR REPLACE INTO room_counters (id, json) VALUES (1, ?)", JSON.stringify(dirty.counters));
      if (dirty.config) this.saveConfig(dirty.config);
    });
  }
}
