/**
 * Counts of limited things the room hands out: a ticket type's quota, a voucher's uses. A take is
 * all or nothing and never passes the limit; a give-back never goes below zero. The room keeps
 * one per event and rebuilds it from its holds, so the counts survive restarts with the holds.
 */
export class LimitedCounts {
  private readonly counts = new Map<string, number>();

  used(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Can every take be made together within its limit (undefined = no limit)? */
  fits(takes: ReadonlyArray<readonly [key: string, n: number, limit: number | undefined]>): boolean {
    const wanted = new Map<string, number>();
    for (const [key, n] of takes) wanted.set(key, (wanted.get(key) ?? 0) + n);
    return takes.every(([key, , limit]) => limit === undefined || this.used(key) + wanted.get(key)! <= limit);
  }

  add(key: string, n: number): void {
    const next = Math.max(0, this.used(key) + n);
    if (next === 0) this.counts.delete(key);
    else this.counts.set(key, next);
  }

  entries(): [string, number][] {
    return [...this.counts];
  }
}
