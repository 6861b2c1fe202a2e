import {
  type AdmissionState,
  activeShoppers,
  admit,
  BUCKET_MS,
  countBelow,
  Histogram,
  merge,
  newAdmissionState,
  type QueueSettings,
} from "./arithmetic";

/** What the room publishes for the edge to answer polls with: small, and the same for everyone. */
export interface QueueStatus {
  eventId: string;
  mode: QueueSettings["mode"];
  /** Whether holds need an access token right now. */
  active: boolean;
  opensAt: number;
  prequeueMs: number;
  accessMs: number;
  admitPerMinute: number;
  mark: number;
  /** Key buckets above the mark, [bucketStart, visitors], ascending. */
  buckets: Array<[number, number]>;
  joined: number;
  admitted: number;
  waiting: number;
  /** Admissions per minute measured over the last minute. */
  measuredPerMinute: number;
  activeShoppers: number;
  soldOut: boolean;
  selling: boolean;
  marks: Array<[number, number]>;
  at: number;
}

export interface StoredDesk {
  shards: Array<[number, Array<[number, number]>]>;
  admission: AdmissionState;
  autoActive: boolean;
}

/**
 * The room's side of the waiting room: the shards' latest histograms, the admission mark and its
 * history. Pure state; the EventRoom persists `drainChanges()` and ticks it from its alarm.
 */
export class QueueDesk {
  private shards = new Map<number, Histogram>();
  private admission: AdmissionState = newAdmissionState();
  private autoActive = false;
  private lastAutoCheckAt = Number.NEGATIVE_INFINITY;
  private sortedCache: Array<[number, number]> | undefined;
  private readonly changedShards = new Set<number>();

  constructor(
    private settings: QueueSettings,
    stored?: StoredDesk,
  ) {
    if (stored) {
      for (const [shard, entries] of stored.shards) this.shards.set(shard, Histogram.from(entries));
      this.admission = stored.admission;
      this.autoActive = stored.autoActive;
    }
  }

  reconfigure(settings: QueueSettings): void {
    this.settings = settings;
  }

  get mode(): QueueSettings["mode"] {
    return this.settings.mode;
  }

  /**
   * A shard's whole histogram replaces its previous report: reports are idempotent. Buckets
   * wholly below the mark are folded into one at key 0 (below every real key), so the room keeps
   * only the waiting part of the queue, while counts below any later mark stay exact.
   */
  report(shard: number, entries: Array<[number, number]>): void {
    const histogram = new Histogram();
    for (const [bucket, count] of entries) {
      histogram.add(bucket + BUCKET_MS <= this.admission.mark ? 0 : bucket, count);
    }
    this.shards.set(shard, histogram);
    this.changedShards.add(shard);
    this.sortedCache = undefined;
  }

  isActive(): boolean {
    if (this.settings.mode === "off") return false;
    if (this.settings.mode === "always") return true;
    return this.autoActive;
  }

  recordPurchase(now: number): void {
    if (this.isActive()) this.admission.purchases.push(now);
  }

  /**
   * Advances admission; `holders` is how many people hold seats right now (for auto mode, which
   * opens the queue when they reach maxActive and closes it once the queue has drained below it).
   */
  tick(now: number, soldOut: boolean, holders: number): number {
    if (this.settings.mode === "auto") {
      const waiting = this.waitingCount();
      if (!this.autoActive && holders >= this.settings.maxActive) this.autoActive = true;
      else if (this.autoActive && waiting === 0 && holders < this.settings.maxActive) this.autoActive = false;
    }
    if (!this.isActive()) return 0;
    return admit(this.admission, this.sorted(), this.settings, now, soldOut);
  }

  /**
   * When the next tick is due, if the queue has anything to do: nothing while it is off (an `auto`
   * queue is switched on as holds arrive, not by polling) or sold out (seats that come back re-arm
   * it), and nothing once nobody waits.
   */
  nextTick(now: number, soldOut = false): number | undefined {
    if (!this.isActive()) return undefined;
    if (now < this.settings.opensAt) return this.settings.opensAt;
    if (soldOut) return undefined;
    return this.waitingCount() > 0 ? Math.max(now, this.admission.lastTickAt + 1000) : undefined;
  }

  /** An `auto` queue that is off checks, at most once a second as holds arrive, whether to switch on. */
  shouldCheckAuto(now: number): boolean {
    if (this.settings.mode !== "auto" || this.autoActive || now - this.lastAutoCheckAt < 1000) return false;
    this.lastAutoCheckAt = now;
    return true;
  }

  status(eventId: string, now: number, soldOut: boolean, selling: boolean): QueueStatus {
    const sorted = this.sorted();
    const mark = this.admission.mark;
    const joined = sorted.reduce((n, [, c]) => n + c, 0);
    const admitted = Math.round(countBelow(sorted, mark + 1));
    const lastMinute = this.admission.admissions.filter(([at]) => at > now - 60_000).reduce((n, [, c]) => n + c, 0);
    return {
      eventId,
      mode: this.settings.mode,
      active: this.isActive(),
      opensAt: this.settings.opensAt,
      prequeueMs: this.settings.prequeueMinutes * 60_000,
      accessMs: this.settings.accessMinutes * 60_000,
      admitPerMinute: this.settings.admitPerMinute,
      mark,
      buckets: sorted.filter(([bucket]) => bucket + 1000 > mark),
      joined,
      admitted,
      waiting: Math.max(0, joined - admitted),
      measuredPerMinute: lastMinute,
      activeShoppers: activeShoppers(this.admission, now, this.settings.accessMinutes * 60_000),
      soldOut,
      selling,
      marks: this.admission.marks,
      at: now,
    };
  }

  toJSON(): StoredDesk {
    return {
      shards: [...this.shards.entries()].map(([shard, h]) => [shard, h.sorted()]),
      admission: this.admission,
      autoActive: this.autoActive,
    };
  }

  /** What to store after a change: the admission state, and only the shards reported since. */
  drainChanges(): { admission: Omit<StoredDesk, "shards">; shards: StoredDesk["shards"] } {
    const shards: StoredDesk["shards"] = [];
    for (const shard of this.changedShards) shards.push([shard, this.shards.get(shard)?.sorted() ?? []]);
    this.changedShards.clear();
    return { admission: { admission: this.admission, autoActive: this.autoActive }, shards };
  }

  /** Memory held: buckets per shard, never visitors. */
  get bucketCount(): number {
    let n = 0;
    for (const h of this.shards.values()) n += h.counts.size;
    return n;
  }

  /** Fans in the queue not yet admitted. */
  waitingCount(): number {
    const sorted = this.sorted();
    return Math.max(0, Math.round(sorted.reduce((n, [, c]) => n + c, 0) - countBelow(sorted, this.admission.mark + 1)));
  }

  private sorted(): Array<[number, number]> {
    this.sortedCache ??= merge(this.shards.values()).sorted();
    return this.sortedCache;
  }
}
