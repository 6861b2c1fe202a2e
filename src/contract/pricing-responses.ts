import { z } from "zod";

/** What the voucher routes answer. Beside responses.ts, by the same rules (open objects, no platform imports). */

const Time = z.string().meta({ format: "date-time", examples: ["2027-06-01T19:30:00.000Z"] });

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
