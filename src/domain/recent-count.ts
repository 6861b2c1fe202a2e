/**
 * How many things happened in the last minute, in one-second slots: constant memory whatever the
 * rate, exact to the second. `at` is milliseconds (the caller's clock).
 */
export class RecentCount {
  private readonly slots = new Float64Array(60);
  private readonly seconds = new Float64Array(60).fill(-1);

  add(at: number, n = 1): void {
    const second = Math.floor(at / 1000);
    const slot = second % 60;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.slots[slot] = 0;
    }
    this.slots[slot]! += n;
  }

  /** The count over the 60 seconds that end with the one `at` falls in. */
  lastMinute(at: number): number {
    const now = Math.floor(at / 1000);
    let total = 0;
    for (let slot = 0; slot < 60; slot++) {
      const second = this.seconds[slot]!;
      if (second > now - 60 && second <= now) total += this.slots[slot]!;
    }
    return total;
  }
}
