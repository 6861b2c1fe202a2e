import { Hono } from "hono";
import { z } from "zod";
import type { OrganizerOrderView } from "../../contract/organizer";
import { database } from "../../db/client";
import { allAttendees, allOrders, type OrderCursor, searchOrders } from "../../db/order-search";
import { itemsAndTickets, type OrderItemRow, type OrderRow, type TicketRow } from "../../db/orders";
import type { AppEnv } from "../context";
import { csvResponse } from "../csv";
import { auth, currentUser } from "../middleware/auth";
import { EventIdParam } from "../schemas";
import { pathParams, queryParams } from "../validate";
import { orderItemsView, orderNumberOf } from "../views";
import { ownedEvent } from "./admin";

const STATUSES = ["pending", "confirmed", "partially_refunded", "failed", "refunded", "cancelled"] as const;
const CURSOR = /^(\d{1,15})\.(ord_[a-z0-9]{1,40})$/;

export const EventOrdersQuery = z.object({
  /** Part of the buyer's e-mail or of an order number (`ORD-7K3P-9QX2`, `7k3p`), or an order id. */
  q: z.string().trim().max(200).optional(),
  status: z.enum(STATUSES).optional(),
  cursor: z.string().regex(CURSOR, "must be a cursor from meta.nextCursor").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const EventOrdersExportQuery = EventOrdersQuery.pick({ q: true, status: true });

const cursorOf = (text: string | undefined): OrderCursor | undefined => {
  const m = text === undefined ? null : CURSOR.exec(text);
  return m ? { createdAt: Number(m[1]), id: m[2]! } : undefined;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function organizerOrderView(order: OrderRow, items: OrderItemRow[], tickets: TicketRow[]): OrganizerOrderView {
  return {
    orderId: order.id,
    orderNumber: orderNumberOf(order),
    invoiceNumber: order.invoiceNumber,
    eventId: order.eventId,
    status: order.status,
    email: order.email,
    userId: order.userId,
    totalCents: order.totalCents,
    refundedCents: order.refundedCents,
    currency: order.currency,
    items: orderItemsView(order.id, items),
    tickets: tickets
      .filter((t) => t.orderId === order.id && t.replacesId === null)
      .map((t) => ({
        ticketId: t.id,
        status: t.replacedById ? "transferred" : t.status,
        seatId: t.seatId,
        sectionId: t.sectionId,
        firstScannedAt: iso(t.firstScannedAt),
      })),
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
  };
}

/** An event's orders and attendees for its organizer: search, pages, and CSV exports (streamed). */
export const eventOrders = new Hono<AppEnv>()
  .get(
    "/admin/events/:eventId/orders",
    auth({ roles: ["organizer"] }),
    pathParams(EventIdParam),
    queryParams(EventOrdersQuery),
    async (c) => {
      const db = database(c.env.DB);
      const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "orders.read");
      const { q, status, cursor, limit } = c.var.query;
      const page = await searchOrders(db, { eventId: bundle.event.id, q, status, after: cursorOf(cursor), limit });
      const { items, tickets } = await itemsAndTickets(
        db,
        page.rows.map((o) => o.id),
      );
      return c.json({
        data: page.rows.map((o) => organizerOrderView(o, items, tickets)),
        meta: { nextCursor: page.next ? `${page.next.createdAt}.${page.next.id}` : null },
      });
    },
  )

  .get(
    "/admin/events/:eventId/orders.csv",
    auth({ roles: ["organizer"] }),
    pathParams(EventIdParam),
    queryParams(EventOrdersExportQuery),
    async (c) => {
      const db = database(c.env.DB);
      const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "orders.read");
      const { q, status } = c.var.query;
      return csvResponse(
        `orders-${bundle.event.id}.csv`,
        [
          "orderId",
          "status",
          "email",
          "totalCents",
          "refundedCents",
          "currency",
          "createdAt",
          "userId",
          "orderNumber",
          "invoiceNumber",
        ],
        allOrders(db, { eventId: bundle.event.id, q, status }),
        (o) => [
          o.id,
          o.status,
          o.email,
          o.totalCents,
          o.refundedCents,
          o.currency,
          iso(o.createdAt),
          o.userId,
          orderNumberOf(o),
          o.invoiceNumber,
        ],
      );
    },
  )

  .get("/admin/events/:eventId/attendees.csv", auth({ roles: ["organizer"] }), pathParams(EventIdParam), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "orders.read");
    return csvResponse(
      `attendees-${bundle.event.id}.csv`,
      ["ticketId", "orderId", "email", "seatId", "sectionId", "status", "firstScannedAt", "userId"],
      allAttendees(db, bundle.event.id),
      ({ ticket: t, email }) => [
        t.id,
        t.orderId,
        email,
        t.seatId,
        t.sectionId,
        t.status,
        iso(t.firstScannedAt),
        t.userId,
      ],
    );
  });
