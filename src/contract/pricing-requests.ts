import { z } from "zod";

/**
 * What an event body may say about its prices (the contract's "Pricing"): ticket types, fees,
 * tax and per-section dynamic bounds. Shared by the event schemas, the database layer and tests.
 */

const cents = z.number().int().min(0).max(100_000_000);
const label = z.string().trim().min(1).max(100);
const percent = z.number().min(0).max(100);
const sectionKey = z.string().regex(/^(?:[A-Za-z0-9]{1,16}|\*)$/, "must be a section id or *");
export const TICKET_TYPE_ID = /^[A-Za-z0-9_-]{1,32}$/;

const TicketTypeInput = z
  .object({
    id: z.string().regex(TICKET_TYPE_ID, "must be 1-32 letters, digits, - or _"),
    name: label,
    description: z.string().trim().max(500).optional(),
    prices: z.record(sectionKey, cents).refine((p) => Object.keys(p).length > 0, "needs at least one price"),
    quota: z.number().int().min(0).max(10_000_000).optional(),
    minPerOrder: z.number().int().min(1).max(100).optional(),
    maxPerOrder: z.number().int().min(1).max(100).optional(),
    requiresVoucher: z.boolean().optional(),
  })
  .refine((t) => t.minPerOrder === undefined || t.maxPerOrder === undefined || t.minPerOrder <= t.maxPerOrder, {
    message: "must not be above maxPerOrder",
    path: ["minPerOrder"],
  });

export const TicketTypes = z
  .array(TicketTypeInput)
  .min(1)
  .max(50)
  .superRefine((types, ctx) => {
    const ids = new Set<string>();
    types.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: "is used twice" });
      ids.add(t.id);
    });
  });

const FeeInput = z
  .object({
    name: label,
    kind: z.enum(["per_ticket", "per_order", "percent"]),
    amount: z.number().min(0).max(100_000_000),
  })
  .superRefine((fee, ctx) => {
    if (fee.kind === "percent" && fee.amount > 100) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "a percent fee is at most 100" });
    }
    if (fee.kind !== "percent" && !Number.isInteger(fee.amount)) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "must be whole minor units" });
    }
  });

export const Fees = z.array(FeeInput).max(10);

export const TaxInput = z.object({ name: label, ratePercent: percent, included: z.boolean() });

const DynamicInput = z
  .object({
    floorCents: cents,
    ceilingCents: cents,
    maxStepPercent: z.number().min(0.1).max(100),
    everyMinutes: z.number().int().min(1).max(1440),
  })
  .refine((d) => d.floorCents <= d.ceilingCents, { message: "must not be above ceilingCents", path: ["floorCents"] });

export const Dynamic = z.record(z.string().regex(/^[A-Za-z0-9]{1,16}$/, "must be a section id"), DynamicInput);

/** The pricing fields of an event body (create and PATCH); `tax: null` in a PATCH removes the tax. */
export const pricingFields = {
  ticketTypes: TicketTypes,
  fees: Fees,
  tax: TaxInput.nullable(),
  dynamic: Dynamic,
};

export interface PricingSettings {
  ticketTypes?: z.output<typeof TicketTypes>;
  fees?: z.output<typeof Fees>;
  tax?: z.output<typeof TaxInput> | null;
  dynamic?: z.output<typeof Dynamic>;
}

const isoTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2027-06-01T19:30:00Z" })
  .transform((s) => Date.parse(s));

/** One `code`, or `count` unique generated codes (presale codes: `maxUses: 1` each). */
export const VoucherCreate = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,32}$/, "must be 3-32 letters, digits, - or _")
      .optional(),
    count: z.number().int().min(1).max(1000).optional(),
    kind: z.enum(["percent", "amount", "price", "unlock"]),
    value: z.number().min(0).max(100_000_000).optional(),
    maxUses: z.number().int().min(1).max(1_000_000),
    validFrom: isoTime.optional(),
    validUntil: isoTime.optional(),
    ticketTypes: z.array(z.string().regex(TICKET_TYPE_ID, "must be a ticket type id")).min(1).max(50).optional(),
    sections: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/, "must be a section id"))
      .min(1)
      .max(200)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.code === undefined) === (v.count === undefined)) {
      ctx.addIssue({ code: "custom", path: ["code"], message: "send either code or count" });
    }
    if (v.kind !== "unlock" && v.value === undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `a ${v.kind} voucher needs a value` });
    }
    if (v.kind === "percent" && (v.value ?? 0) > 100) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "a percent is at most 100" });
    }
    if (v.kind !== "percent" && v.value !== undefined && !Number.isInteger(v.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be whole minor units" });
    }
    if (v.validFrom !== undefined && v.validUntil !== undefined && v.validFrom >= v.validUntil) {
      ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must be after validFrom" });
    }
  });
export type VoucherCreate = z.output<typeof VoucherCreate>;

export const VoucherPatch = z.object({ disabled: z.boolean() });

export const VoucherIdParam = z.object({
  voucherId: z.string().regex(/^vch_[A-Za-z0-9]{1,40}$/, "must be a voucher id"),
});
