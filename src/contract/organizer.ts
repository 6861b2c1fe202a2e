import { z } from "zod";

/**
 * What the organizer-operations routes answer (audit log, kills and comps, order search,
 * teams). Kept beside responses.ts, not in it: the same rules (open objects, no platform imports).
 */

const Time = z.string().meta({ format: "date-time", examples: ["2027-06-01T19:30:00.000Z"] });

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
