import { describe, expect, it } from "vitest";
import type { Inventory } from "../../src/domain/inventory";
import type { InventoryConfig } from "../../src/domain/types";
import { config, FakeStorage, held, inventory, refusal, request, SEC, T0 } from "./inventory-fixtures";

describe("alternatives", () => {
  /** Makes seats unavailable by holding them for someone else, a few at a time. */
  function taken(inv: Inventory, seatIds: string[]): void {
    for (let i = 0; i < seatIds.length; i += 4) {
      held(inv.hold(request(`other${i}`, seatIds.slice(i, i + 4)), T0));
    }
  }

  it("offers the same row first, nearest number first, as many as were asked", () => {
    const inv = inventory();
    taken(inv, ["A-2-1", "A-2-2", "A-2-3"]);
    // A-1-2 is right in front, but the free seats of the same row come first.
    const error = refusal(inv.hold(request("fan", ["A-2-2", "A-2-3"]), T0));
    expect(error.code).toBe("SEATS_UNAVAILABLE");
    expect(error.unavailableSeatIds).toEqual(["A-2-2", "A-2-3"]);
    expect(error.alternatives).toEqual(["A-2-4", "A-2-5"]);
  });

  it("goes to the nearest row when the same row has too few", () => {
    const inv = inventory();
    taken(inv, ["A-1-1", "A-1-2", "A-1-3", "A-1-4", "A-1-5"]);
    const error = refusal(inv.hold(request("fan", ["A-1-3", "A-1-4", "A-1-5"]), T0));
    // The one free seat of row 1, then row 2 from number 3 outwards (row 3 is further away).
    expect(error.alternatives).toEqual(["A-1-6", "A-2-3", expect.stringMatching(/^A-2-[24]$/)]);
  });

  it("offers one alternative per requested seat of that section, from that section only", () => {
    const inv = inventory();
    taken(inv, ["B-1-1"]);
    const error = refusal(inv.hold(request("fan", ["B-1-1", "B-1-2", "A-1-1"]), T0));
    expect(error.unavailableSeatIds).toEqual(["B-1-1"]);
    const alternatives = error.alternatives as string[];
    expect(alternatives).toHaveLength(2);
    expect(alternatives.every((id) => id.startsWith("B-"))).toBe(true);
    expect(alternatives).not.toContain("B-1-1");
  });

  it("is empty when the section is full", () => {
    const inv = inventory();
    taken(inv, ["B-1-1", "B-1-2", "B-1-3", "B-2-1", "B-2-2", "B-2-3"]);
    const error = refusal(inv.hold(request("fan", ["B-2-2"]), T0));
    expect(error.code).toBe("SEATS_UNAVAILABLE");
    expect(error.alternatives).toEqual([]);
  });

  it("is empty for a blocked seat in a section with nothing else free", () => {
    const c = config({
      sections: [{ id: "C", name: "Box", kind: "seated", rows: [{ label: "1", seats: 2, blocked: [1] }] }],
      prices: { C: 100 },
    });
    const inv = inventory(c);
    held(inv.hold(request("other", ["C-1-2"]), T0));
    expect(refusal(inv.hold(request("fan", ["C-1-1"]), T0))).toMatchObject({
      code: "SEATS_UNAVAILABLE",
      unavailableSeatIds: ["C-1-1"],
      alternatives: [],
    });
  });
});

