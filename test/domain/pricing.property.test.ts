/**
 * The pricing rules against a reference model that works in exact rationals (BigInt), and the
 * counts and dynamic steps against their invariants, over random inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Fee, type PriceRules, priceOrder, unitPrice } from "../../src/domain/pricing";
import { LimitedCounts } from "../../src/domain/pricing-counts";
import { type DynamicRule, priceStep } from "../../src/domain/pricing-dynamic";
import { discountedBase, type Voucher } from "../../src/domain/pricing-vouchers";

/** Rates are generated in hundredths of a percent, so the model can hold them exactly. */
const bpToPercent = (bp: number): number => bp / 100;

/** round_half_up(n / d) by comparing the remainder, in BigInt. */
function refRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d) * 2n >= d ? q + 1n : q;
}

interface RefRules {
  perTicket: number[];
  perOrder: number[];
  percentBp: number[];
  tax?: { bp: number; included: boolean };
}

type RefPrice = { price: bigint; base: bigint; fees: bigint; tax: bigint };

function refTaxed(b: bigint, fees: bigint, tax: RefRules["tax"]): RefPrice {
  if (!tax || tax.bp === 0) return { price: b + fees, base: b, fees, tax: 0n };
  const r = BigInt(tax.bp);
  if (tax.included) {
    const onBase = refRound(b * r, 10_000n + r);
    const onFees = refRound(fees * r, 10_000n + r);
    return { price: b + fees, base: b - onBase, fees: fees - onFees, tax: onBase + onFees };
  }
  const t = refRound((b + fees) * r, 10_000n);
  return { price: b + fees + t, base: b, fees, tax: t };
}

function refUnit(base: number, rules: RefRules): RefPrice {
  if (base === 0) return { price: 0n, base: 0n, fees: 0n, tax: 0n };
  const b = BigInt(base);
  let fees = 0n;
  for (const a of rules.perTicket) fees += BigInt(a);
  for (const bp of rules.percentBp) fees += refRound(b * BigInt(bp), 10_000n);
  return refTaxed(b, fees, rules.tax);
}

const refRules = fc.record({
  perTicket: fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 2 }),
  perOrder: fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 2 }),
  percentBp: fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 2 }),
  tax: fc.option(fc.record({ bp: fc.integer({ min: 0, max: 3_000 }), included: fc.boolean() }), {
    nil: undefined,
  }),
});

function toRules(ref: RefRules): PriceRules {
  const fees: Fee[] = [
    ...ref.perTicket.map((amount) => ({ name: "t", kind: "per_ticket" as const, amount })),
    ...ref.perOrder.map((amount) => ({ name: "o", kind: "per_order" as const, amount })),
    ...ref.percentBp.map((bp) => ({ name: "p", kind: "percent" as const, amount: bpToPercent(bp) })),
  ];
  return {
    fees,
    ...(ref.tax && { tax: { name: "tax", ratePercent: bpToPercent(ref.tax.bp), included: ref.tax.included } }),
  };
}

const base = fc.integer({ min: 0, max: 10_000_000 });
const lines = fc.array(
  fc.record({
    sectionId: fc.constantFrom("A", "B", "FLOOR"),
    ticketType: fc.constantFrom("adult", "child"),
    quantity: fc.integer({ min: 1, max: 8 }),
    baseCents: base,
  }),
  { minLength: 1, maxLength: 6 },
);

