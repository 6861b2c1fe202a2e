import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { NotifySettings } from "../config";
import { SIGN_IN_LINK_MS } from "../db/accounts";
import type { Database } from "../db/client";
import { events, orderItems, orders, tickets, venues } from "../db/schema";
import { eventTime } from "../domain/event-time";
import { signInToken, ticketLinkKey } from "../domain/link-tokens";
import type { NotificationMessage } from "./messages";
import { render, type TemplateData } from "./templates";

/** A message ready for a provider. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: NotificationMessage["kind"];
  /** Unset for mail about no event (a sign-in link). */
  eventId?: string;
  orderId?: string;
  /** The dedupe key: the provider's idempotency key, so a resend after a crash is not a second mail. */
  key: string;
}

export type Composed = { ok: true; email: Email } | { ok: false; reason: string };

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

/** When, in the venue's time zone and named: the reader may be elsewhere. */
const time = (ms: number, timeZone?: string): string => eventTime(ms, timeZone, { zoneName: true });

const ticketLabel = (t: { seatId: string | null; sectionId: string | null }): string =>
  t.seatId ? `Seat ${t.seatId}` : `General admission (${t.sectionId ?? "?"})`;

async function eventOf(db: Database, eventId: string) {
  const [row] = await db
    .select({ title: events.title, startsAt: events.startsAt, currency: events.currency, timezone: venues.timezone })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(events.id, eventId));
  return row;
}

async function orderOf(db: Database, orderId: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
  return row;
}

/** "fees €5.00 and tax €6.60": what the all-in total includes, from the lines as the hold priced them. */
async function includedOf(db: Database, order: typeof orders.$inferSelect): Promise<string | undefined> {
  const lines = await db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
  let fees = 0;
  let tax = 0;
  for (const line of lines) {
    fees += (line.feesCents ?? 0) * line.quantity;
    tax += (line.taxCents ?? 0) * line.quantity;
  }
  const orderFee = order.orderFeeJson
    ? (JSON.parse(order.orderFeeJson) as { breakdown?: { feesCents?: number; taxCents?: number } })
    : undefined;
  fees += orderFee?.breakdown?.feesCents ?? 0;
  tax += orderFee?.breakdown?.taxCents ?? 0;
  const parts = [fees > 0 && `fees ${money(fees, order.currency)}`, tax > 0 && `tax ${money(tax, order.currency)}`];
  const named = parts.filter((p): p is string => typeof p === "string");
  return named.length > 0 ? named.join(" and ") : undefined;
}

/** The address we last saw for a user: the `email` claim of their latest order that had one. */
async function addressOfUser(db: Database, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ email: orders.email })
    .from(orders)
    .where(and(eq(orders.userId, userId), isNotNull(orders.email)))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  return row?.email ?? undefined;
}

