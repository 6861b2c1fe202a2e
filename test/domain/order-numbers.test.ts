import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newOrderNumber, ORDER_NUMBER, ORDER_NUMBER_ALPHABET, orderNumberQuery } from "../../src/domain/order-numbers";

describe("order numbers", () => {
  it("are ORD-XXXX-XXXX from an alphabet without 0, O, 1, I or L, whatever the random bytes", () => {
    expect(ORDER_NUMBER_ALPHABET).toHaveLength(31);
    expect(ORDER_NUMBER_ALPHABET).not.toMatch(/[01OIL]/);
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 40 }),
        (draws) => {
          let next = 0;
          // After the drawn bytes (maybe all rejected), 0..15: the generator must ask again until it has 8.
          const random = (bytes: Uint8Array) => {
            bytes.set(draws[next++] ?? bytes.map((_, i) => i));
            return bytes;
          };
          expect(newOrderNumber(random)).toMatch(ORDER_NUMBER);
        },
      ),
    );
  });

  it("leave out the bytes that would favour the alphabet's first letters", () => {
    // 248..255 are rejected; 0 and 31 both give the first letter, 30 the last.
    const bytes = [255, 248, 0, 31, 30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const random = (b: Uint8Array) => {
      b.set(bytes);
      return b;
    };
    expect(newOrderNumber(random)).toBe("ORD-22Z3-4567");
  });

  it("are drawn without repeats in practice", () => {
    const seen = new Set(Array.from({ length: 20_000 }, () => newOrderNumber()));
    expect(seen.size).toBe(20_000);
  });

  it("are found from what an organizer types: any case, with or without ORD- and dashes; anything else finds none", () => {
    expect(orderNumberQuery("ORD-7K3P-9QX2")).toBe("7K3P9QX2");
    expect(orderNumberQuery(" ord-7k3p ")).toBe("7K3P");
    expect(orderNumberQuery("9qx2")).toBe("9QX2");
    expect(orderNumberQuery("alice@example.com")).toBeUndefined();
    expect(orderNumberQuery("ORD-")).toBeUndefined();
    expect(orderNumberQuery("0O1I")).toBeUndefined();
  });
});
