import * as z from "zod/mini";
import { sectionOfSeat } from "../domain/seat-map";
import { eventTime, money, seatName } from "../pages/format";
import { api } from "./lib/api";
import { byId, el, say } from "./lib/dom";
import { wireQrButtons } from "./lib/qr-view";

/**
 * "My tickets": the fan's tickets (GET /api/v1/me/tickets) with their QR codes and a full-screen
 * view, and every order (GET /api/v1/me/orders) with its tickets; transferred and refunded ones
 * are marked as such.
 */

const Ticket = z.looseObject({
  ticketId: z.string(),
  orderId: z.optional(z.string()),
  eventId: z.optional(z.string()),
  seatId: z.nullish(z.string()),
  sectionId: z.nullish(z.string()),
  status: z.string(),
  qrSvgUrl: z.optional(z.string()),
});
type Ticket = z.infer<typeof Ticket>;
const Tickets = z.looseObject({ data: z.array(Ticket) });
const Order = z.looseObject({
  orderId: z.string(),
  eventId: z.string(),
  status: z.string(),
  totalCents: z.number(),
  refundedCents: z.optional(z.number()),
  currency: z.string(),
  createdAt: z.optional(z.string()),
  tickets: z.array(Ticket),
});
const Orders = z.looseObject({ data: z.array(Order) });
const EventInfo = z.looseObject({
  eventId: z.string(),
  title: z.string(),
  startsAt: z.string(),
  venue: z.looseObject({ name: z.string(), city: z.string(), timezone: z.string() }),
  sections: z.array(z.looseObject({ id: z.string(), name: z.string() })),
});
type EventInfo = z.infer<typeof EventInfo>;

const TICKET_WORDS: Record<string, string> = {
  valid: "Valid",
  used: "Used",
  void: "Refunded or void",
  transferred: "Transferred",
};
const ORDER_WORDS: Record<string, string> = {
  confirmed: "Confirmed",
  pending: "Payment pending",
  partially_refunded: "Partly refunded",
  refunded: "Refunded",
  failed: "Payment failed",
  cancelled: "Cancelled",
};

const events = new Map<string, EventInfo | undefined>();

async function eventInfo(eventId: string): Promise<EventInfo | undefined> {
  if (!events.has(eventId)) {
    const result = await api("GET", `/api/v1/events/${encodeURIComponent(eventId)}`, EventInfo);
    events.set(eventId, result.ok ? result.data : undefined);
  }
  return events.get(eventId);
}

function where(ticket: Ticket, event: EventInfo | undefined): string {
  const section = (id: string | undefined | null) => event?.sections.find((s) => s.id === id)?.name;
  if (ticket.seatId) return seatName(ticket.seatId, section(sectionOfSeat(ticket.seatId)));
  if (ticket.sectionId) return `${section(ticket.sectionId) ?? ticket.sectionId}, standing`;
  return "Ticket";
}

function ticketCard(ticket: Ticket, event: EventInfo | undefined): HTMLElement {
  const place = where(ticket, event);
  const title = event ? `${event.title}: ${place}` : place;
  const showCode = ticket.qrSvgUrl && (ticket.status === "valid" || ticket.status === "used");
  const body = el(
    "div",
    {},
    el("h3", {}, place),
    el("p", { class: "when" }, event ? `${event.title} · ${eventTime(event.startsAt, event.venue.timezone)}` : ""),
    el(
      "p",
      {},
      el("span", { class: "badge", "data-status": ticket.status }, TICKET_WORDS[ticket.status] ?? ticket.status),
    ),
  );
  if (ticket.orderId)
    body.append(el("p", { class: "small" }, el("a", { href: `/orders/${ticket.orderId}` }, "See the order")));
  const card = el("li", {
    class: "ticket card",
    "data-ticket-id": ticket.ticketId,
    "data-ticket-status": ticket.status,
  });
  if (showCode && ticket.qrSvgUrl) {
    const alt = `QR code for ${title}`;
    card.append(
      el(
        "div",
        { class: "qr" },
        el("img", { src: ticket.qrSvgUrl, alt, width: "240", height: "240" }),
        el(
          "button",
          {
            type: "button",
            class: "secondary",
            "data-qr-full": ticket.qrSvgUrl,
            "data-qr-alt": alt,
            "data-qr-title": title,
          },
          "Show full screen",
        ),
      ),
    );
  }
  card.append(body);
  return card;
}

async function load(): Promise<void> {
  const status = byId("tickets-status");
  const [tickets, orders] = await Promise.all([
    api("GET", "/api/v1/me/tickets", Tickets),
    api("GET", "/api/v1/me/orders", Orders),
  ]);
  if (!tickets.ok || !orders.ok) {
    say(status, "Your tickets could not be loaded. Reload to try again.", "error");
    return;
  }
  const ids = new Set([...tickets.data.data, ...orders.data.data].flatMap((t) => (t.eventId ? [t.eventId] : [])));
  await Promise.all([...ids].map(eventInfo));
  const mine = tickets.data.data;
  byId("my-tickets").replaceChildren(...mine.map((t) => ticketCard(t, events.get(t.eventId ?? ""))));
  if (mine.length === 0) byId("my-tickets").replaceChildren(el("li", { class: "empty" }, "No tickets yet."));
  byId("my-orders").replaceChildren(
    ...orders.data.data.map((order) => {
      const event = events.get(order.eventId);
      const refunded = order.refundedCents ? ` · ${money(order.refundedCents, order.currency)} refunded` : "";
      return el(
        "li",
        { class: "order card", "data-order-id": order.orderId, "data-order-status": order.status },
        el("h3", {}, el("a", { href: `/orders/${order.orderId}` }, event?.title ?? order.orderId)),
        el(
          "p",
          {},
          el("span", { class: "badge", "data-status": order.status }, ORDER_WORDS[order.status] ?? order.status),
          ` ${money(order.totalCents, order.currency)}${refunded}`,
        ),
        el(
          "ul",
          { class: "order-tickets" },
          ...order.tickets.map((t) =>
            el("li", { "data-ticket-status": t.status }, `${where(t, event)}: ${TICKET_WORDS[t.status] ?? t.status}`),
          ),
        ),
      );
    }),
  );
  if (orders.data.data.length === 0) byId("my-orders").replaceChildren(el("li", { class: "empty" }, "No orders yet."));
  say(
    status,
    `${mine.length} ticket${mine.length === 1 ? "" : "s"} in ${orders.data.data.length} order${orders.data.data.length === 1 ? "" : "s"}.`,
  );
}

wireQrButtons();
void load();
