/**
 * A hold's price: each item's ticket type (the event's first type when none is named), its base
 * in that section, the voucher if one applies, then fees and tax line by line (pricing.ts). The
 * type quotas and voucher uses it would take are checked against the room's counts here and
 * taken by the inventory when it commits the hold; the price is locked in the hold from then on.
 */
import type { Selection } from "./hold-checks";
import { basePriceOf, type Line, type PriceRules, priceOrder, type TicketType, type UnitPrice } from "./pricing";
import type { LimitedCounts } from "./pricing-counts";
import { type EventPricing, rulesOf, typesOf } from "./pricing-event";
import { discountedBase, normalizeCode, type Voucher, voucherApplies, voucherRefusal } from "./pricing-vouchers";
import { refuse } from "./refusals";
import { ok, type Result } from "./result";
import type { Stock } from "./stock";
import type { HoldItem, HoldRequest } from "./types";

export const typeKey = (ticketType: string): string => `type:${ticketType}`;
export const voucherKey = (voucherId: string): string => `voucher:${voucherId}`;

export interface PricingContext {
  pricing: EventPricing;
  stock: Stock;
  now: number;
  counts: LimitedCounts;
  /** A voucher of this event by its normalized code. */
  voucher: (code: string) => Voucher | undefined;
}

export interface PricedHold {
  items: HoldItem[];
  totalCents: number;
  orderFee?: UnitPrice;
  voucher?: Voucher;
}

interface Wanted {
  seatId?: string;
  sectionId: string;
  type: TicketType;
  quantity: number;
}

/** The base of one ticket of `type` in a section: the event's section price for the default type. */
function baseOf(pricing: EventPricing, type: TicketType, sectionId: string): number | undefined {
  return pricing.ticketTypes ? basePriceOf(type, sectionId) : (pricing.prices[sectionId] ?? 0);
}

/** What each item asks for, with its type resolved; a type unknown or not sold in the section is refused. */
function wantedItems(request: HoldRequest, selection: Selection, context: PricingContext): Result<Wanted[]> {
  const types = typesOf(context.pricing);
  const { map } = context.stock;
  const find = (id: string | undefined, sectionId: string): Result<TicketType> => {
    const type = id === undefined ? types[0] : types.find((t) => t.id === id);
    if (!type || baseOf(context.pricing, type, sectionId) === undefined) {
      return refuse.unknownTicketType(id ?? "", sectionId);
    }
    return ok(type);
  };
  const wanted: Wanted[] = [];
  for (const s of selection.seats) {
    const seatId = map.seatIds[s]!;
    const sectionId = map.sections[map.seatSection[s]!]!.id;
    const type = find(request.seatTypes?.[seatId], sectionId);
    if (!type.ok) return type;
    wanted.push({ seatId, sectionId, type: type.value, quantity: 1 });
  }
  for (const item of request.ga) {
    const type = find(item.ticketType, item.sectionId);
    if (!type.ok) return type;
    const same = wanted.find((w) => w.seatId === undefined && w.sectionId === item.sectionId && w.type === type.value);
    if (same) same.quantity += item.quantity;
    else wanted.push({ sectionId: item.sectionId, type: type.value, quantity: item.quantity });
  }
  return ok(wanted);
}

/** Per-order bounds and quotas of each type in the hold. */
function checkTypes(wanted: Wanted[], voucher: Voucher | undefined, counts: LimitedCounts): Result<void> {
  const perType = new Map<TicketType, number>();
  for (const w of wanted) perType.set(w.type, (perType.get(w.type) ?? 0) + w.quantity);
  for (const [type, n] of perType) {
    if (type.maxPerOrder !== undefined && n > type.maxPerOrder)
      return refuse.typeLimit(type, type.maxPerOrder, n, false);
    if (type.minPerOrder !== undefined && n < type.minPerOrder)
      return refuse.typeLimit(type, type.minPerOrder, n, true);
    if (type.quota !== undefined && !counts.fits([[typeKey(type.id), n, type.quota]])) {
      return refuse.typeSoldOut(type, Math.max(0, type.quota - counts.used(typeKey(type.id))));
    }
  }
  if (voucher && !counts.fits([[voucherKey(voucher.voucherId), 1, voucher.maxUses]])) {
    return refuse.voucherInvalid("used_up");
  }
  return ok(undefined);
}

/** Prices a selection the stock can give; refuses a voucher or type that cannot be used. */
export function priceHold(request: HoldRequest, selection: Selection, context: PricingContext): Result<PricedHold> {
  let voucher: Voucher | undefined;
  if (request.voucher !== undefined) {
    voucher = context.voucher(normalizeCode(request.voucher));
    const used = voucher ? context.counts.used(voucherKey(voucher.voucherId)) : 0;
    const reason = voucherRefusal(voucher, used, context.now);
    if (reason) return refuse.voucherInvalid(reason);
  }
  const wanted = wantedItems(request, selection, context);
  if (!wanted.ok) return wanted;
  const lines: Line[] = [];
  let applied = false;
  for (const w of wanted.value) {
    const base = baseOf(context.pricing, w.type, w.sectionId)!;
    const applies = voucher !== undefined && voucherApplies(voucher, w.type.id, w.sectionId);
    if (w.type.requiresVoucher && !applies) return refuse.voucherInvalid(voucher ? "not_applicable" : "required");
    applied ||= applies;
    lines.push({
      sectionId: w.sectionId,
      ticketType: w.type.id,
      quantity: w.quantity,
      baseCents: applies ? discountedBase(base, voucher!) : base,
    });
  }
  if (voucher && !applied) return refuse.voucherInvalid("not_applicable");
  const checked = checkTypes(wanted.value, voucher, context.counts);
  if (!checked.ok) return checked;
  const priced = priceOrder(lines, rulesOf(context.pricing));
  const detailed = detailedPricing(context.pricing, request);
  const items: HoldItem[] = priced.lines.map((line, i) => {
    const w = wanted.value[i]!;
    const place = w.seatId !== undefined ? { seatId: w.seatId } : { sectionId: w.sectionId };
    return {
      ...place,
      quantity: line.quantity,
      priceCents: line.priceCents,
      ...(detailed && { ticketType: line.ticketType, breakdown: line.breakdown }),
    };
  });
  return ok({
    items,
    totalCents: priced.totalCents,
    ...(priced.orderFee && { orderFee: priced.orderFee }),
    ...(voucher && { voucher }),
  });
}

/**
 * Items carry their type and breakdown when the event prices by type, fees or tax, or the request
 * names a type or a voucher; a plain hold on a plain event answers as it always did.
 */
function detailedPricing(pricing: EventPricing, request: HoldRequest): boolean {
  return (
    pricing.ticketTypes !== undefined ||
    (pricing.fees?.length ?? 0) > 0 ||
    pricing.tax !== undefined ||
    request.seatTypes !== undefined ||
    request.voucher !== undefined ||
    request.ga.some((g) => g.ticketType !== undefined)
  );
}

export type { PriceRules };
