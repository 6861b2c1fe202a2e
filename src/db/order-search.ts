import { and, asc, desc, eq, gt, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { orderNumberQuery } from "../domain/order-numbers";
import type { Database } from "./client";
import type { OrderRow, TicketRow } from "./orders";
import { orders, tickets } from "./schema";

export type OrderStatus = OrderRow["status"];

/** A keyset position: the last row's creation time and id (ids break ties). */
export interface OrderCursor {
  createdAt: number;
  id: string;
}

export interface OrderSearch {
  eventId: string;
  /** Part of the buyer's e-mail or of an order number, or an order id (or its start). */
  q?: string | undefined;
  status?: OrderStatus | undefined;
  after?: OrderCursor | undefined;
  limit: number;
}

function searchTerms(search: OrderSearch): SQL[] {
  const where: SQL[] = [eq(orders.eventId, search.eventId)];
  if (search.status) where.push(eq(orders.status, search.status));
  const q = search.q?.trim().toLowerCase();
  // instr, not LIKE: what the organizer typed is matched as text, wildcards and all.
  if (q) {
    const number = orderNumberQuery(q);
    where.push(
      or(
        sql`instr(lower(coalesce(${orders.email}, '')), ${q}) > 0`,
        sql`instr(${orders.id}, ${q}) = 1`,
        number === undefined ? undefined : sql`instr(replace(${orders.orderNumber}, '-', ''), ${number}) > 0`,
      )!,
    );
  }
  return where;
}

/** One page of an event's orders, newest first, and the cursor of the next page when there is one. */
export async function searchOrders(
  db: Database,
  search: OrderSearch,
): Promise<{ rows: OrderRow[]; next?: OrderCursor }> {
  const where = searchTerms(search);
  const after = search.after;
  if (after) {
    where.push(
      or(lt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id)))!,
    );
  }
  const rows = await db
    .select()
    .from(orders)
    .where(and(...where))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return rows.length > search.limit && last
    ? { rows: page, next: { createdAt: last.createdAt, id: last.id } }
    : { rows: page };
}

/** Every order of an event matching the search, oldest first, a page at a time (for the CSV export). */
export async function* allOrders(db: Database, search: Omit<OrderSearch, "after" | "limit">, pageSize = 500) {
  let after: OrderCursor | undefined;
  for (;;) {
    const where = searchTerms({ ...search, limit: pageSize });
    if (after) {
      where.push(
        or(gt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), gt(orders.id, after.id)))!,
      );
    }
    const rows = await db
      .select()
      .from(orders)
      .where(and(...where))
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(pageSize);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export interface Attendee {
  ticket: TicketRow;
  email: string | null;
}

/** The event's current tickets (a transferred one only as its new ticket) with their order's e-mail, by id. */
export async function* allAttendees(db: Database, eventId: string, pageSize = 500): AsyncGenerator<Attendee[]> {
  let after = "";
  for (;;) {
    const rows = await db
      .select({ ticket: tickets, email: orders.email })
      .from(tickets)
      .innerJoin(orders, eq(orders.id, tickets.orderId))
      .where(and(eq(tickets.eventId, eventId), isNull(tickets.replacedById), gt(tickets.id, after)))
      .orderBy(asc(tickets.id))
      .limit(pageSize);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = last.ticket.id;
  }
}
