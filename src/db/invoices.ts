import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "./client";
import type { Statement } from "./orders";
import { events, invoiceCounters, orders } from "./schema";

/**
 * The statements that give a paid order the next invoice number of its event's organizer. They go
 * in the batch that confirms the order, after its status changes: a D1 batch is one transaction,
 * so two confirmations never take the same number, and a number is only taken by an order that
 * got it (the counter moves only when the order is confirmed, costs money and has none yet), so
 * the sequence has no gaps. A redelivered confirmation changes nothing.
 */
export function assignInvoiceNumber(db: Database, orderId: string, eventId: string): Statement[] {
  const organizer = sql`(SELECT ${events.organizerId} FROM ${events} WHERE ${events.id} = ${eventId})`;
  const due = sql`EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${orderId} AND ${orders.status} = 'confirmed' AND ${orders.invoiceNumber} IS NULL AND ${orders.totalCents} > 0)`;
  return [
    // From the event's row (never a NULL organizer that would fail the whole confirmation).
    db
      .insert(invoiceCounters)
      .select(
        db
          .select({ organizerId: events.organizerId, lastNumber: sql<number>`0`.as("last_number") })
          .from(events)
          .where(eq(events.id, eventId)),
      )
      .onConflictDoNothing(),
    db
      .update(invoiceCounters)
      .set({ lastNumber: sql`${invoiceCounters.lastNumber} + 1` })
      .where(and(eq(invoiceCounters.organizerId, organizer), due)),
    db
      .update(orders)
      .set({
        invoiceNumber: sql`(SELECT ${invoiceCounters.lastNumber} FROM ${invoiceCounters} WHERE ${invoiceCounters.organizerId} = ${organizer})`,
      })
      .where(
        and(
          eq(orders.id, orderId),
          eq(orders.status, "confirmed"),
          isNull(orders.invoiceNumber),
          gt(orders.totalCents, 0),
        ),
      ),
  ];
}