describe("pricing against the reference model", () => {
  it("prices one ticket as the exact model does, and its breakdown adds up", () => {
    fc.assert(
      fc.property(base, refRules, (cents, ref) => {
        const unit = unitPrice(cents, toRules(ref));
        const model = refUnit(cents, ref);
        expect(BigInt(unit.priceCents)).toBe(model.price);
        expect(BigInt(unit.breakdown.taxCents)).toBe(model.tax);
        const { baseCents, feesCents, taxCents } = unit.breakdown;
        expect(baseCents + feesCents + taxCents).toBe(unit.priceCents);
        expect(BigInt(baseCents)).toBe(model.base);
        expect(BigInt(feesCents)).toBe(model.fees);
        expect(Math.min(baseCents, feesCents, taxCents)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it("totals equal the sum of the rounded lines, and the breakdown the total", () => {
    fc.assert(
      fc.property(lines, refRules, (order, ref) => {
        const priced = priceOrder(order, toRules(ref));
        let sum = 0n;
        let payable = false;
        for (const line of order) {
          const unit = refUnit(line.baseCents, ref);
          sum += unit.price * BigInt(line.quantity);
          if (unit.price > 0n) payable = true;
        }
        const orderFees = ref.perOrder.reduce((a, b) => a + b, 0);
        if (payable && orderFees > 0) sum += refTaxed(0n, BigInt(orderFees), ref.tax).price;
        expect(BigInt(priced.totalCents)).toBe(sum);
        const lineSum = priced.lines.reduce((a, l) => a + l.lineCents, 0) + (priced.orderFee?.priceCents ?? 0);
        expect(priced.totalCents).toBe(lineSum);
        const { baseCents, feesCents, taxCents } = priced.breakdown;
        expect(baseCents + feesCents + taxCents).toBe(priced.totalCents);
      }),
      { numRuns: 300 },
    );
  });

  it("a voucher never raises a price nor takes it below zero", () => {
    const voucher = fc.record({
      kind: fc.constantFrom("percent", "amount", "price", "unlock") as fc.Arbitrary<Voucher["kind"]>,
      value: fc.integer({ min: -10, max: 20_000 }),
    });
    fc.assert(
      fc.property(base, voucher, (cents, v) => {
        const after = discountedBase(cents, { voucherId: "v", code: "C", maxUses: 1, ...v });
        expect(after).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(cents);
      }),
    );
  });
});

describe("limited counts against a plain model", () => {
  it("never passes a limit, whatever the order of takes and give-backs", () => {
    const op = fc.record({
      key: fc.constantFrom("voucher:a", "voucher:b", "type:child"),
      n: fc.integer({ min: 1, max: 4 }),
      take: fc.boolean(),
    });
    const limits: Record<string, number> = { "voucher:a": 5, "voucher:b": 1, "type:child": 7 };
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const counts = new LimitedCounts();
        const model: Record<string, number> = {};
        const taken: { key: string; n: number }[] = [];
        for (const { key, n, take } of ops) {
          if (take) {
            const fits = counts.fits([[key, n, limits[key]]]);
            expect(fits).toBe((model[key] ?? 0) + n <= limits[key]!);
            if (fits) {
              counts.add(key, n);
              model[key] = (model[key] ?? 0) + n;
              taken.push({ key, n });
            }
          } else {
            const back = taken.findIndex((t) => t.key === key);
            if (back < 0) continue;
            counts.add(key, -taken[back]!.n);
            model[key]! -= taken[back]!.n;
            taken.splice(back, 1);
          }
          expect(counts.used(key)).toBe(model[key] ?? 0);
          expect(counts.used(key)).toBeLessThanOrEqual(limits[key]!);
        }
      }),
    );
  });
});

describe("dynamic pricing over random demand curves", () => {
  const rule: fc.Arbitrary<DynamicRule> = fc
    .record({
      floorCents: fc.integer({ min: 100, max: 10_000 }),
      span: fc.integer({ min: 0, max: 20_000 }),
      maxStepPercent: fc.integer({ min: 1, max: 50 }),
      everyMinutes: fc.integer({ min: 1, max: 60 }),
    })
    .map(({ span, ...r }) => ({ ...r, ceilingCents: r.floorCents + span }));
  const demand = fc.array(
    fc.record({
      minutes: fc.integer({ min: 0, max: 30 }),
      holdsPerMinute: fc.double({ min: 0, max: 50, noNaN: true }),
      queueLength: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 100 },
  );

  it("stays within bounds, one step of at most maxStepPercent per period", () => {
    fc.assert(
      fc.property(rule, demand, (r, curve) => {
        let price = r.floorCents;
        let last: number | undefined;
        let now = 0;
        let available = 1_000;
        for (const point of curve) {
          now += point.minutes * 60_000;
          available = Math.max(0, available - Math.round(point.holdsPerMinute));
          const inputs = { ...point, available, capacity: 1_000, minutesLeft: 10_000 - now / 60_000 };
          const step = priceStep(r, price, last, inputs, now);
          if (!step) {
            expect(last !== undefined && now - last < r.everyMinutes * 60_000).toBe(true);
            continue;
          }
          expect(step.toCents).toBeGreaterThanOrEqual(r.floorCents);
          expect(step.toCents).toBeLessThanOrEqual(r.ceilingCents);
          expect(Math.abs(step.toCents - price)).toBeLessThanOrEqual((price * r.maxStepPercent) / 100);
          price = step.toCents;
          last = now;
        }
      }),
    );
  });
});
