import { Hono } from "hono";
import { z } from "zod";
import { database } from "../db/client";
import { findEventBundle } from "../db/events";
import { findOrder, itemsAndTickets, type OrderRow, type TicketRow } from "../db/orders";
import { sameText, ticketLinkKey } from "../domain/link-tokens";
import type { AppEnv, User } from "../http/context";
import { isAdmin } from "../http/middleware/auth";
import { OrderIdParam } from "../http/schemas";
import { eventView, orderView } from "../http/views";
import type { EventView } from "./event";
import { eventTime, money, seatName } from "./format";
import { Layout } from "./layout";
import type { OrderView } from "./order";
import { pageHeaders, pageUser } from "./page-context";
import { notFound, signInRequired } from "./page-errors";

const LinkQuery = z.object({
  t: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/),
  k: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/),
});

type Breakdown = { baseCents: number; feesCents: number; taxCents: number };

/** The order's lines and per-order fee, summed: what the receipt's totals rows show. */
function totalsOf(order: OrderView): Breakdown & { known: boolean } {
  const sum = { baseCents: 0, feesCents: 0, taxCents: 0, known: true };
  const add = (b: Breakdown | undefined, times: number) => {
    if (!b) {
      sum.known = false;
      return;
    }
    sum.baseCents += b.baseCents * times;
    sum.feesCents += b.feesCents * times;
    sum.taxCents += b.taxCents * times;
  };
  for (const item of order.items) add(item.breakdown, item.quantity);
  if (order.orderFee) add(order.orderFee.breakdown, 1);
  return sum;
}

const STATUS_WORDS: Record<string, string> = {
  pending: "Awaiting payment",
  confirmed: "Paid",
  partially_refunded: "Paid, partly refunded",
  refunded: "Refunded",
  failed: "Payment failed",
  cancelled: "Cancelled",
};

export function ReceiptPage({
  order,
  event,
  user,
}: {
  order: OrderView;
  event: EventView | undefined;
  user: User | undefined;
}) {
  const cur = order.currency;
  const m = (cents: number) => money(cents, cur);
  const sectionName = (id: string | null | undefined) => event?.sections.find((s) => s.id === id)?.name;
  const typeName = (id: string | undefined) =>
    id === undefined ? undefined : (event?.ticketTypes.find((t) => t.id === id)?.name ?? id);
  const totals = totalsOf(order);
  const tax = event?.tax;
  return (
    <Layout title={`Receipt ${order.orderNumber}`} user={user} scripts={["receipt.js"]}>
      <article class="receipt card" data-order-id={order.orderId} data-order-number={order.orderNumber}>
        <header>
          <p class="eyebrow">Receipt</p>
          <h1>
            Order <span id="order-number">{order.orderNumber}</span>
          </h1>
          <dl class="receipt-facts">
            <dt>Status</dt>
            <dd data-order-status={order.status}>{STATUS_WORDS[order.status] ?? order.status}</dd>
            <dt>Invoice number</dt>
            <dd id="invoice-number">
              {order.invoiceNumber === null
                ? order.totalCents === 0
                  ? "None (no charge)"
                  : "Given when the payment is confirmed"
                : order.invoiceNumber}
            </dd>
            <dt>Ordered</dt>
            <dd>
              <time datetime={order.createdAt}>{new Date(order.createdAt).toUTCString()}</time>
            </dd>
            {event && (
              <>
                <dt>Event</dt>
                <dd>
                  {event.title} · {eventTime(event.startsAt, event.venue.timezone)} · {event.venue.name},{" "}
                  {event.venue.city}
                </dd>
              </>
            )}
            {order.voucher && (
              <>
                <dt>Voucher</dt>
                <dd>
                  <code>{order.voucher}</code>
                </dd>
              </>
            )}
          </dl>
        </header>
        <table class="receipt-lines">
          <caption>Prices are all-in: each line's fees and tax are shown beside it.</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Type</th>
              <th scope="col">Qty</th>
              <th scope="col">Price</th>
              <th scope="col">Fees</th>
              <th scope="col">Tax</th>
              <th scope="col">Each, all-in</th>
              <th scope="col">Line total</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr data-line-total={item.priceCents * item.quantity}>
                <th scope="row">
                  {"seatId" in item
                    ? seatName(item.seatId, sectionName(item.seatId.split("-")[0]))
                    : `${sectionName(item.sectionId) ?? "General admission"}, standing`}
                </th>
                <td>{typeName(item.ticketType) ?? "Standard"}</td>
                <td>{item.quantity}</td>
                <td>{item.breakdown ? m(item.breakdown.baseCents) : ""}</td>
                <td>{item.breakdown ? m(item.breakdown.feesCents) : ""}</td>
                <td>{item.breakdown ? m(item.breakdown.taxCents) : ""}</td>
                <td>{m(item.priceCents)}</td>
                <td>{m(item.priceCents * item.quantity)}</td>
              </tr>
            ))}
            {order.orderFee && (
              <tr data-line-total={order.orderFee.priceCents}>
                <th scope="row">Order fee</th>
                <td />
                <td>1</td>
                <td>{m(order.orderFee.breakdown.baseCents)}</td>
                <td>{m(order.orderFee.breakdown.feesCents)}</td>
                <td>{m(order.orderFee.breakdown.taxCents)}</td>
                <td>{m(order.orderFee.priceCents)}</td>
                <td>{m(order.orderFee.priceCents)}</td>
              </tr>
            )}
          </tbody>
          <tfoot>
            {totals.known && (
              <>
                <tr>
                  <th scope="row" colspan={7}>
                    Tickets
                  </th>
                  <td>{m(totals.baseCents)}</td>
                </tr>
                <tr>
                  <th scope="row" colspan={7}>
                    Fees
                  </th>
                  <td>{m(totals.feesCents)}</td>
                </tr>
                <tr>
                  <th scope="row" colspan={7}>
                    {tax ? `${tax.name} (${tax.ratePercent}%${tax.included ? ", included" : ""})` : "Tax"}
                  </th>
                  <td>{m(totals.taxCents)}</td>
                </tr>
              </>
            )}
            <tr class="receipt-total">
              <th scope="row" colspan={7}>
                Total paid, all-in
              </th>
              <td id="receipt-total" data-total-cents={order.totalCents} data-currency={cur}>
                {m(order.totalCents)}
              </td>
            </tr>
            {order.refundedCents > 0 && (
              <tr>
                <th scope="row" colspan={7}>
                  Refunded
                </th>
                <td id="receipt-refunded" data-refunded-cents={order.refundedCents}>
                  −{m(order.refundedCents)}
                </td>
              </tr>
            )}
          </tfoot>
        </table>
        <p class="no-print">
          <button type="button" id="print" class="secondary">
            Print receipt
          </button>
        </p>
      </article>
    </Layout>
  );
}

