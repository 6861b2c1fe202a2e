import { type PricedHold, priceHold } from "./hold-pricing";
import type { LimitedCounts } from "./pricing-counts";
import { shownPrice } from "./pricing-event";
import { livePricing } from "./pricing-live";
import type { Voucher } from "./pricing-vouchers";
import { refuse } from "./refusals";
import { ok, type Result } from "./result";
import { checkSalesWindow } from "./sales-window";
import type { GaTake, Stock } from "./stock";
import type { HoldItem, HoldRequest, InventoryConfig } from "./types";

/** What a hold request asks for, resolved against the stock: seat indexes and GA places. */
export interface Selection {
  seats: number[];
  ga: GaTake[];
  quantity: number;
}

/** A hold the rules allow, priced. */
export interface Decision extends Selection, PricedHold {}

/** What the checks read: they decide, they change nothing. */
export interface HoldContext {
  config: InventoryConfig;
  stock: Stock;
  now: number;
  /** Tickets the requesting user holds or bought for this event already. */
  alreadyHeld: number;
  /** Type quotas and voucher uses taken (see hold-pricing.ts). */
  counts: LimitedCounts;
  voucher: (code: string) => Voucher | undefined;
}

type Check = (selection: Selection, request: HoldRequest, context: HoldContext) => Result<void>;

/** Is the event selling now, to this buyer (a presale code in a presale)? */
const window = (request: HoldRequest, context: HoldContext): Result<void> =>
  checkSalesWindow(context.config, context.now, request.presaleCode);

/** Which seats and places the request names; unknown ones, bad quantities and empty requests are refused. */
/** GA items as places per section (one entry a section, quantities summed); every section must exist. */
export function gaTakes(stock: Stock, items: readonly { sectionId: string; quantity: number }[]): Result<GaTake[]> {
  const ga: GaTake[] = [];
  for (const item of items) {
    const section = stock.gaSection(item.sectionId);
    if (!section) return refuse.unknownGaSection(item.sectionId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) return refuse.badQuantity();
    const same = ga.find(([s]) => s === section.index);
    if (same) same[1] += item.quantity;
    else ga.push([section.index, item.quantity]);
  }
  return ok(ga);
}

function select(request: HoldRequest, stock: Stock): Result<Selection> {
  const seats: number[] = [];
  const unknown: string[] = [];
  const seen = new Set<number>();
  for (const id of request.seatIds) {
    const index = stock.map.seatAt(id);
    if (index === undefined) unknown.push(id);
    else if (!seen.has(index)) {
      seen.add(index);
      seats.push(index);
    }
  }
  if (unknown.length > 0) return refuse.unknownSeats(unknown);
  const gathered = gaTakes(stock, request.ga);
  if (!gathered.ok) return gathered;
  const ga = gathered.value;
  let quantity = seats.length;
  for (const [, q] of ga) quantity += q;
  if (quantity === 0) return refuse.emptyHold();
  return ok({ seats, ga, quantity });
}

/** At most `perOrder` tickets in one hold, and `perUser` for the event altogether. */
const limits: Check = ({ quantity }, _request, { config, alreadyHeld }) => {
  const { perOrder, perUser } = config.limits;
  if (quantity > perOrder) return refuse.perOrder(perOrder, alreadyHeld, quantity);
  if (alreadyHeld + quantity > perUser) return refuse.perUser(perUser, alreadyHeld, quantity);
  return ok(undefined);
};

/** Every seat free and enough places left in each GA section (counted by the stock, not the holds). */
const availability: Check = ({ seats, ga }, _request, { stock }) => {
  const unavailable = seats.filter((s) => !stock.isFree(s));
  if (unavailable.length > 0) {
    return refuse.seatsUnavailable(
      unavailable.map((s) => stock.map.seatIds[s]!),
      stock.alternativesFor(seats, unavailable),
    );
  }
  for (const [s, q] of ga) {
    const left = stock.left(s);
    if (left < q) return refuse.soldOut(stock.map.sections[s]!, left);
  }
  return ok(undefined);
};

/** The checks a selection must pass, in order; the first refusal is the answer. */
export const HOLD_CHECKS: ReadonlyArray<readonly [name: string, check: Check]> = [
  ["limits", limits],
  ["availability", availability],
];

/** The price a section shows now, all-in; live holds keep the price they were made at. */
export const priceOf = (config: InventoryConfig, stock: Stock, section: number): number =>
  shownPrice(livePricing(config), stock.map.sections[section]!.id);

/** A comp's items: each seat and GA place at no cost. */
function freeItems({ seats, ga }: Selection, stock: Stock): PricedHold {
  const items: HoldItem[] = seats.map((s) => ({ seatId: stock.map.seatIds[s]!, quantity: 1, priceCents: 0 }));
  for (const [s, q] of ga) items.push({ sectionId: stock.map.sections[s]!.id, quantity: q, priceCents: 0 });
  return { items, totalCents: 0 };
}

/**
 * Decides a hold: the sales window, then what it names, then each of HOLD_CHECKS, then its price
 * (with its types and voucher).
 * Pure: the caller commits the decision.
 */
export function decideHold(request: HoldRequest, context: HoldContext): Result<Decision> {
  if (request.comp) return decideComp(request, context);
  const open = window(request, context);
  if (!open.ok) return open;
  const selection = select(request, context.stock);
  if (!selection.ok) return selection;
  for (const [, check] of HOLD_CHECKS) {
    const verdict = check(selection.value, request, context);
    if (!verdict.ok) return verdict;
  }
  const priced = priceHold(request, selection.value, { ...context, pricing: livePricing(context.config) });
  if (!priced.ok) return priced;
  return ok({ ...selection.value, ...priced.value });
}

/**
 * An organizer's comp: the seats must be free like any hold's, but neither the sales window (comps
 * go out before the sale opens) nor the buyer limits apply, and it costs nothing. A cancelled event
 * gives none.
 */
function decideComp(request: HoldRequest, context: HoldContext): Result<Decision> {
  if (context.config.state === "cancelled") return refuse.cancelled();
  const selection = select(request, context.stock);
  if (!selection.ok) return selection;
  const verdict = availability(selection.value, request, context);
  if (!verdict.ok) return verdict;
  return ok({ ...selection.value, ...freeItems(selection.value, context.stock) });
}