describe("sales window", () => {
  const presale = { name: "Fan club", code: "Fans2030", startsAt: T0 - 3600 * SEC, endsAt: T0 };
  const hold = (c: InventoryConfig, now: number, presaleCode?: string) =>
    inventory(c).hold(request("fan", ["A-1-1"], presaleCode === undefined ? {} : { presaleCode }), now);

  it("refuses before the sale opens", () => {
    expect(refusal(hold(config(), T0 - SEC))).toMatchObject({
      code: "NOT_ON_SALE",
      onSaleAt: new Date(T0).toISOString(),
    });
    expect(refusal(hold(config({ presales: [presale] }), presale.startsAt - 1)).code).toBe("NOT_ON_SALE");
  });

  it("opens at onSaleAt exactly", () => {
    expect(hold(config(), T0).ok).toBe(true);
  });

  it("asks for the code during a presale and takes it in any case", () => {
    const c = config({ presales: [presale] });
    expect(refusal(hold(c, T0 - SEC))).toMatchObject({
      code: "PRESALE_CODE_REQUIRED",
      presales: [{ name: "Fan club", endsAt: new Date(T0).toISOString() }],
    });
    expect(refusal(hold(c, T0 - SEC, "nope")).code).toBe("PRESALE_CODE_REQUIRED");
    expect(hold(c, T0 - SEC, "Fans2030").ok).toBe(true);
    expect(hold(c, T0 - SEC, "fans2030").ok).toBe(true);
    expect(hold(c, T0 - SEC, " FANS2030 ").ok).toBe(true);
    expect(hold(c, presale.startsAt, "FANS2030").ok).toBe(true);
  });

  it("refuses while paused, cancelled or in draft", () => {
    for (const state of ["paused", "cancelled", "draft"] as const) {
      expect(refusal(hold(config({ state }), T0 + SEC)).code, state).toBe("NOT_ON_SALE");
      expect(refusal(hold(config({ state, presales: [presale] }), T0 - SEC, "fans2030")).code, state).toBe(
        "NOT_ON_SALE",
      );
    }
  });

  it("refuses from salesEndAt on", () => {
    const c = config();
    expect(hold(c, c.salesEndAt - 1).ok).toBe(true);
    expect(refusal(hold(c, c.salesEndAt)).code).toBe("NOT_ON_SALE");
  });

  it("follows reconfigure: a pause stops sales at once", () => {
    const inv = inventory();
    held(inv.hold(request("fan", ["A-1-1"]), T0));
    inv.reconfigure(config({ state: "paused" }));
    expect(refusal(inv.hold(request("fan", ["A-1-2"]), T0)).code).toBe("NOT_ON_SALE");
  });
});

describe("limits", () => {
  it("refuses an order above perOrder, with the limit and what is already held", () => {
    const inv = inventory();
    const ga = [{ sectionId: "G", quantity: 2 }];
    expect(refusal(inv.hold(request("fan", ["A-1-1", "A-1-2", "A-1-3"], { ga }), T0))).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: 4,
      alreadyHeld: 0,
      requested: 5,
    });
  });

  it("counts live holds and purchases towards perUser, but not ended holds", () => {
    const inv = inventory();
    const first = held(inv.hold(request("fan", ["A-1-1", "A-1-2", "A-1-3"]), T0));
    held(inv.sell(first.holdId, T0));
    held(inv.hold(request("fan", ["A-2-1", "A-2-2"]), T0));
    expect(refusal(inv.hold(request("fan", ["B-1-1", "B-1-2"]), T0))).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: 6,
      alreadyHeld: 5,
      requested: 2,
    });
    // Someone else is not affected; and once the live hold expires, there is room again.
    expect(inv.hold(request("friend", ["B-1-1", "B-1-2"]), T0).ok).toBe(true);
    expect(inv.hold(request("fan", ["B-2-1", "B-2-2"]), T0 + 60 * SEC).ok).toBe(true);
  });

  it("gives a refunded purchase's tickets back to the limit", () => {
    const inv = inventory();
    const first = held(inv.hold(request("fan", ["A-1-1", "A-1-2", "A-1-3", "A-1-4"]), T0));
    held(inv.sell(first.holdId, T0));
    expect(refusal(inv.hold(request("fan", ["B-1-1", "B-1-2", "B-1-3"]), T0)).code).toBe("LIMIT_EXCEEDED");
    held(inv.refund(first.holdId, T0));
    expect(inv.hold(request("fan", ["B-1-1", "B-1-2", "B-1-3"]), T0).ok).toBe(true);
  });
});

