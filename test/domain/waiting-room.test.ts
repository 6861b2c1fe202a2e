import { describe, expect, it } from "vitest";
import {
  activeShoppers,
  admit,
  BUCKET_MS,
  bucketOf,
  countBelow,
  Histogram,
  merge,
  newAdmissionState,
  positionOf,
  type QueueSettings,
  sortKey,
} from "../../src/domain/waiting-room/arithmetic";
import { QueueDesk } from "../../src/domain/waiting-room/desk";

/** A seeded generator, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPENS = Date.UTC(2027, 0, 1, 10, 0, 0);
const PREQUEUE = 15 * 60_000;
const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({
  mode: "always",
  admitPerMinute: 600,
  maxActive: 1000,
  prequeueMinutes: 15,
  accessMinutes: 10,
  opensAt: OPENS,
  ...over,
});

/** Simulates joins through 8 shards the way the edge does, returning the keys and the desk. */
function simulate(joins: number, random: () => number, at: (i: number) => number) {
  const shards = Array.from({ length: 8 }, () => new Histogram());
  const keys: number[] = [];
  for (let i = 0; i < joins; i++) {
    const key = sortKey(at(i), OPENS, PREQUEUE, random);
    keys.push(key);
    shards[i % 8]!.add(bucketOf(key));
  }
  const desk = new QueueDesk(settings());
  shards.forEach((h, i) => {
    desk.report(i, h.sorted());
  });
  return { keys, shards, desk };
}

