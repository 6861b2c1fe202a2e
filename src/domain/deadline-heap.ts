/**
 * A binary min-heap of (time, key) deadlines. Entries are never removed early: when a deadline
 * moves, the owner pushes a new entry and ignores stale ones as they surface.
 */
export class DeadlineHeap<K = string> {
  private times: number[] = [];
  private keys: K[] = [];

  get size(): number {
    return this.times.length;
  }

  push(time: number, key: K): void {
    this.times.push(time);
    this.keys.push(key);
    let i = this.times.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= time) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.times[0];
  }

  peekKey(): K | undefined {
    return this.keys[0];
  }

  /**
   * Takes every entry due by `now`, earliest first, and hands it to `visit` (which may push new
   * ones: a deadline that moved; those due by `now` are taken in the same pass).
   */
  takeDue(now: number, visit: (key: K, time: number) => void): void {
    while (this.times.length > 0 && this.times[0]! <= now) {
      const time = this.times[0]!;
      const key = this.keys[0]!;
      this.pop();
      visit(key, time);
    }
  }

  pop(): void {
    const last = this.times.length - 1;
    if (last < 0) return;
    this.swap(0, last);
    this.times.pop();
    this.keys.pop();
    let i = 0;
    const n = this.times.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.times[l]! < this.times[smallest]!) smallest = l;
      if (r < n && this.times[r]! < this.times[smallest]!) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.times[a]!;
    this.times[a] = this.times[b]!;
    this.times[b] = t;
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
  }
}
