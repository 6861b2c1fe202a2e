import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newOrderNumber } from "../domain/order-numbers";
import { chunkRows } from "./batching";
import type { Database } from "./client";
import { orderItems, orders, payments, processedWebhookEvents, tickets } from "./schema";

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type Statement = BatchItem<"sqlite">;

/**
 * Creates the hold's order once, with its items (their ids derive from the order's, so the
 * fulfilment's copy of them changes nothing); a second checkout of the same hold finds the first.
 * The order number is drawn here; in the rare case it is taken, the insert does nothing and no
 * order of this hold exists, so it is drawn again.
 */
export async function pendingOrderFor(
  db: Database,
  order: Pick<OrderRow, "id" | "userId" | "eventId" | "holdId" | "totalCents" | "currency"> &
    Partial<Pick<OrderRow, "orderFeeJson" | "voucherCode" | "email">>,
  items: (id: string) => OrderItemRow[],
): Promise<OrderRow> {
  const now = Date.now();
  let row: OrderRow | undefined;
  for (let attempt = 0; attempt < 5 && !row; attempt++) {
    await db
      .insert(orders)
      .values({
        ...order,
        orderNumber: newOrderNumber(),
        status: "pending",
        paymentIntentId: null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    [row] = await db.select().from(orders).where(eq(orders.holdId, order.holdId));
  }
  if (!row) throw new Error("order vanished after insert");
  const rows = items(row.id);
  if (rows.length > 0) await db.batch(insertItems(db, rows) as [Statement, ...Statement[]]);
  return row;
}

export async function attachPaymentIntent(
  db: Database,
  order: OrderRow,
  paymentIntentId: string,
  provider: string,
): Promise<void> {
  const now = Date.now();
  await db.batch([
    db
      .update(orders)
      .set({ paymentIntentId, updatedAt: now })
      .where(and(eq(orders.id, order.id), sql`${orders.paymentIntentId} IS NULL`)),
    db
      .insert(payments)
      .values({
        id: paymentIntentId,
        orderId: order.id,
        provider,
        amountCents: order.totalCents,
        currency: order.currency,
        status: "requires_payment",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
  ]);
}

export async function findOrder(db: Database, orderId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
  return row;
}

export async function findOrderByHold(db: Database, holdId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.holdId, holdId));
  return row;
}

export async function findOrderByIntent(db: Database, paymentIntentId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.paymentIntentId, paymentIntentId));
  return row;
}

export async function ordersOfUser(db: Database, userId: string): Promise<OrderRow[]> {
  return db.select().from(orders).where(eq(orders.userId, userId)).orderBy(desc(orders.createdAt)).limit(200);
}

/**
 * The items and tickets of some orders, as their owners hold them: a ticket transferred away stays
 * (the view shows it as `transferred`, without its code), its replacement belongs to someone else
 * and is left out. IN lists are chunked under D1's 100 bound parameters.
 */
export async function itemsAndTickets(
  db: Database,
  orderIds: string[],
): Promise<{ items: OrderItemRow[]; tickets: TicketRow[] }> {
  if (orderIds.length === 0) return { items: [], tickets: [] };
  const parts = chunkRows(orderIds, 1).map((ids) => [
    db.select().from(orderItems).where(inArray(orderItems.orderId, ids)),
    db
      .select()
      .from(tickets)
      .where(
        and(
          inArray(tickets.orderId, ids),
          sql`${tickets.userId} = (SELECT ${orders.userId} FROM ${orders} WHERE ${orders.id} = ${tickets.orderId})`,
        ),
      ),
  ]);
  const results = (await db.batch(parts.flat() as unknown as [Statement, ...Statement[]])) as unknown[][];
  const items: OrderItemRow[] = [];
  const ticketRows: TicketRow[] = [];
  results.forEach((rows, i) => {
    if (i % 2 === 0) items.push(...(rows as OrderItemRow[]));
    else ticketRows.push(...(rows as TicketRow[]));
  });
  return { items, tickets: ticketRows };
}

export async function isProcessed(db: Database, stripeEventId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: processedWebhookEvents.id })
    .from(processedWebhookEvents)
    .where(eq(processedWebhookEvents.id, stripeEventId));
  return row !== undefined;
}

export const markProcessed = (db: Database, stripeEventId: string, type: string): Statement =>
  db.insert(processedWebhookEvents).values({ id: stripeEventId, type, processedAt: Date.now() }).onConflictDoNothing();

/** How far a payment has come: a status never replaces one further on (a late decline after success). */
const paymentRank = (status: string): number =>
  status === "succeeded" ? 1 : status === "refunded" || status === "refunded_mismatch" ? 2 : 0;

export const setPaymentStatus = (db: Database, paymentIntentId: string, status: string): Statement =>
  db
    .update(payments)
    .set({ status, updatedAt: Date.now() })
    .where(
      and(
        eq(payments.id, paymentIntentId),
        sql`(CASE ${payments.status} WHEN 'succeeded' THEN 1 WHEN 'refunded' THEN 2 WHEN 'refunded_mismatch' THEN 2 ELSE 0 END) <= ${paymentRank(status)}`,
      ),
    );

/** Moves an order on, only from the states it may leave: a retry or a late event changes nothing. */
export const transitionOrder = (
  db: Database,
  orderId: string,
  to: OrderRow["status"],
  from: OrderRow["status"][],
): Statement =>
  db
    .update(orders)
    .set({ status: to, updatedAt: Date.now() })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)));

export const insertItems = (db: Database, rows: OrderItemRow[]): Statement[] =>
  chunkRows(rows, 10).map((part) => db.insert(orderItems).values(part).onConflictDoNothing());

export const insertTickets = (db: Database, rows: TicketRow[]): Statement[] =>
  chunkRows(rows, 14).map((part) => db.insert(tickets).values(part).onConflictDoNothing());

/** A declined card: the order stays pending (its hold lasts) and remembers why. */
export const markDeclined = (db: Database, orderId: string, message: string): Statement =>
  db
    .update(orders)
    .set({ lastPaymentError: message.slice(0, 500), updatedAt: Date.now() })
    .where(and(eq(orders.id, orderId), eq(orders.status, "pending")));

/** Stripe's refunded total, which only grows (events may arrive out of order). */
export const recordRefunded = (db: Database, orderId: string, cents: number): Statement =>
  db
    .update(orders)
    .set({ refundedCents: sql`max(${orders.refundedCents}, ${cents})`, updatedAt: Date.now() })
    .where(eq(orders.id, orderId));

/**
 * Tickets written by a confirmation that lost a race with a full refund are void at once: both
 * batches run as transactions, so whichever commits second sees the other's order status.
 */
export const voidTicketsIfRefunded = (db: Database, orderId: string, at: number): Statement =>
  db
    .update(tickets)
    .set({ status: "void", voidedAt: at })
    .where(
      and(
        eq(tickets.orderId, orderId),
        sql`${tickets.status} <> 'void'`,
        sql`(SELECT ${orders.status} FROM ${orders} WHERE ${orders.id} = ${orderId}) = 'refunded'`,
      ),
    );

export const voidTicketsOfOrder = (db: Database, orderId: string, at: number): Statement =>
  db
    .update(tickets)
    .set({ status: "void", voidedAt: at })
    .where(and(eq(tickets.orderId, orderId), sql`${tickets.status} <> 'void'`));
