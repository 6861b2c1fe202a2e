import { describe, expect, it } from "vitest";
import { chunkRows } from "../../src/db/batching";

describe("D1 batching", () => {
  it("never binds more than 100 parameters in one INSERT, and loses no row", () => {
    for (const columns of [3, 6, 7, 14, 27]) {
      for (const count of [0, 1, 7, 8, 99, 250]) {
        const rows = Array.from({ length: count }, (_, i) => i);
        const parts = chunkRows(rows, columns);
        for (const part of parts) expect(part.length * columns).toBeLessThanOrEqual(100);
        expect(parts.flat()).toEqual(rows);
      }
    }
  });
});
