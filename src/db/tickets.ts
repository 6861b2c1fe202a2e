import { and, desc, eq, gte, ne, sql } from "drizzle-orm";
import type { Database } from "./client";
import { checkins, tickets } from "./schema";

export type TicketRow = typeof tickets.$inferSelect;
export type CheckinRow = typeof checkins.$inferSelect;

/** The tickets a user holds now: void ones (refunded, transferred away) are not theirs any more. */
export async function ticketsOfUser(db: Database, userId: string) {
  return db
    .select()
    .from(tickets)
    .where(and(eq(tickets.userId, userId), ne(tickets.status, "void")))
    .orderBy(desc(tickets.issuedAt))
    .limit(500);
}

export async function findTicket(db: Database, ticketId: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
  return row;
}

/**
 * Marks the first scan. The status check and the write are one statement, so of any number of
 * simultaneous scans exactly one finds the ticket valid.
 */
export async function admitOnce(db: Database, ticketId: string, at: number): Promise<boolean> {
  const admitted = await db
    .update(tickets)
    .set({ status: "used", firstScannedAt: at })
    .where(and(eq(tickets.id, ticketId), eq(tickets.status, "valid")))
    .returning({ id: tickets.id });
  return admitted.length === 1;
}

export async function findScan(db: Database, scanKey: string): Promise<CheckinRow | undefined> {
  const [row] = await db.select().from(checkins).where(eq(checkins.scanId, scanKey));
  return row;
}

export async function recordScan(db: Database, row: CheckinRow): Promise<void> {
  await db.insert(checkins).values(row).onConflictDoNothing();
}

/**
 * Voids `old` and issues `replacement` in one transaction. The replacement is copied in only if
 * this very batch voided the old ticket (`replaced_by_id`), so a double transfer issues one.
 * (Raw D1 statements: an INSERT ... SELECT with bound values is clearer here than in drizzle.)
 */
export async function replaceTicket(
  d1: D1Database,
  old: TicketRow,
  replacement: TicketRow,
  at: number,
): Promise<boolean> {
  const [voided] = await d1.batch([
    d1
      .prepare(
        "UPDATE tickets SET status = 'void', voided_at = ?, replaced_by_id = ? WHERE id = ? AND user_id = ? AND status = 'valid'",
      )
      .bind(at, replacement.id, old.id, old.userId),
    d1
      .prepare(
        `INSERT INTO tickets (id, order_id, event_id, user_id, seat_id, section_id, status, code, version, issued_at, replaces_id)
         SELECT ?, order_id, event_id, ?, seat_id, section_id, 'valid', ?, ?, ?, id FROM tickets
         WHERE id = ? AND replaced_by_id = ?`,
      )
      .bind(
        replacement.id,
        replacement.userId,
        replacement.code,
        replacement.version,
        replacement.issuedAt,
        old.id,
        replacement.id,
      ),
  ]);
  return (voided?.meta.changes ?? 0) === 1;
}

export async function revokedSince(db: Database, eventId: string, since: number) {
  return db
    .select({ ticketId: tickets.id, voidedAt: tickets.voidedAt })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), gte(tickets.voidedAt, since)))
    .orderBy(tickets.voidedAt)
    .limit(10_000);
}

/** The door's counts: tickets of the event that admit someone (valid or used), and how many are used. */
export async function checkinCounts(db: Database, eventId: string): Promise<{ checkedIn: number; total: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)`,
      checkedIn: sql<number>`coalesce(sum(case when ${tickets.status} = 'used' then 1 else 0 end), 0)`,
    })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), ne(tickets.status, "void")));
  return { checkedIn: Number(row?.checkedIn ?? 0), total: Number(row?.total ?? 0) };
}
