import { Histogram, type HistogramSnapshot } from "../domain/histogram";
import { RecentCount } from "../domain/recent-count";
import type { Result } from "../domain/result";

/** What a room counts of its own hold decisions (exact: the room is their single writer). */
export interface DecisionMetricsSnapshot {
  /** Hold decisions by result: `granted`, or the refusal's code in lower case (`seats_unavailable`...). */
  holds: Record<string, number>;
  /** Seconds from the hold reaching the room to its answer leaving it (decision and group commit). */
  latency: HistogramSnapshot;
}

/**
 * Counts in memory only: a hold is never slowed by a write for its metrics. After an eviction the
 * counts start again from zero, which Prometheus reads as a counter reset (rate() handles it);
 * the persisted totals (holds created, expired, released, purchased) come from the room's stats.
 */
export class DecisionMetrics {
  private readonly holds = new Map<string, number>();
  private readonly latency = new Histogram();
  private readonly granted = new RecentCount();

  /** Counts one hold decision that started at `started` (Date.now(), which moves across the commit's I/O). */
  counted<T extends Result<unknown>>(result: T, started: number): T {
    this.record(result, (Date.now() - started) / 1000);
    return result;
  }

  /** What the room's stats() carries. */
  of(): RoomDecisions {
    return { decisions: this.snapshot() };
  }

  /** Holds granted in the last minute (the dashboard's holds/min; from zero again after an eviction). */
  grantedLastMinute(now = Date.now()): number {
    return this.granted.lastMinute(now);
  }

  record(result: Result<unknown>, seconds: number, now = Date.now()): void {
    if (result.ok) this.granted.add(now);
    const key = result.ok ? "granted" : result.error.code.toLowerCase();
    this.holds.set(key, (this.holds.get(key) ?? 0) + 1);
    this.latency.observe(Math.max(0, seconds));
  }

  snapshot(): DecisionMetricsSnapshot {
    return { holds: Object.fromEntries(this.holds), latency: this.latency.snapshot() };
  }
}

/** What the room's stats() carries of them. */
export type RoomDecisions = { decisions: DecisionMetricsSnapshot };
