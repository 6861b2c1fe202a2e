import { desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { itemsAndTickets } from "../db/orders";
import { orders, sections, venues } from "../db/schema";

/** What the organizer page lists besides events: recent orders to refund, venues to create events in. */

export interface OrganizerOrder {
  orderId: string;
  eventId: string;
  status: string;
  totalCents: number;
  refundedCents: number;
  currency: string;
  tickets: { ticketId: string; status: string; where: string; priceCents: number | undefined }[];
}

const ORDERS_PER_PAGE = 100;

/** The newest orders of these events that can still be refunded (in whole or in part). */
export async function refundableOrders(db: Database, eventIds: string[]): Promise<OrganizerOrder[]> {
  if (eventIds.length === 0) return [];
  const rows = await db
    .select()
    .from(orders)
    .where(inArray(orders.eventId, eventIds.slice(0, 90)))
    .orderBy(desc(orders.createdAt))
    .limit(ORDERS_PER_PAGE);
  const open = rows.filter((o) => o.status === "confirmed" || o.status === "partially_refunded");
  const { items, tickets } = await itemsAndTickets(
    db,
    open.map((o) => o.id),
  );
  return open.map((o) => ({
    orderId: o.id,
    eventId: o.eventId,
    status: o.status,
    totalCents: o.totalCents,
    refundedCents: o.refundedCents,
    currency: o.currency,
    tickets: tickets
      .filter((t) => t.orderId === o.id)
      .map((t) => ({
        ticketId: t.id,
        status: t.status,
        where: t.seatId ?? `${t.sectionId ?? ""} (standing)`,
        priceCents: items.find(
          (i) => i.orderId === o.id && (i.seatId ? i.seatId === t.seatId : i.sectionId === t.sectionId),
        )?.priceCents,
      })),
  }));
}

export interface OrganizerVenue {
  venueId: string;
  name: string;
  city: string;
  sections: { id: string; name: string }[];
}

/** The venues an organizer made (all of them for an admin), with their sections, for "Create an event". */
export async function venuesOf(db: Database, organizerId: string | undefined): Promise<OrganizerVenue[]> {
  const base = db.select().from(venues);
  const rows = await (organizerId ? base.where(eq(venues.organizerId, organizerId)) : base)
    .orderBy(desc(venues.createdAt))
    .limit(20);
  if (rows.length === 0) return [];
  const parts = await db
    .select()
    .from(sections)
    .where(
      inArray(
        sections.venueId,
        rows.map((v) => v.id),
      ),
    )
    .orderBy(sections.position);
  return rows.map((v) => ({
    venueId: v.id,
    name: v.name,
    city: v.city,
    sections: parts.filter((s) => s.venueId === v.id).map((s) => ({ id: s.id, name: s.name })),
  }));
}
