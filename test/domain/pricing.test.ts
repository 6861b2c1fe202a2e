import { describe, expect, it } from "vitest";
import { minorDigits } from "../../src/domain/money";
import {
  defaultTicketTypes,
  fromPrice,
  includedTaxOf,
  type PriceRules,
  percentOf,
  priceOrder,
  type TicketType,
  unitPrice,
} from "../../src/domain/pricing";
import { demandScore, nextPrice, priceStep } from "../../src/domain/pricing-dynamic";
import {
  discountedBase,
  generateCode,
  normalizeCode,
  type Voucher,
  voucherApplies,
  voucherRefusal,
} from "../../src/domain/pricing-vouchers";
import { money } from "../../src/pages/format";

const voucher = (over: Partial<Voucher> = {}): Voucher => ({
  voucherId: "v1",
  code: "SPRING",
  kind: "percent",
  value: 10,
  maxUses: 2,
  ...over,
});

describe("pricing", () => {
  it("rounds percentages half up to one minor unit", () => {
    expect(percentOf(250, 1)).toBe(3); // 2.5 → 3
    expect(percentOf(249, 1)).toBe(2);
    expect(percentOf(1000, 19)).toBe(190);
    expect(percentOf(999, 8.875)).toBe(89); // 88.66
    expect(includedTaxOf(11900, 19)).toBe(1900);
  });

  it("adds fees and tax on top, all-in with its breakdown", () => {
    const rules: PriceRules = {
      fees: [
        { name: "Service", kind: "per_ticket", amount: 250 },
        { name: "Facility", kind: "percent", amount: 5 },
      ],
      tax: { name: "Sales tax", ratePercent: 10, included: false },
    };
    // base 5000, fees 250 + 250, tax 10% of 5500 = 550
    expect(unitPrice(5000, rules)).toEqual({
      priceCents: 6050,
      breakdown: { baseCents: 5000, feesCents: 500, taxCents: 550 },
    });
  });

  it("finds an included tax inside the price the fan pays", () => {
    const rules: PriceRules = { fees: [], tax: { name: "VAT", ratePercent: 19, included: true } };
    expect(unitPrice(5950, rules)).toEqual({
      priceCents: 5950,
      breakdown: { baseCents: 5000, feesCents: 0, taxCents: 950 },
    });
  });

  it("charges a per-order fee once, taxed, and not on a free order", () => {
    const rules: PriceRules = {
      fees: [{ name: "Order", kind: "per_order", amount: 300 }],
      tax: { name: "tax", ratePercent: 10, included: false },
    };
    const order = priceOrder(
      [
        { sectionId: "A", ticketType: "adult", quantity: 2, baseCents: 1000 },
        { sectionId: "A", ticketType: "child", quantity: 1, baseCents: 500 },
      ],
      rules,
    );
    expect(order.orderFee).toEqual({ priceCents: 330, breakdown: { baseCents: 0, feesCents: 300, taxCents: 30 } });
    expect(order.totalCents).toBe(2 * 1100 + 550 + 330);
    const free = priceOrder([{ sectionId: "A", ticketType: "comp", quantity: 2, baseCents: 0 }], rules);
    expect(free.totalCents).toBe(0);
    expect(free.orderFee).toBeUndefined();
  });

  it("handles zero-decimal currencies in whole yen", () => {
    const rules: PriceRules = { fees: [{ name: "Service", kind: "percent", amount: 7.5 }] };
    expect(unitPrice(5000, rules).priceCents).toBe(5375);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("eur")).toBe(2);
    expect(money(5375, "JPY")).toBe("¥5,375");
    expect(money(5375, "EUR")).toBe("€53.75");
  });

  it("quotes the cheapest open type all-in as the catalog's from price", () => {
    const rules: PriceRules = { fees: [{ name: "Order", kind: "per_order", amount: 100 }] };
    const types: TicketType[] = [
      { id: "adult", name: "Adult", prices: { "*": 4000 } },
      { id: "child", name: "Child", prices: { A: 2000 } },
      { id: "crew", name: "Crew", prices: { "*": 10 }, requiresVoucher: true },
    ];
    expect(fromPrice(types, ["A", "B"], rules)).toBe(2100);
    expect(fromPrice(types, ["B"], rules)).toBe(4100);
    expect(fromPrice(defaultTicketTypes({ A: 0 }), ["A"], rules)).toBe(0);
  });
});

describe("vouchers", () => {
  it("refuses with a reason", () => {
    expect(voucherRefusal(undefined, 0, 0)).toBe("unknown");
    expect(voucherRefusal(voucher({ disabled: true }), 0, 0)).toBe("disabled");
    expect(voucherRefusal(voucher({ validFrom: 10 }), 0, 5)).toBe("not_yet_valid");
    expect(voucherRefusal(voucher({ validUntil: 10 }), 0, 10)).toBe("expired");
    expect(voucherRefusal(voucher(), 2, 0)).toBe("used_up");
    expect(voucherRefusal(voucher(), 1, 0)).toBeUndefined();
  });

  it("applies to its types and sections only", () => {
    const v = voucher({ ticketTypes: ["adult"], sections: ["A"] });
    expect(voucherApplies(v, "adult", "A")).toBe(true);
    expect(voucherApplies(v, "child", "A")).toBe(false);
    expect(voucherApplies(v, "adult", "B")).toBe(false);
  });

  it("changes the base within [0, base]", () => {
    expect(discountedBase(5000, voucher({ value: 25 }))).toBe(3750);
    expect(discountedBase(5000, voucher({ kind: "amount", value: 6000 }))).toBe(0);
    expect(discountedBase(5000, voucher({ kind: "price", value: 1500 }))).toBe(1500);
    expect(discountedBase(1000, voucher({ kind: "price", value: 1500 }))).toBe(1000);
    expect(discountedBase(5000, voucher({ kind: "unlock" }))).toBe(5000);
  });

  it("generates readable unique codes and matches typed ones", () => {
    let n = 0;
    const counter = (bytes: number) => Uint8Array.from({ length: bytes }, () => n++);
    const code = generateCode(counter);
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(generateCode(counter)).not.toBe(code);
    expect(normalizeCode("  spring-1 ")).toBe("SPRING-1");
  });
});

describe("dynamic pricing", () => {
  const rule = { floorCents: 4000, ceilingCents: 6000, maxStepPercent: 20, everyMinutes: 15 };
  const inputs = { available: 100, capacity: 100, holdsPerMinute: 0, queueLength: 0, minutesLeft: 1000 };

  it("scores demand against the pace needed to sell out", () => {
    expect(demandScore({ ...inputs, holdsPerMinute: 0.1 })).toBeCloseTo(0);
    expect(demandScore({ ...inputs, holdsPerMinute: 0.4 })).toBe(1);
    expect(demandScore(inputs)).toBe(-1);
    expect(demandScore({ ...inputs, available: 0 })).toBe(0);
  });

  it("moves one bounded step per period", () => {
    expect(nextPrice(rule, 5000, 1)).toBe(6000);
    expect(nextPrice(rule, 5000, -1)).toBe(4000);
    expect(nextPrice(rule, 5800, 1)).toBe(6000);
    expect(nextPrice(rule, 9000, 0)).toBe(6000);
    expect(priceStep(rule, 5000, 0, inputs, 14 * 60_000)).toBeUndefined();
    expect(priceStep(rule, 5000, 0, inputs, 15 * 60_000)?.toCents).toBe(4000);
  });
});
