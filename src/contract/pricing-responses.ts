import { z } from "zod";
import { Time } from "./primitives";

/** What the voucher routes answer. Beside responses.ts, by the same rules (open objects, no platform imports). */

export const Voucher = z.object({
  voucherId: z.string(),
  eventId: z.string(),
  code: z.string(),
  kind: z.enum(["percent", "amount", "price", "unlock"]),
  value: z.number().nullable(),
  maxUses: z.number().int(),
  /** Uses taken: holds that live or were paid with it (a hold that ends unpaid or is refunded gives its use back). */
  used: z.number().int().min(0),
  validFrom: Time.nullable(),
  validUntil: Time.nullable(),
  ticketTypes: z.array(z.string()).nullable(),
  sections: z.array(z.string()).nullable(),
  disabled: z.boolean(),
  createdAt: Time,
});
export type VoucherView = z.output<typeof Voucher>;

export const VoucherList = z.object({ data: z.array(Voucher) });

/** One dynamic price step the room took, with what it was computed from (src/domain/pricing-dynamic.ts). */
export const PriceStep = z.object({
  sectionId: z.string(),
  at: Time,
  fromCents: z.number().int().min(0),
  toCents: z.number().int().min(0),
  /** Demand in [-1, 1]: 0 on pace to sell out by the start. */
  score: z.number(),
  inputs: z.object({
    available: z.number().int(),
    capacity: z.number().int(),
    holdsPerMinute: z.number(),
    queueLength: z.number().int(),
    minutesLeft: z.number(),
  }),
});
export const PriceStepList = z.object({ data: z.array(PriceStep) });