/** A ticket link (`?t=&k=` as in the ticket mail) opens the receipt of that ticket's order while the ticket stands. */
async function linkOpens(secret: string | undefined, order: OrderRow, tickets: TicketRow[], query: unknown) {
  const link = LinkQuery.safeParse(query);
  if (!link.success || !secret) return false;
  const ticket = tickets.find((t) => t.id === link.data.t && t.orderId === order.id);
  if (!ticket || ticket.status === "void" || ticket.replacedById) return false;
  return sameText(await ticketLinkKey(secret, ticket.id, ticket.code), link.data.k);
}

/**
 * `GET /orders/:orderId/receipt`: the order's receipt, print-friendly. Shown to whom the order page
 * is (its buyer, an admin) and to a holder of a ticket link of the order; anyone else gets the same
 * 404 as for an unknown order, so a guess learns nothing.
 */
export const receipts = new Hono<AppEnv>().get("/orders/:orderId/receipt", pageHeaders(), async (c) => {
  const user = await pageUser(c);
  const params = OrderIdParam.safeParse(c.req.param());
  const db = database(c.env.DB);
  const order = params.success ? await findOrder(db, params.data.orderId) : undefined;
  const [{ items, tickets }, bundle] = order
    ? await Promise.all([itemsAndTickets(db, [order.id]), findEventBundle(db, order.eventId)])
    : [{ items: [], tickets: [] }, undefined];
  const allowed =
    order !== undefined &&
    ((user !== undefined && (order.userId === user.id || isAdmin(user))) ||
      (await linkOpens(c.var.settings.tokenSecret, order, tickets, c.req.query())));
  if (!order || !allowed) {
    if (!user && c.req.query("k") === undefined) {
      const message = "Receipts are shown to the person who placed the order: sign in first.";
      return signInRequired(c, "Sign in to see this receipt", message, c.req.path);
    }
    return notFound(c, user, "Receipt not found", "There is no such order in your account.");
  }
  return c.html(
    <ReceiptPage
      order={orderView(order, items, tickets)}
      event={bundle ? eventView(bundle, Date.now()) : undefined}
      user={user}
    />,
  );
});