describe("hold lifecycle", () => {
  it("extends up to config.extensions times, each by holdSeconds", () => {
    const inv = inventory();
    const hold = held(inv.hold(request("fan", ["A-1-1"]), T0));
    expect(held(inv.extend(hold.holdId, "fan", T0 + SEC)).expiresAt).toBe(T0 + 120 * SEC);
    expect(held(inv.extend(hold.holdId, "fan", T0 + 2 * SEC)).expiresAt).toBe(T0 + 180 * SEC);
    expect(refusal(inv.extend(hold.holdId, "fan", T0 + 3 * SEC))).toMatchObject({
      code: "EXTENSION_LIMIT",
      extensions: 2,
    });
    expect(inv.getHold(hold.holdId, T0 + 179 * SEC)?.status).toBe("held");
    expect(inv.getHold(hold.holdId, T0 + 180 * SEC)?.status).toBe("expired");
  });

  it("extends a hold in checkout too (the pay page's extend), within the same allowance", () => {
    const inv = inventory();
    const hold = held(inv.hold(request("fan", ["A-1-1"]), T0));
    const paying = held(inv.startCheckout(hold.holdId, "fan", T0 + SEC));
    const extended = held(inv.extend(hold.holdId, "fan", T0 + 2 * SEC));
    expect(extended.status).toBe("checkout");
    expect(extended.expiresAt).toBe(paying.expiresAt + 60 * SEC);
    held(inv.extend(hold.holdId, "fan", T0 + 3 * SEC));
    expect(refusal(inv.extend(hold.holdId, "fan", T0 + 4 * SEC)).code).toBe("EXTENSION_LIMIT");
  });

  it("answers HOLD_EXPIRED for a released hold and for one at exactly expiresAt", () => {
    const inv = inventory();
    const released = held(inv.hold(request("fan", ["A-1-1"]), T0));
    held(inv.release(released.holdId, "fan", T0));
    expect(refusal(inv.extend(released.holdId, "fan", T0))).toMatchObject({
      code: "HOLD_EXPIRED",
      status: "released",
    });
    expect(refusal(inv.startCheckout(released.holdId, "fan", T0)).code).toBe("HOLD_EXPIRED");

    const expiring = held(inv.hold(request("fan", ["A-1-2"]), T0));
    expect(inv.extend(expiring.holdId, "fan", expiring.expiresAt - 1).ok).toBe(true);
    const at = expiring.expiresAt + 60 * SEC;
    expect(refusal(inv.extend(expiring.holdId, "fan", at))).toMatchObject({ code: "HOLD_EXPIRED", status: "expired" });
    expect(refusal(inv.release(expiring.holdId, "fan", at)).code).toBe("HOLD_EXPIRED");
    expect(inv.seatStatus("A-1-2")).toBe("available");
  });

  it("grants the payment grace once and sells an expired hold only while its seats are free", () => {
    const inv = inventory();
    const hold = held(inv.hold(request("fan", ["A-1-1"], { ga: [{ sectionId: "G", quantity: 2 }] }), T0));
    const checkout = held(inv.startCheckout(hold.holdId, "fan", T0 + SEC));
    expect(checkout.expiresAt).toBe(T0 + 90 * SEC);
    expect(held(inv.startCheckout(hold.holdId, "fan", T0 + 2 * SEC)).expiresAt).toBe(T0 + 90 * SEC);
    expect(inv.getHold(hold.holdId, T0 + 90 * SEC)?.status).toBe("expired");

    // The money arrives late, with the seats still free: the hold takes them back.
    const sold = held(inv.sell(hold.holdId, T0 + 100 * SEC));
    expect(sold.status).toBe("purchased");
    expect(inv.seatStatus("A-1-1")).toBe("sold");
    expect(held(inv.sell(hold.holdId, T0 + 101 * SEC))).toEqual(sold);

    // Too late this time: someone else has the seat by then.
    const late = held(inv.hold(request("other", ["A-1-2"]), T0 + 110 * SEC));
    held(inv.hold(request("third", ["A-1-2"]), T0 + 170 * SEC));
    expect(refusal(inv.sell(late.holdId, T0 + 171 * SEC))).toMatchObject({
      code: "SEATS_UNAVAILABLE",
      unavailableSeatIds: ["A-1-2"],
    });
  });

  it("does not let anyone else touch a hold", () => {
    const inv = inventory();
    const hold = held(inv.hold(request("fan", ["A-1-1"]), T0));
    expect(refusal(inv.extend(hold.holdId, "thief", T0)).code).toBe("FORBIDDEN");
    expect(refusal(inv.release(hold.holdId, "thief", T0)).code).toBe("FORBIDDEN");
    expect(refusal(inv.startCheckout(hold.holdId, "thief", T0)).code).toBe("FORBIDDEN");
    expect(refusal(inv.extend("h_nope", "fan", T0)).code).toBe("NOT_FOUND");
  });
});

