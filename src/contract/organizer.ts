import { z } from "zod";
import { Time } from "./primitives";

/**
 * What the organizer-operations routes answer (audit log, kills and comps, order search,
 * teams). Kept beside responses.ts, not in it: the same rules (open objects, no platform imports).
 */

export const AuditLogEntry = z.object({
  at: Time,
  /** The user id (a token's `sub`) who acted. */
  actor: z.string(),
  actorEmail: z.string().nullable(),
  /** `venue.create`, `event.create`, `event.update`, `event.publish`, `event.cancel`, `order.refund`, ... */
  action: z.string(),
  /** The id of what was acted on (event, venue, order, kill, organization, member e-mail). */
  target: z.string(),
  targetType: z.string(),
  eventId: z.string().nullable(),
  /** What changed: the fields of an edit, the tickets of a refund, the seats of a kill. */
  details: z.record(z.string(), z.unknown()),
});

export const AuditLog = z.object({
  data: z.array(AuditLogEntry),
  /** `nextCursor`: pass as `cursor` for the next (older) page; null on the last. */
  meta: z.object({ nextCursor: z.string().nullable() }),
});

export type AuditLogEntryView = z.output<typeof AuditLogEntry>;

const GaItem = z.object({ sectionId: z.string(), quantity: z.number().int().min(1) });

/** Seats or GA places an organizer took off sale for one event. */
export const Kill = z.object({
  killId: z.string(),
  eventId: z.string(),
  seatIds: z.array(z.string()),
  ga: z.array(GaItem),
  reason: z.string(),
  createdAt: Time,
  /** The room's inventory version after the change. */
  version: z.number().int().min(0),
});

export type KillView = z.output<typeof Kill>;

/** A ticket as the organizer's order list shows it: never its code. */
export const OrganizerTicket = z.object({
  ticketId: z.string(),
  status: z.enum(["valid", "used", "void", "transferred"]),
  seatId: z.string().nullable(),
  sectionId: z.string().nullable(),
  firstScannedAt: Time.nullable(),
});

/** An order in the organizer's list: the buyer's fields plus `email`. */
export const OrganizerOrder = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  invoiceNumber: z.number().int().min(1).nullable(),
  eventId: z.string(),
  status: z.enum(["pending", "confirmed", "partially_refunded", "failed", "refunded", "cancelled"]),
  email: z.string().nullable(),
  userId: z.string(),
  totalCents: z.number().int().min(0),
  refundedCents: z.number().int().min(0),
  currency: z.string(),
  items: z.array(
    z.object({
      seatId: z.string().optional(),
      sectionId: z.string().nullable().optional(),
      quantity: z.number().int(),
      priceCents: z.number().int(),
      ticketType: z.string().optional(),
      breakdown: z
        .object({ baseCents: z.number().int(), feesCents: z.number().int(), taxCents: z.number().int() })
        .optional(),
    }),
  ),
  tickets: z.array(OrganizerTicket),
  createdAt: Time,
  updatedAt: Time,
});

export const OrganizerOrderList = z.object({
  data: z.array(OrganizerOrder),
  /** `nextCursor`: pass as `cursor` for the next (older) page; null on the last. */
  meta: z.object({ nextCursor: z.string().nullable() }),
});

export type OrganizerOrderView = z.output<typeof OrganizerOrder>;

export const TeamRoleName = z.enum(["owner", "manager", "box_office", "scanner"]);

export const OrgCreate = z.object({ name: z.string().trim().min(1).max(200) });
export const OrgIdParam = z.object({ orgId: z.string().regex(/^org_[a-z0-9]{1,40}$/, "must be an organization id") });
export const MemberPut = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  role: TeamRoleName,
});

export const OrgMember = z.object({ orgId: z.string(), email: z.string(), role: TeamRoleName, addedAt: Time });

/** An organization: its events' members act with their roles (owner, manager, box_office, scanner). */
export const Org = z.object({
  orgId: z.string(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: Time,
  members: z.array(OrgMember),
});
