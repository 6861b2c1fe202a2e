import type { Database } from "../db/client";
import { assignInvoiceNumber } from "../db/invoices";
import {
  insertItems,
  insertTickets,
  type OrderItemRow,
  type OrderRow,
  type Statement,
  type TicketRow,
  transitionOrder,
  voidTicketsIfRefunded,
} from "../db/orders";
import type { Hold } from "../domain/types";
import { signTicketCode } from "../tickets/codes";
import { keyRing } from "../tickets/keys";

/** One order item per hold item; ids derive from the order's, so checkout and fulfilment write the same rows. */
export function itemRows(orderId: string, hold: Pick<Hold, "items">): OrderItemRow[] {
  const base = orderId.replace(/^ord_/, "");
  return hold.items.map((item, i) => ({
    id: `itm_${base}_${i}`,
    orderId,
    seatId: item.seatId ?? null,
    sectionId: item.sectionId ?? null,
    quantity: item.quantity,
    priceCents: item.priceCents,
    ticketType: item.ticketType ?? null,
    baseCents: item.breakdown?.baseCents ?? null,
    feesCents: item.breakdown?.feesCents ?? null,
    taxCents: item.breakdown?.taxCents ?? null,
  }));
}

/** One ticket per seat or GA unit. Ids are derived, so a retry repeats them. */
export async function ticketRows(env: Env, db: Database, order: OrderRow, hold: Hold): Promise<TicketRow[]> {
  const ring = await keyRing(env, db);
  const now = Date.now();
  const base = order.id.replace(/^ord_/, "");
  const tickets: TicketRow[] = [];
  for (const item of hold.items) {
    for (let unit = 0; unit < item.quantity; unit++) {
      const id = `tkt_${base}_${tickets.length}`;
      const code = await signTicketCode(
        ring,
        { tid: id, eid: order.eventId, ...(item.seatId ? { seat: item.seatId } : { sec: item.sectionId }), v: 1 },
        now,
      );
      tickets.push({
        id,
        orderId: order.id,
        eventId: order.eventId,
        userId: order.userId,
        seatId: item.seatId ?? null,
        sectionId: item.seatId ? null : (item.sectionId ?? null),
        status: "valid",
        code,
        version: 1,
        issuedAt: now,
        voidedAt: null,
        replacesId: null,
        replacedById: null,
        firstScannedAt: null,
      });
    }
  }
  return tickets;
}

/**
 * The statements that confirm an order the room has sold: from any state a payment may still
 * rescue (pending, a failed card, a released hold), never from a refund.
 */
export async function confirmation(env: Env, db: Database, order: OrderRow, sold: Hold): Promise<Statement[]> {
  const tickets = await ticketRows(env, db, order, sold);
  return [
    transitionOrder(db, order.id, "confirmed", ["pending", "failed", "cancelled"]),
    ...assignInvoiceNumber(db, order.id, order.eventId),
    ...insertItems(db, itemRows(order.id, sold)),
    ...insertTickets(db, tickets),
    voidTicketsIfRefunded(db, order.id, Date.now()),
  ];
}
