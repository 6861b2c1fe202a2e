import type { DirtySet, IdempotencyEntry, InventoryCounters } from "../domain/inventory";
import type { StoredDesk } from "../domain/queue-desk";
import type { Hold, InventoryConfig } from "../domain/types";

export interface StoredRoom {
  config: InventoryConfig;
  queue: StoredDesk | undefined;
  holds: Hold[];
  keys: IdempotencyEntry[];
  counters: InventoryCounters;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS room_config (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS room_counters (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS room_queue (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS room_queue_shards (shard INTEGER PRIMARY KEY, json TEXT NOT NULL);
`;

/**
 * The EventRoom's SQLite tables. Rows are JSON documents keyed by id: the room reads them only
 * once, at start, and rebuilds its indexes in memory, so the schema serves writes, not queries.
 */
export class RoomStorage {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  /** Reads everything back, or undefined for a room that was never configured (no tables yet). */
  load(): StoredRoom | undefined {
    const exists = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'room_config'").toArray();
    if (exists.length === 0) return undefined;
    const config = this.sql.exec<{ json: string }>("SELECT json FROM room_config").toArray()[0];
    if (!config) return undefined;
    const counters = this.sql.exec<{ json: string }>("SELECT json FROM room_counters").toArray()[0];
    const holds: Hold[] = [];
    for (const row of this.sql.exec<{ json: string }>("SELECT json FROM holds")) {
      holds.push(JSON.parse(row.json) as Hold);
    }
    const keys: IdempotencyEntry[] = [];
    for (const row of this.sql.exec<{ json: string }>("SELECT json FROM idempotency_keys")) {
      keys.push(JSON.parse(row.json) as IdempotencyEntry);
    }
    this.sql.exec(SCHEMA);
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

  saveConfig(config: InventoryConfig): void {
    this.sql.exec(SCHEMA);
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
        this.sql.exec("INSERT OR REPLACE INTO holds (id, json) VALUES (?, ?)", hold.holdId, JSON.stringify(hold));
      }
      for (const entry of dirty.idempotency) {
        this.sql.exec(
          "INSERT OR REPLACE INTO idempotency_keys (key, json) VALUES (?, ?)",
          entry.key,
          JSON.stringify(entry),
        );
      }
      for (const id of dirty.forgottenHolds) this.sql.exec("DELETE FROM holds WHERE id = ?", id);
      for (const key of dirty.forgottenKeys) this.sql.exec("DELETE FROM idempotency_keys WHERE key = ?", key);
      this.sql.exec("INSERT OR REPLACE INTO room_counters (id, json) VALUES (1, ?)", JSON.stringify(dirty.counters));
    });
  }
}
