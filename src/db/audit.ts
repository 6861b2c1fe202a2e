import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "./client";
import { auditLog } from "./schema";

export type AuditRow = typeof auditLog.$inferSelect;

/** What was done to what: `event.create`, `order.refund`, `seats.kill`, `member.add`, ... */
export interface AuditEntry {
  actorId: string;
  actorEmail?: string | undefined;
  action: string;
  targetType: "venue" | "event" | "order" | "kill" | "comp" | "org" | "member" | "notifications" | "voucher";
  target: string;
  eventId?: string | undefined;
  /** Whose records these are: the organizer (or organization) that owns the target. */
  ownerId: string;
  details?: Record<string, unknown>;
}

/**
 * The statement that appends one entry, for a caller that wants it in the same D1 batch as the
 * action itself; `appendAudit` runs it alone.
 */
export function auditInsert(db: Database, entry: AuditEntry, at = Date.now()) {
  return db.insert(auditLog).values({
    at,
    actorId: entry.actorId,
    actorEmail: entry.actorEmail ?? null,
    action: entry.action,
    targetType: entry.targetType,
    target: entry.target,
    eventId: entry.eventId ?? null,
    ownerId: entry.ownerId,
    detailsJson: JSON.stringify(entry.details ?? {}),
  });
}

export async function appendAudit(db: Database, entry: AuditEntry, at = Date.now()): Promise<void> {
  await auditInsert(db, entry, at);
}

export interface AuditQuery {
  /** One event's entries. */
  eventId?: string | undefined;
  /** Only entries owned by one of these (an organizer's own and its organizations'); none = all (admin). */
  owners?: string[] | undefined;
  /** Entries older than this `seq` (the previous page's `nextCursor`). */
  before?: number | undefined;
  limit: number;
}

/** Newest first; one more than `limit` is read to know whether another page follows. */
export async function listAudit(db: Database, query: AuditQuery): Promise<{ rows: AuditRow[]; next?: number }> {
  const where: SQL[] = [];
  if (query.eventId !== undefined) where.push(eq(auditLog.eventId, query.eventId));
  if (query.before !== undefined) where.push(lt(auditLog.seq, query.before));
  const owners = query.owners;
  const selectFor = (owner?: string) =>
    db
      .select()
      .from(auditLog)
      .where(and(...where, ...(owner === undefined ? [] : [eq(auditLog.ownerId, owner)])))
      .orderBy(desc(auditLog.seq))
      .limit(query.limit + 1);
  let rows: AuditRow[];
  if (owners === undefined) rows = await selectFor();
  else {
    // One indexed range per owner, merged: an organizer belongs to few organizations.
    const parts = await Promise.all(owners.map((o) => selectFor(o)));
    rows = parts.flat().sort((a, b) => b.seq - a.seq);
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return rows.length > query.limit && last ? { rows: page, next: last.seq } : { rows: page };
}
