import { describe, expect, it } from "vitest";
import { config, FakeStorage, held, inventory, refusal, request, SEC, T0 } from "./inventory-fixtures";

/** Child tickets capped at 2, a one-use voucher for 50% off: the room's counts through restarts and ends. */
const priced = config({
  ticketTypes: [
    { id: "adult", name: "Adult", prices: { "*": 4000 } },
    { id: "child", name: "Child", prices: { "*": 2000 }, quota: 2 },
  ],
  fees: [{ name: "Service", kind: "per_ticket", amount: 100 }],
  vouchers: [{ voucherId: "v1", code: "HALF", kind: "percent", value: 50, maxUses: 1 }],
});

describe("a hold's types and voucher in the inventory", () => {
  it("counts quota and voucher uses, rebuilds them from the holds, and gives them back when a hold ends", () => {
    const inv = inventory(priced);
    const first = held(
      inv.hold(
        request("u1", ["A-1-1", "A-1-2"], { seatTypes: { "A-1-1": "child", "A-1-2": "child" }, voucher: "half" }),
        T0,
      ),
    );
    expect(first.items.map((i) => i.priceCents)).toEqual([1100, 1100]);
    expect(inv.stats(T0)).toMatchObject({ vouchersUsed: { v1: 1 }, ticketTypesTaken: { child: 2 } });
    expect(refusal(inv.hold(request("u2", ["A-1-3"], { seatTypes: { "A-1-3": "child" } }), T0))).toMatchObject({
      code: "SOLD_OUT",
      ticketType: "child",
      available: 0,
    });
    expect(refusal(inv.hold(request("u2", ["A-1-3"], { voucher: "HALF" }), T0))).toMatchObject({
      code: "VOUCHER_INVALID",
      reason: "used_up",
    });

    const storage = new FakeStorage();
    storage.write(inv.drainDirty());
    const restored = storage.restore(priced, 10);
    expect(restored.stats(T0 + SEC)).toEqual(inv.stats(T0 + SEC));

    // New prices later: the hold keeps the price it was made at, and its uses come back when it expires.
    restored.reconfigure({ ...priced, fees: [] });
    expect(restored.getHold(first.holdId, T0 + SEC)?.items.map((i) => i.priceCents)).toEqual([1100, 1100]);
    expect(restored.stats(T0 + 61 * SEC)).toMatchObject({ vouchersUsed: {}, ticketTypesTaken: {} });
    const again = held(
      restored.hold(request("u3", ["A-1-3"], { seatTypes: { "A-1-3": "child" }, voucher: "HALF" }), T0 + 62 * SEC),
    );
    expect(again.items[0]?.priceCents).toBe(1000);
  });

  it("gives the voucher back when a paid hold is refunded, and keeps it while part of it is", () => {
    const inv = inventory(priced);
    const hold = held(inv.hold(request("u1", ["A-1-1", "A-1-2"], { voucher: "HALF" }), T0));
    held(inv.sell(hold.holdId, T0 + SEC));
    held(inv.undo(hold.holdId, T0 + 2 * SEC, [{ id: "t1", seatId: "A-1-1" }]));
    expect(inv.stats(T0 + 2 * SEC).vouchersUsed).toEqual({ v1: 1 });
    held(inv.undo(hold.holdId, T0 + 3 * SEC));
    expect(inv.stats(T0 + 3 * SEC).vouchersUsed).toEqual({});
  });
});
