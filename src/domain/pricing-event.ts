/** An event's pricing settings as the room and the catalog read them, and the prices they show. */
import {
  basePriceOf,
  defaultTicketTypes,
  type Fee,
  fromPrice,
  type PriceRules,
  type Tax,
  type TicketType,
  unitPrice,
} from "./pricing";

export interface EventPricing {
  /** Section prices: the default type's, and the catalog's fallback. */
  prices: Record<string, number>;
  ticketTypes?: TicketType[];
  fees?: Fee[];
  tax?: Tax;
}

export const typesOf = (pricing: EventPricing): TicketType[] =>
  pricing.ticketTypes && pricing.ticketTypes.length > 0 ? pricing.ticketTypes : defaultTicketTypes(pricing.prices);

export const rulesOf = (pricing: EventPricing): PriceRules => ({
  fees: pricing.fees ?? [],
  ...(pricing.tax && { tax: pricing.tax }),
});

/**
 * The all-in price a section shows (seat map, event page): its first type on open sale that is
 * sold there, per ticket; 0 when none is.
 */
export function shownPrice(pricing: EventPricing, sectionId: string): number {
  const rules = rulesOf(pricing);
  for (const type of typesOf(pricing)) {
    if (type.requiresVoucher) continue;
    const base = pricing.ticketTypes ? basePriceOf(type, sectionId) : (pricing.prices[sectionId] ?? 0);
    if (base !== undefined) return unitPrice(base, rules).priceCents;
  }
  return 0;
}

/** The catalog's "from": the cheapest single ticket all-in, per-order fees included. */
export function eventFromPrice(pricing: EventPricing, sectionIds: string[]): number {
  return fromPrice(typesOf(pricing), sectionIds, rulesOf(pricing)) ?? 0;
}