describe("idempotency", () => {
  it("replays the first response for the same key and body", () => {
    const inv = inventory();
    const first = held(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0));
    const version = inv.version;
    const again = held(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0 + 5 * SEC));
    expect(again).toEqual(first);
    expect(inv.version).toBe(version);
    expect(inv.stats(T0 + 5 * SEC).holdsCreated).toBe(1);
  });

  it("refuses the same key with a different body", () => {
    const inv = inventory();
    held(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0));
    expect(refusal(inv.hold(request("fan", ["A-1-2"], { idempotencyKey: "k1" }), T0)).code).toBe(
      "IDEMPOTENCY_MISMATCH",
    );
    expect(refusal(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1", presaleCode: "x" }), T0)).code).toBe(
      "IDEMPOTENCY_MISMATCH",
    );
  });

  it("keeps keys per user and remembers only successes", () => {
    const inv = inventory();
    const mine = held(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0));
    const theirs = held(inv.hold(request("friend", ["A-1-2"], { idempotencyKey: "k1" }), T0));
    expect(theirs.holdId).not.toBe(mine.holdId);

    expect(refusal(inv.hold(request("late", ["A-1-1"], { idempotencyKey: "k2" }), T0)).code).toBe("SEATS_UNAVAILABLE");
    expect(inv.hold(request("late", ["A-1-3"], { idempotencyKey: "k2" }), T0).ok).toBe(true);
  });

  it("replays after a restore", () => {
    const inv = inventory();
    const storage = new FakeStorage();
    const first = held(inv.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0));
    storage.write(inv.drainDirty());
    const restored = storage.restore(config(), 1);
    expect(held(restored.hold(request("fan", ["A-1-1"], { idempotencyKey: "k1" }), T0 + SEC))).toEqual(first);
    expect(refusal(restored.hold(request("fan", ["A-1-2"], { idempotencyKey: "k1" }), T0)).code).toBe(
      "IDEMPOTENCY_MISMATCH",
    );
  });
});

describe("reconfigure", () => {
  it("keeps the prices of existing holds and uses the new ones for new holds", () => {
    const inv = inventory();
    const before = held(inv.hold(request("fan", ["A-1-1"], { ga: [{ sectionId: "G", quantity: 2 }] }), T0));
    expect(before.totalCents).toBe(5000 + 2 * 2000);
    inv.reconfigure(config({ prices: { A: 7000, B: 3000, G: 2500 } }));

    expect(inv.getHold(before.holdId, T0)?.items).toEqual(before.items);
    const after = held(inv.hold(request("friend", ["A-1-2"], { ga: [{ sectionId: "G", quantity: 1 }] }), T0));
    expect(after.totalCents).toBe(7000 + 2500);
    expect(inv.sectionsView(T0, "A")[0]?.priceCents).toBe(7000);

    held(inv.sell(before.holdId, T0));
    expect(inv.stats(T0).revenueCents).toBe(9000);
  });
});