describe("waiting room arithmetic", () => {
  it("keeps state bounded by buckets: a million joins cost what a full window of buckets does", () => {
    const random = mulberry32(1);
    const small = simulate(10, random, () => OPENS - PREQUEUE);
    const large = simulate(1_000_000, random, (i) => OPENS - PREQUEUE + (i % PREQUEUE));
    const buckets = PREQUEUE / BUCKET_MS;
    for (const shard of large.shards) expect(shard.counts.size).toBeLessThanOrEqual(buckets);
    expect(large.desk.bucketCount).toBeLessThanOrEqual(8 * buckets);
    expect(small.desk.bucketCount).toBeLessThanOrEqual(10);
    // Ten times the crowd, the same size: nothing grows with visitors.
    const tenfold = simulate(100_000, random, (i) => OPENS - PREQUEUE + (i % PREQUEUE));
    expect(JSON.stringify(large.desk.toJSON()).length).toBeLessThan(2 * JSON.stringify(tenfold.desk.toJSON()).length);
    expect(merge(large.shards).total).toBe(1_000_000);
  });

  it("shuffles the pre-queue uniformly: every arrival tenth ends up, on average, in the middle", () => {
    const random = mulberry32(7);
    const n = 10_000;
    // Arrival order: ten equal groups, earliest first, all inside the pre-queue window.
    const keys = Array.from({ length: n }, (_, i) =>
      sortKey(OPENS - PREQUEUE + Math.floor((i / n) * (PREQUEUE - 1)), OPENS, PREQUEUE, random),
    );
    const order = keys.map((key, i) => [key, i] as const).sort((a, b) => a[0] - b[0]);
    const position = new Array<number>(n);
    order.forEach(([, visitor], rank) => {
      position[visitor] = rank + 1;
    });
    const middle = (n + 1) / 2;
    for (let group = 0; group < 10; group++) {
      const members = position.slice(group * 1000, (group + 1) * 1000);
      const mean = members.reduce((a, b) => a + b, 0) / members.length;
      expect(Math.abs(mean - middle) / middle, `arrival group ${group}`).toBeLessThan(0.05);
    }
    for (const key of keys) {
      expect(key).toBeGreaterThanOrEqual(OPENS - PREQUEUE);
      expect(key).toBeLessThan(OPENS);
    }
  });

  it("is first in, first out (to the second) after opening, behind everyone pre-queued", () => {
    const random = mulberry32(3);
    const early = sortKey(OPENS - 1000, OPENS, PREQUEUE, random);
    let previous = early;
    for (let second = 0; second < 100; second++) {
      const key = sortKey(OPENS + second * 1000 + 500, OPENS, PREQUEUE, random);
      expect(key).toBeGreaterThan(previous);
      expect(bucketOf(key)).toBe(OPENS + second * 1000);
      previous = key;
    }
  });

  it("never admits faster than admitPerMinute nor beyond maxActive", () => {
    const random = mulberry32(11);
    const { shards } = simulate(20_000, random, (i) => OPENS - PREQUEUE + (i % PREQUEUE));
    const sorted = merge(shards).sorted();
    for (const config of [
      settings({ admitPerMinute: 600, maxActive: 100_000 }),
      settings({ admitPerMinute: 6000, maxActive: 250 }),
    ]) {
      const state = newAdmissionState();
      const perMinute = new Map<number, number>();
      let now = OPENS;
      let total = 0;
      for (let tick = 0; tick < 600; tick++) {
        now += 500 + Math.floor(random() * 1500);
        const n = admit(state, sorted, config, now, false);
        const minute = Math.floor((now - OPENS) / 60_000);
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + n);
        expect(activeShoppers(state, now, config.accessMinutes * 60_000)).toBeLessThanOrEqual(config.maxActive);
        // The books (admissions logged) agree with what the mark admits.
        total += n;
        expect(Math.abs(countBelow(sorted, state.mark + 1) - total)).toBeLessThanOrEqual(1e-6);
      }
      for (const [minute, count] of perMinute) {
        // Credit banks at most two seconds' worth, so a minute can exceed its rate by that much.
        expect(count, `minute ${minute}`).toBeLessThanOrEqual(config.admitPerMinute * (62 / 60));
      }
    }
    const sold = newAdmissionState();
    expect(admit(sold, sorted, settings(), OPENS + 1000, true)).toBe(0);
    expect(admit(newAdmissionState(), sorted, settings(), OPENS - 1000, false)).toBe(0);
  });

  it("estimates positions within 1% of the true ones (one bucket's share near the front)", { timeout: 30_000 }, () => {
    const random = mulberry32(5);
    const { keys, shards } = simulate(100_000, random, (i) => OPENS - PREQUEUE + (i % PREQUEUE));
    const sorted = merge(shards).sorted();
    const state = newAdmissionState();
    let now = OPENS;
    for (let tick = 0; tick < 120; tick++) {
      now += 1000;
      admit(state, sorted, settings({ admitPerMinute: 6000, maxActive: 1e9 }), now, false);
    }
    const ordered = [...keys].sort((a, b) => a - b);
    const perBucket = keys.length / sorted.length;
    const admittedTrue = ordered.filter((k) => k <= state.mark).length;
    let checked = 0;
    for (let i = 0; i < keys.length; i += 97) {
      const key = keys[i]!;
      const estimate = positionOf(sorted, state.mark, key, 6000);
      const trueRank = ordered.filter((k) => k < key).length - admittedTrue + 1;
      if (key <= state.mark) {
        expect(estimate.admitted).toBe(true);
        continue;
      }
      expect(estimate.admitted).toBe(false);
      // Within 1%, or near the front within one bucket's share of joiners (the histogram's grain).
      expect(Math.abs(estimate.position - trueRank)).toBeLessThanOrEqual(Math.max(0.01 * trueRank, perBucket));
      checked++;
    }
    expect(checked).toBeGreaterThan(900);
  });

  it("five visitors joining 1.1 s apart read five different, increasing places (20 of 20 runs)", () => {
    for (let run = 0; run < 20; run++) {
      const random = mulberry32(100 + run);
      const start = OPENS + 10_000 + Math.floor(random() * 1000);
      const keys = Array.from({ length: 5 }, (_, i) => sortKey(start + i * 1100, OPENS, PREQUEUE, random));
      const histogram = new Histogram();
      for (const key of keys) histogram.add(bucketOf(key));
      const places = keys.map((key) => positionOf(histogram.sorted(), OPENS - 1, key, 60).position);
      expect(places, `run ${run}`).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it("folds buckets the mark has passed, keeping counts exact and the room's state to the waiting part", () => {
    const desk = new QueueDesk(settings({ admitPerMinute: 60_000, maxActive: 1e9 }));
    const entries: Array<[number, number]> = Array.from({ length: 100 }, (_, i) => [
      OPENS - PREQUEUE + i * BUCKET_MS,
      7,
    ]);
    desk.report(0, entries);
    desk.tick(OPENS + 5000, false, 0);
    const before = desk.status("e", OPENS + 5000, false, true);
    expect(before.admitted).toBeGreaterThan(0);
    desk.report(0, entries);
    const after = desk.status("e", OPENS + 5000, false, true);
    expect(after.joined).toBe(700);
    expect(after.admitted).toBeCloseTo(before.admitted, 6);
    expect(after.buckets).toEqual(before.buckets);
    expect(desk.bucketCount).toBeLessThan(100);
  });

  it("never admits a second that may still be filling: late shard reports stay counted", () => {
    const desk = new QueueDesk(settings({ admitPerMinute: 60_000, maxActive: 1e9 }));
    const second = OPENS + 10_000;
    desk.report(0, [[second, 5]]);
    let admitted = desk.tick(second + 500, false, 0);
    admitted += desk.tick(second + 1500, false, 0);
    expect(admitted).toBe(0);
    // Another shard reports the same second late; only now, three seconds on, is it admitted.
    desk.report(1, [[second, 5]]);
    admitted += desk.tick(second + 4000, false, 0);
    const status = desk.status("e", second + 4000, false, true);
    expect(admitted).toBe(10);
    expect(status.admitted).toBe(admitted);
    // Nobody is admitted before the sale has opened and settled, pre-queue or not.
    const early = new QueueDesk(settings());
    early.report(0, [[OPENS - 60_000, 3]]);
    expect(early.tick(OPENS + 1000, false, 0)).toBe(0);
    expect(early.tick(OPENS + 4000, false, 0)).toBeGreaterThan(0);
  });
});
