import { and, eq, gt, inArray, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { orders, tickets } from "../db/schema";
import type { SectionView } from "../domain/types";
import type { PaymentGateway } from "./gateway";

/** One way the room, D1 and Stripe disagree about an event (`GET …/audit`, and the cron). */
export interface Mismatch {
  kind:
    | "seat_sold_without_ticket"
    | "ticket_without_sold_seat"
    | "seat_with_several_tickets"
    | "ga_sold_count"
    | "refunded_total"
    | "refunded_order_not_refunded";
  seatId?: string;
  sectionId?: string;
  orderId?: string;
  details: Record<string, unknown>;
}

export interface BooksAudit {
  eventId: string;
  checkedAt: string;
  mismatches: Mismatch[];
}

/** Orders whose refunded total is compared with Stripe's per audit: one Stripe read each. */
const STRIPE_CHECKS = 200;

/** What the event's rooms say (every room of a split event): their sections' seats, and tickets sold. */
export interface RoomBooks {
  sections: SectionView[];
  sold: number;
}

/** Tickets that admit (or admitted): each stands for one sold seat or GA place. */
const ADMITTING: ("valid" | "used")[] = ["valid", "used"];

/**
 * Cross-checks the books of one event (invariant 8): every seat the room has sold has exactly one
 * admitting ticket in D1 and every admitting ticket a sold seat; each GA section's sold count equals
 * its admitting tickets; and each refunded order's `refundedCents` equals Stripe's `amount_refunded`.
 * Read-only: it reports, it repairs nothing (a repair is a money decision for the organizer).
 */
export async function auditBooks(
  deps: { db: Database; gateway: PaymentGateway | undefined; rooms: () => Promise<RoomBooks> },
  eventId: string,
  now = Date.now(),
): Promise<BooksAudit> {
  const [rooms, admitting] = await Promise.all([
    deps.rooms(),
    deps.db
      .select({ id: tickets.id, orderId: tickets.orderId, seatId: tickets.seatId, sectionId: tickets.sectionId })
      .from(tickets)
      .where(and(eq(tickets.eventId, eventId), inArray(tickets.status, ADMITTING))),
  ]);
  const mismatches: Mismatch[] = [];

  const ticketsBySeat = new Map<string, string[]>();
  const gaTickets = new Map<string, number>();
  for (const t of admitting) {
    if (t.seatId) ticketsBySeat.set(t.seatId, [...(ticketsBySeat.get(t.seatId) ?? []), t.id]);
    else if (t.sectionId) gaTickets.set(t.sectionId, (gaTickets.get(t.sectionId) ?? 0) + 1);
  }
  const seatStatus = new Map<string, string>();
  const gaSections: string[] = [];
  for (const section of rooms.sections) {
    if (section.kind === "ga") gaSections.push(section.id);
    for (const seat of section.seats ?? []) seatStatus.set(seat.id, seat.status);
  }
  let soldSeats = 0;
  for (const [seatId, status] of seatStatus) {
    const held = ticketsBySeat.get(seatId) ?? [];
    if (status === "sold") soldSeats++;
    if (status === "sold" && held.length === 0) {
      mismatches.push({ kind: "seat_sold_without_ticket", seatId, details: { roomStatus: status } });
    }
    if (status !== "sold" && held.length > 0) {
      mismatches.push({ kind: "ticket_without_sold_seat", seatId, details: { roomStatus: status, ticketIds: held } });
    }
    if (held.length > 1) mismatches.push({ kind: "seat_with_several_tickets", seatId, details: { ticketIds: held } });
  }
  for (const [seatId, held] of ticketsBySeat) {
    if (!seatStatus.has(seatId)) {
      mismatches.push({
        kind: "ticket_without_sold_seat",
        seatId,
        details: { roomStatus: "unknown", ticketIds: held },
      });
    }
  }
  // The room counts sold tickets across sections; the seats it sold are above, the rest are GA places.
  const roomGaSold = rooms.sold - soldSeats;
  const d1GaSold = [...gaTickets.values()].reduce((n, c) => n + c, 0);
  if (roomGaSold !== d1GaSold) {
    const sectionId = gaSections.length === 1 ? gaSections[0]! : gaSections.join(",");
    mismatches.push({ kind: "ga_sold_count", sectionId, details: { room: roomGaSold, tickets: d1GaSold } });
  }

  mismatches.push(...(await refundMismatches(deps, eventId)));
  return { eventId, checkedAt: new Date(now).toISOString(), mismatches };
}

async function refundMismatches(
  deps: { db: Database; gateway: PaymentGateway | undefined },
  eventId: string,
): Promise<Mismatch[]> {
  const touched = await deps.db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.eventId, eventId),
        or(gt(orders.refundedCents, 0), inArray(orders.status, ["refunded", "partially_refunded"])),
      ),
    )
    .limit(STRIPE_CHECKS);
  const out: Mismatch[] = [];
  for (const order of touched) {
    if (order.status === "refunded" && order.refundedCents < order.totalCents) {
      out.push({
        kind: "refunded_order_not_refunded",
        orderId: order.id,
        details: { refundedCents: order.refundedCents, totalCents: order.totalCents },
      });
    }
  }
  const gateway = deps.gateway;
  if (!gateway || gateway.simulated) return out;
  const paid = touched.filter((o) => o.paymentIntentId !== null && o.totalCents > 0);
  // A few reads at a time: Stripe allows ~100 requests per second per account, shared with refunds.
  for (let i = 0; i < paid.length; i += 10) {
    const part = paid.slice(i, i + 10);
    const records = await Promise.all(part.map((o) => gateway.retrieve(o.paymentIntentId!)));
    part.forEach((order, j) => {
      const stripe = records[j]?.amountRefunded ?? 0;
      if (stripe !== order.refundedCents) {
        out.push({ kind: "refunded_total", orderId: order.id, details: { d1: order.refundedCents, stripe } });
      }
    });
  }
  return out;
}
