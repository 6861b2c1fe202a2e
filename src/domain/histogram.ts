/**
 * A cumulative-bucket histogram as Prometheus reads one: counts per upper bound (`le`), plus the
 * sum and count of every observation. Plain numbers, so a room can return it over RPC and the edge
 * can add several rooms' together (same bounds).
 */
export interface HistogramSnapshot {
  /** Upper bounds, ascending; `+Inf` is implied by `count`. */
  bounds: number[];
  /** Observations ≤ each bound (cumulative), same length as `bounds`. */
  buckets: number[];
  sum: number;
  count: number;
}

/** Seconds: a hold decision is ~0.5 ms when warm, a group commit under load a few ms, a cold room more. */
export const DECISION_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[] = DECISION_BOUNDS) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    // Non-cumulative here (one increment per observation); snapshot() accumulates.
    const index = this.bounds.findIndex((bound) => value <= bound);
    if (index >= 0) this.counts[index]!++;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = this.counts.map((n) => {
      running += n;
      return running;
    });
    return { bounds: [...this.bounds], buckets, sum: this.sum, count: this.count };
  }
}

/** Several snapshots with the same bounds as one (rooms' histograms into the event-wide one). */
export function mergeHistograms(parts: readonly HistogramSnapshot[], bounds = DECISION_BOUNDS): HistogramSnapshot {
  const merged: HistogramSnapshot = { bounds: [...bounds], buckets: bounds.map(() => 0), sum: 0, count: 0 };
  for (const part of parts) {
    if (part.bounds.length !== bounds.length || part.bounds.some((b, i) => b !== bounds[i])) continue;
    part.buckets.forEach((n, i) => {
      merged.buckets[i]! += n;
    });
    merged.sum += part.sum;
    merged.count += part.count;
  }
  return merged;
}
