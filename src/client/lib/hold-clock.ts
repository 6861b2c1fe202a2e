/**
 * What a screen reader hears about a hold's time: once at 5 minutes, 1 minute and 10 seconds left,
 * each only if the hold had more than that when it was shown (a hold restored with 30 s left does
 * not hear "5 minutes"), and in words that match the real time left (a throttled tab may tick late).
 */
const THRESHOLDS = [300, 60, 10];

export class HoldClock {
  private readonly pending: number[];

  constructor(secondsLeft: number) {
    this.pending = THRESHOLDS.filter((t) => t < secondsLeft);
  }

  /** The announcement due at `secondsLeft`, if one is. */
  announce(secondsLeft: number): string | undefined {
    const crossed = this.pending.filter((t) => secondsLeft <= t);
    if (crossed.length === 0 || secondsLeft <= 0) return undefined;
    for (const t of crossed) this.pending.splice(this.pending.indexOf(t), 1);
    return `${timeLeft(secondsLeft)} left on your hold.`;
  }
}

/** "5 minutes", "1 minute", "10 seconds", "1 second". */
export function timeLeft(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s >= 60) {
    const m = Math.round(s / 60);
    return `${m} minute${m === 1 ? "" : "s"}`;
  }
  return `${s} second${s === 1 ? "" : "s"}`;
}
