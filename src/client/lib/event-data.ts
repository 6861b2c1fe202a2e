import * as z from "zod/mini";

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
  sections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["seated", "ga"]),
      priceCents: z.int(),
      available: z.int(),
    }),
  ),
});
