import { describe, expect, it } from "vitest";
import { DeadlineHeap } from "../../src/domain/deadline-heap";

describe("DeadlineHeap", () => {
  it("is empty at first", () => {
    const heap = new DeadlineHeap();
    expect(heap.size).toBe(0);
    expect(heap.peekTime()).toBeUndefined();
    expect(heap.peekKey()).toBeUndefined();
    heap.pop();
    expect(heap.size).toBe(0);
  });

  it("pops in time order, keeping each key with its time, duplicates included", () => {
    const heap = new DeadlineHeap();
    const times = [50, 10, 40, 10, 30, 20, 60, 0, 20, 50, 5];
    for (const [i, t] of times.entries()) heap.push(t, `k${i}:${t}`);
    expect(heap.size).toBe(times.length);
    const out: number[] = [];
    while (heap.size > 0) {
      const time = heap.peekTime()!;
      expect(heap.peekKey()).toMatch(new RegExp(`:${time}$`));
      out.push(time);
      heap.pop();
    }
    expect(out).toEqual([...times].sort((a, b) => a - b));
  });

  it("stays ordered when pushes and pops interleave", () => {
    const heap = new DeadlineHeap();
    const shadow: number[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 2000; i++) {
      if (random() < 0.6 || shadow.length === 0) {
        const t = Math.floor(random() * 100);
        heap.push(t, String(t));
        shadow.push(t);
        shadow.sort((a, b) => a - b);
      } else {
        expect(heap.peekTime()).toBe(shadow[0]);
        expect(heap.peekKey()).toBe(String(shadow[0]));
        heap.pop();
        shadow.shift();
      }
      expect(heap.size).toBe(shadow.length);
    }
  });

  it("takes what is due, earliest first, including deadlines pushed while taking that are due too", () => {
    const heap = new DeadlineHeap();
    for (const [t, k] of [
      [30, "c"],
      [10, "a"],
      [50, "e"],
      [20, "b"],
    ] as const)
      heap.push(t, k);
    const taken: string[] = [];
    heap.takeDue(30, (key, time) => {
      taken.push(`${key}@${time}`);
      if (key === "a") heap.push(25, "moved"); // due by 30: taken in the same pass
      if (key === "b") heap.push(40, "later"); // not due: stays
    });
    expect(taken).toEqual(["a@10", "b@20", "moved@25", "c@30"]);
    expect(heap.size).toBe(2);
    expect(heap.peekKey()).toBe("later");
    heap.takeDue(5, () => {
      throw new Error("nothing is due at 5");
    });
  });
});
