/**
 * What a ticket costs: ticket types per section, mandatory fees and tax, as integer minor units.
 * Every price a fan sees is all-in (base + fees + tax) with its breakdown beside it. Each amount
 * is rounded half up once per line (one ticket of one type in one section) and totals are the
 * sum of the rounded lines, so a receipt always adds up. Amounts are in the currency's minor unit
 * whatever its exponent: yen are whole yen, and rounding is to one unit in every currency.
 */

export interface TicketType {
  id: string;
  name: string;
  description?: string;
  /** Base price per section id; `"*"` is every section not named. A section with neither is not sold for this type. */
  prices: Record<string, number>;
  /** At most this many tickets of the type, held or sold, across the event. */
  quota?: number;
  minPerOrder?: number;
  maxPerOrder?: number;
  /** Sold only with a voucher that applies to it (an unlock code, or any voucher for this type). */
  requiresVoucher?: boolean;
}

export type FeeKind = "per_ticket" | "per_order" | "percent";

export interface Fee {
  name: string;
  kind: FeeKind;
  /** Minor units for per_ticket and per_order; a percentage of the (discounted) base for percent. */
  amount: number;
}

export interface Tax {
  name: string;
  ratePercent: number;
  /** true: prices as entered already contain the tax (EU consumer prices); false: it is added on top. */
  included: boolean;
}

export interface PriceRules {
  fees: Fee[];
  tax?: Tax;
}

export interface Breakdown {
  baseCents: number;
  feesCents: number;
  taxCents: number;
}

/** One unit's price: `priceCents` is what is paid and equals the sum of its breakdown. */
export interface UnitPrice {
  priceCents: number;
  breakdown: Breakdown;
}

/** The type an event without ticketTypes sells: one `standard` type at the section prices. */
export const DEFAULT_TYPE_ID = "standard";

export function defaultTicketTypes(sectionPrices: Record<string, number>): TicketType[] {
  return [{ id: DEFAULT_TYPE_ID, name: "Standard", prices: { ...sectionPrices } }];
}

/** A percentage as an integer number of millionths of the whole (up to four decimals of a percent). */
const SCALE = 1_000_000;
const ratio = (percent: number): number => Math.round(percent * 10_000);

/** round_half_up(numerator / denominator) for non-negative integers, exactly. */
function divideHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** `percent` of `cents`, rounded half up to one minor unit. */
export function percentOf(cents: number, percent: number): number {
  return divideHalfUp(cents * ratio(percent), SCALE);
}

/** The tax inside a tax-inclusive amount: gross × r / (100 + r), rounded half up. */
export function includedTaxOf(grossCents: number, ratePercent: number): number {
  const r = ratio(ratePercent);
  return divideHalfUp(grossCents * r, SCALE + r);
}

/** A type's base price in a section, or undefined when the type is not sold there. */
export function basePriceOf(type: TicketType, sectionId: string): number | undefined {
  return type.prices[sectionId] ?? type.prices["*"];
}

/**
 * Puts tax on (or finds it in) an amount made of `base` and `fees`. The breakdown is always net
 * base, net fees and tax; an included tax is taken out of the base and the fees separately, so
 * neither goes below zero.
 */
function taxed(baseCents: number, feesCents: number, tax: Tax | undefined): UnitPrice {
  if (!tax || tax.ratePercent === 0) {
    return { priceCents: baseCents + feesCents, breakdown: { baseCents, feesCents, taxCents: 0 } };
  }
  if (tax.included) {
    const onBase = includedTaxOf(baseCents, tax.ratePercent);
    const onFees = includedTaxOf(feesCents, tax.ratePercent);
    return {
      priceCents: baseCents + feesCents,
      breakdown: { baseCents: baseCents - onBase, feesCents: feesCents - onFees, taxCents: onBase + onFees },
    };
  }
  const taxCents = percentOf(baseCents + feesCents, tax.ratePercent);
  return { priceCents: baseCents + feesCents + taxCents, breakdown: { baseCents, feesCents, taxCents } };
}

/**
 * One ticket's all-in price from its base (after any voucher). A free ticket stays free: fees
 * are charged on what is sold, not on comps and 100% vouchers.
 */
export function unitPrice(baseCents: number, rules: PriceRules): UnitPrice {
  if (baseCents <= 0) return { priceCents: 0, breakdown: { baseCents: 0, feesCents: 0, taxCents: 0 } };
  let feesCents = 0;
  for (const fee of rules.fees) {
    if (fee.kind === "per_ticket") feesCents += fee.amount;
    else if (fee.kind === "percent") feesCents += percentOf(baseCents, fee.amount);
  }
  return taxed(baseCents, feesCents, rules.tax);
}

/** The per-order fees of an order that has something to pay for, taxed like a line; undefined when none. */
export function orderFee(rules: PriceRules, payableTickets: number): UnitPrice | undefined {
  if (payableTickets <= 0) return undefined;
  let feesCents = 0;
  for (const fee of rules.fees) if (fee.kind === "per_order") feesCents += fee.amount;
  if (feesCents === 0) return undefined;
  return taxed(0, feesCents, rules.tax);
}

export interface Line {
  sectionId: string;
  ticketType: string;
  quantity: number;
  /** The unit's base price, after any voucher. */
  baseCents: number;
}

export interface PricedLine extends Line, UnitPrice {
  /** priceCents × quantity. */
  lineCents: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  orderFee?: UnitPrice;
  totalCents: number;
  breakdown: Breakdown;
}

/** Prices an order line by line; the total and its breakdown are sums of the rounded lines. */
export function priceOrder(lines: Line[], rules: PriceRules): PricedOrder {
  const total: Breakdown = { baseCents: 0, feesCents: 0, taxCents: 0 };
  let totalCents = 0;
  let payable = 0;
  const add = (unit: UnitPrice, quantity: number): void => {
    totalCents += unit.priceCents * quantity;
    total.baseCents += unit.breakdown.baseCents * quantity;
    total.feesCents += unit.breakdown.feesCents * quantity;
    total.taxCents += unit.breakdown.taxCents * quantity;
  };
  const priced = lines.map((line) => {
    const unit = unitPrice(line.baseCents, rules);
    add(unit, line.quantity);
    if (unit.priceCents > 0) payable += line.quantity;
    return { ...line, ...unit, lineCents: unit.priceCents * line.quantity };
  });
  const fee = orderFee(rules, payable);
  if (fee) add(fee, 1);
  return { lines: priced, ...(fee && { orderFee: fee }), totalCents, breakdown: total };
}

/**
 * What the cheapest single ticket on offer costs all-in, per-order fees included (catalog "from"),
 * or undefined when nothing is priced. Types that need a voucher are not on open sale.
 */
export function fromPrice(
  types: TicketType[],
  sectionIds: string[],
  rules: PriceRules,
  baseFor: (type: TicketType, sectionId: string) => number | undefined = basePriceOf,
): number | undefined {
  let best: number | undefined;
  for (const type of types) {
    if (type.requiresVoucher) continue;
    for (const sectionId of sectionIds) {
      const base = baseFor(type, sectionId);
      if (base === undefined) continue;
      const unit = unitPrice(base, rules).priceCents;
      const cents = unit + (orderFee(rules, unit > 0 ? 1 : 0)?.priceCents ?? 0);
      if (best === undefined || cents < best) best = cents;
    }
  }
  return best;
}
