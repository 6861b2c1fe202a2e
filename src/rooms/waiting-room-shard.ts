import { DurableObject } from "cloudflare:workers";
import { roomFor } from "../bindings";
import { bucketOf, Histogram } from "../domain/waiting-room/arithmetic";
import { GroupCommit } from "./group-commit";

const REPORT_EVERY_MS = 1000;

/**
 * One of an event's waiting-room shards: counts joins per key bucket (never visitors) and sends its
 * whole histogram to the EventRoom about once a second, so the room sees O(shards) requests
 * whatever the crowd. Named `<eventId>#<index>` (src/waiting-room/shards.ts). The class keeps the
 * name `QueueShard`: wrangler.toml's binding and Durable Object migrations know it by that name.
 */
export class QueueShard extends DurableObject<Env> {
  private histogram = new Histogram();
  private dirtyBuckets = new Set<number>();
  private eventId: string | undefined;
  private index = 0;
  private reportArmed = false;
  private readonly committer: GroupCommit;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.committer = new GroupCommit(
      () => this.flush(),
      () => ctx.storage.sync(),
    );
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`
        CREATE TABLE IF NOT EXISTS buckets (bucket INTEGER PRIMARY KEY, count INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS shard (id INTEGER PRIMARY KEY CHECK (id = 1), event_id TEXT NOT NULL, idx INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS members (visitor TEXT PRIMARY KEY, key INTEGER NOT NULL);
      `);
      for (const row of ctx.storage.sql.exec<{ bucket: number; count: number }>("SELECT bucket, count FROM buckets")) {
        this.histogram.add(row.bucket, row.count);
      }
      const me = ctx.storage.sql
        .exec<{ event_id: string; idx: number }>("SELECT event_id, idx FROM shard")
        .toArray()[0];
      if (me) {
        this.eventId = me.event_id;
        this.index = me.idx;
      }
    });
  }

  /** Counts one join in its key's bucket; durable before the reply, reported within a second. */
  async join(eventId: string, index: number, bucket: number): Promise<void> {
    if (this.eventId === undefined) {
      this.eventId = eventId;
      this.index = index;
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO shard (id, event_id, idx) VALUES (1, ?, ?)", eventId, index);
    }
    this.histogram.add(bucket);
    this.dirtyBuckets.add(bucket);
    await this.committer.commit();
  }

  /**
   * An account's join: its first one draws the place (`key`) and counts it; any later one answers
   * that same key and counts nothing, so joining 50 times is one place, not the best of 50 draws.
   * One row per account that joined (anonymous joins stay uncounted per visitor).
   */
  async joinOnce(
    eventId: string,
    index: number,
    visitor: string,
    key: number,
  ): Promise<{ key: number; again: boolean }> {
    const known = this.ctx.storage.sql
      .exec<{ key: number }>("SELECT key FROM members WHERE visitor = ?", visitor)
      .toArray()[0];
    if (known) return { key: known.key, again: true };
    this.ctx.storage.sql.exec("INSERT INTO members (visitor, key) VALUES (?, ?)", visitor, key);
    await this.join(eventId, index, bucketOf(key));
    return { key, again: false };
  }

  async counts(): Promise<{ buckets: number; joined: number }> {
    return { buckets: this.histogram.counts.size, joined: this.histogram.total };
  }

  override async alarm(): Promise<void> {
    this.reportArmed = false;
    if (this.eventId === undefined) return;
    // A failed report throws: the alarm is retried, and the next report carries everything.
    await roomFor(this.env, this.eventId).reportQueue(this.index, this.histogram.sorted());
  }

  private flush(): void {
    if (this.dirtyBuckets.size === 0) return;
    for (const bucket of this.dirtyBuckets) {
      this.ctx.storage.sql.exec(
        "INSERT OR REPLACE INTO buckets (bucket, count) VALUES (?, ?)",
        bucket,
        this.histogram.counts.get(bucket) ?? 0,
      );
    }
    this.dirtyBuckets.clear();
    if (!this.reportArmed) {
      this.reportArmed = true;
      this.ctx.storage.setAlarm(Date.now() + REPORT_EVERY_MS).catch(() => this.ctx.abort("could not arm the report"));
    }
  }
}
