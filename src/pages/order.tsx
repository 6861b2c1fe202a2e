import type { User } from "../http/context";
import type { orderView } from "../http/views";
import type { EventView } from "./event";
import { eventTime, money, seatName } from "./format";
import { Layout } from "./layout";
import { QrDialog } from "./tickets";

export type OrderView = ReturnType<typeof orderView>;

const HEADINGS: Record<string, { title: string; note: string }> = {
  confirmed: { title: "You're going!", note: "Show these codes at the door. Each one lets one person in, once." },
  pending: {
    title: "Confirming your payment…",
    note: "This takes a few seconds. Your tickets appear here as soon as the payment is confirmed.",
  },
  failed: { title: "The payment did not go through", note: "No tickets were issued and your seats were released." },
  refunded: { title: "This order was refunded", note: "Its tickets are no longer valid." },
  cancelled: { title: "This order was cancelled", note: "Its tickets are no longer valid." },
};

export interface OrderPageData {
  orderId: string;
  status: string;
}

export function OrderPage({ order, event, user }: { order: OrderView; event: EventView | undefined; user: User }) {
  const heading = HEADINGS[order.status] ?? { title: `Order ${order.status}`, note: "" };
  const sectionName = (id: string | undefined) => event?.sections.find((s) => s.id === id)?.name;
  const data: OrderPageData = { orderId: order.orderId, status: order.status };
  return (
    <Layout title="Your order" user={user} scripts={["order.js"]} data={data}>
      <section class="order-head">
        <p class="eyebrow">
          Order <code>{order.orderId}</code>
        </p>
        <h1 id="order-heading" data-order-status={order.status}>
          {heading.title}
        </h1>
        <p id="order-note" role="status" aria-live="polite">
          {heading.note}
        </p>
        {event && (
          <p class="when">
            <a href={`/events/${event.eventId}`}>{event.title}</a> · {eventTime(event.startsAt, event.venue.timezone)} ·{" "}
            {event.venue.name}, {event.venue.city}
          </p>
        )}
        <p class="total">
          Total <strong>{money(order.totalCents, order.currency)}</strong> · Order number{" "}
          <strong>{order.orderNumber}</strong> · <a href={`/orders/${order.orderId}/receipt`}>Receipt</a>
        </p>
      </section>
      {order.tickets.length > 0 && (
        <section aria-labelledby="tickets-heading">
          <h2 id="tickets-heading">Your tickets</h2>
          <ul class="tickets">
            {order.tickets.map((ticket) => {
              const where =
                "seatId" in ticket && ticket.seatId
                  ? seatName(ticket.seatId, sectionName(ticket.seatId.split("-")[0]))
                  : `${sectionName("sectionId" in ticket ? (ticket.sectionId ?? undefined) : undefined) ?? "General admission"}, standing`;
              return (
                <li class="ticket card" data-ticket-id={ticket.ticketId} data-ticket-status={ticket.status}>
                  {"qrSvgUrl" in ticket && (
                    <div class="qr">
                      <img src={ticket.qrSvgUrl} alt={`QR code for ${where}`} width="240" height="240" />
                      <button
                        type="button"
                        class="secondary"
                        data-qr-full={ticket.qrSvgUrl}
                        data-qr-alt={`QR code for ${where}`}
                        data-qr-title={where}
                      >
                        Show full screen
                      </button>
                    </div>
                  )}
                  <div>
                    <h3>{where}</h3>
                    <p>
                      <span class="badge" data-status={ticket.status}>
                        {ticket.status === "valid"
                          ? "Valid"
                          : ticket.status === "used"
                            ? "Used"
                            : ticket.status === "transferred"
                              ? "Transferred"
                              : "Void"}
                      </span>
                    </p>
                    <p class="small muted mono">{ticket.ticketId}</p>
                  </div>
                </li>
              );
            })}
          </ul>
          <p class="no-print">
            <button type="button" id="print" class="secondary">
              Print tickets
            </button>
          </p>
        </section>
      )}
      <QrDialog />
    </Layout>
  );
}
