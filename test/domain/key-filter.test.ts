import { describe, expect, it } from "vitest";
import { KeyFilter } from "../../src/rooms/key-filter";

const DAY = 86_400_000;

describe("the idempotency-key filter", () => {
  it("never forgets a key inside its generation and the next, and rarely claims one it never saw", () => {
    const filter = new KeyFilter(DAY, 0);
    const added = Array.from({ length: 50_000 }, (_, i) => `user-${i % 997}\u0000key-${i}`);
    for (const key of added) filter.add(key, 1000);
    for (const key of added) expect(filter.mightHave(key)).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 50_000; i++) if (filter.mightHave(`user-${i}\u0000other-${i}`)) falsePositives++;
    expect(falsePositives / 50_000).toBeLessThan(0.01);
  });

  it("keeps a key through one rotation and lets it go after two", () => {
    const filter = new KeyFilter(DAY, 0);
    filter.add("u\u0000k", 10);
    filter.add("u\u0000later", DAY + 1); // rotates: the first key is now in the previous generation
    expect(filter.mightHave("u\u0000k")).toBe(true);
    filter.add("u\u0000much-later", 2 * DAY + 2); // rotates again
    expect(filter.mightHave("u\u0000k")).toBe(false);
    expect(filter.mightHave("u\u0000later")).toBe(true);
  });
});
