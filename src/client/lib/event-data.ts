import * as z from "zod/mini";

const UnitPrice = z.object({
  priceCents: z.int(),
  breakdown: z.object({ baseCents: z.int(), feesCents: z.int(), taxCents: z.int() }),
});
export type UnitPrice = z.infer<typeof UnitPrice>;

/** An event with more than one ticket type (PagePricing in src/pages/event-pricing.tsx). */
export const PagePricing = z.object({
  types: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      requiresVoucher: z.boolean(),
      prices: z.record(z.string(), UnitPrice),
    }),
  ),
  taxName: z.nullable(z.string()),
  orderFee: z.nullable(UnitPrice),
});
export type PagePricing = z.infer<typeof PagePricing>;

/** The event page's data as src/pages/event.tsx renders it (EventPageData, same field names). */
export const EventData = z.object({
  eventId: z.string(),
  currency: z.string(),
  perOrder: z.int(),
  queueActive: z.boolean(),
  queueUrl: z.string(),
  signedIn: z.boolean(),
  signIn: z.nullable(z.string()),
  lazy: z.boolean(),
  selling: z.boolean(),
  onSaleAt: z.string(),
  /** The event's split into rooms (groups of section ids), or null for one room. */
  rooms: z.nullable(z.array(z.array(z.string()))),
  sections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["seated", "ga"]),
      priceCents: z.int(),
      available: z.int(),
    }),
  ),
  pricing: z.optional(PagePricing),
});