/** Reads what the message concerns and renders it; `ok: false` when there is no one to tell. */
export async function compose(
  db: Database,
  settings: NotifySettings,
  key: string,
  message: NotificationMessage,
): Promise<Composed> {
  if (message.kind === "sign_in_link") {
    if (!settings.linkSecret) return { ok: false, reason: "TOKEN_SECRET is not set: no sign-in link can be made" };
    const token = await signInToken(settings.linkSecret, message.linkId);
    const data: TemplateData = {
      kind: "sign_in_link",
      url: `${settings.publicUrl}/auth/verify?token=${token}`,
      minutes: SIGN_IN_LINK_MS / 60_000,
    };
    return { ok: true, email: { to: message.to.toLowerCase(), ...render(data), kind: message.kind, key } };
  }
  if (message.kind === "alert") {
    const data: TemplateData = {
      kind: "alert",
      rule: message.rule,
      summary: message.summary,
      url: `${settings.publicUrl}/organizer`,
    };
    return { ok: true, email: { to: message.to.toLowerCase(), ...render(data), kind: message.kind, key } };
  }
  const event = await eventOf(db, message.eventId);
  if (!event) return { ok: false, reason: "unknown event" };
  const url = (path: string) => `${settings.publicUrl}${path}`;
  // A ticket's own link (no sign-in needed at the door); none without TOKEN_SECRET.
  const ticketLink = async (code: string, ticketId: string) =>
    settings.linkSecret
      ? url(`/t/${ticketId}?k=${await ticketLinkKey(settings.linkSecret, ticketId, code)}`)
      : undefined;
  const when = time(event.startsAt, event.timezone);
  let to = message.to;
  let orderId: string | undefined;
  let data: TemplateData;

  switch (message.kind) {
    case "order_confirmed":
    case "order_refunded":
    case "payment_failed": {
      const order = await orderOf(db, message.orderId);
      if (!order) return { ok: false, reason: "unknown order" };
      to ??= order.email ?? undefined;
      orderId = order.id;
      if (message.kind === "order_confirmed") {
        const rows = await db.select().from(tickets).where(eq(tickets.orderId, order.id));
        const owned = rows.filter((t) => t.userId === order.userId && t.status !== "void");
        const first = owned[0];
        // The receipt opens with the first ticket's link, as the ticket does, without signing in.
        const receiptKey =
          first && settings.linkSecret && (await ticketLinkKey(settings.linkSecret, first.id, first.code));
        data = {
          kind: "order_confirmed",
          event: event.title,
          when,
          orderUrl: url(`/orders/${order.id}`),
          orderNumber: order.orderNumber ?? order.id,
          receiptUrl: url(`/orders/${order.id}/receipt${receiptKey ? `?t=${first.id}&k=${receiptKey}` : ""}`),
          included: await includedOf(db, order),
          total: money(order.totalCents, order.currency),
          tickets: await Promise.all(
            owned.map(async (t) => ({
              ticketId: t.id,
              label: ticketLabel(t),
              qrUrl: url(`/api/v1/tickets/${t.id}/qr.svg`),
              linkUrl: await ticketLink(t.code, t.id),
            })),
          ),
        };
      } else if (message.kind === "order_refunded") {
        const refundedTotal = message.refundedCents ?? message.amountCents;
        data = {
          kind: "order_refunded",
          event: event.title,
          orderUrl: url(`/orders/${order.id}`),
          amount: money(message.amountCents, order.currency),
          refundedTotal: money(refundedTotal, order.currency),
          full: message.full ?? refundedTotal >= order.totalCents,
        };
      } else {
        data = {
          kind: "payment_failed",
          event: event.title,
          retryUrl: url(`/pay/${order.id}`),
          until: message.retryUntil !== undefined ? time(message.retryUntil, event.timezone) : null,
          reason: message.reason ?? order.lastPaymentError ?? null,
        };
      }
      break;
    }
    case "event_cancelled": {
      const order = message.orderId ? await orderOf(db, message.orderId) : undefined;
      to ??= order?.email ?? (await addressOfUser(db, message.userId));
      orderId = order?.id;
      data = {
        kind: "event_cancelled",
        event: event.title,
        when,
        refund:
          message.refundedCents !== undefined
            ? money(message.refundedCents, order?.currency ?? event.currency)
            : order
              ? money(order.totalCents, order.currency)
              : null,
        orderUrl: order ? url(`/orders/${order.id}`) : null,
      };
      break;
    }
    case "waitlist_offer": {
      to ??= await addressOfUser(db, message.userId);
      const quantity = message.quantity ?? 1;
      data = {
        kind: "waitlist_offer",
        event: event.title,
        claimUrl: url(`/events/${message.eventId}?offer=${encodeURIComponent(message.holdId)}`),
        until: time(message.expiresAt, event.timezone),
        what: `${quantity} ticket${quantity === 1 ? "" : "s"}${message.sectionId ? ` in ${message.sectionId}` : ""}`,
        total: message.totalCents !== undefined ? money(message.totalCents, message.currency ?? event.currency) : null,
      };
      break;
    }
    case "ticket_transferred": {
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, message.ticketId));
      if (!ticket) return { ok: false, reason: "unknown ticket" };
      to ??= await addressOfUser(db, message.toUserId);
      data = {
        kind: "ticket_transferred",
        event: event.title,
        when,
        ticketLabel: ticketLabel(ticket),
        ticketsUrl: url("/tickets"),
        qrUrl: url(`/api/v1/tickets/${ticket.id}/qr.svg`),
        linkUrl: await ticketLink(ticket.code, ticket.id),
      };
      break;
    }
  }
  if (!to) return { ok: false, reason: "no email address (the token had no email claim)" };
  return {
    ok: true,
    email: { to: to.toLowerCase(), ...render(data), kind: message.kind, eventId: message.eventId, orderId, key },
  };
}
