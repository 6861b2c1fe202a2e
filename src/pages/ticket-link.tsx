import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { raw } from "hono/html";
import QRCode from "qrcode";
import { z } from "zod";
import { database } from "../db/client";
import { events } from "../db/schema";
import { findTicket } from "../db/tickets";
import { sameText, ticketLinkKey } from "../domain/link-tokens";
import type { AppEnv } from "../http/context";
import { ApiError, errorResponse } from "../http/errors";
import { Layout, MessagePage } from "./layout";
import { pageHeaders } from "./page-context";

const TicketId = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const Key = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

const GONE =
  "This ticket link does not work: the ticket was transferred, refunded or cancelled, or the link is incomplete. Your current tickets are under My tickets.";

/**
 * `GET /t/:ticketId?k=…`, the link in each ticket mail: the ticket's QR without signing in, for a
 * phone at the door. `k` is an HMAC (TOKEN_SECRET) of the ticket and its current code, so it opens
 * only that ticket, and only while it is valid: a transfer, a refund or a void ends it. Unknown,
 * wrong and ended links all answer the same 404, so a link says nothing about other tickets.
 */
export const ticketLinks = new Hono<AppEnv>().get("/t/:ticketId", pageHeaders(), async (c) => {
  const id = TicketId.safeParse(c.req.param("ticketId"));
  const key = Key.safeParse(c.req.query("k"));
  const secret = c.var.settings.tokenSecret;
  const db = database(c.env.DB);
  const ticket = id.success && key.success && secret ? await findTicket(db, id.data) : undefined;
  const valid =
    ticket !== undefined &&
    ticket.status !== "void" &&
    key.success &&
    secret !== undefined &&
    sameText(await ticketLinkKey(secret, ticket.id, ticket.code), key.data);
  if (!ticket || !valid) {
    if (!(c.req.header("accept") ?? "").includes("text/html")) {
      return errorResponse(c, new ApiError("NOT_FOUND", GONE));
    }
    return c.html(<MessagePage title="This ticket link does not work" message={GONE} />, 404);
  }
  const [event] = await db
    .select({ title: events.title, startsAt: events.startsAt })
    .from(events)
    .where(eq(events.id, ticket.eventId));
  const svg = await QRCode.toString(ticket.code, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  const label = ticket.seatId ? `Seat ${ticket.seatId}` : `General admission (${ticket.sectionId ?? "?"})`;
  return c.html(
    <Layout title={`Ticket: ${event?.title ?? "your event"}`}>
      <section class="card narrow ticket-link">
        <h1>{event?.title ?? "Your ticket"}</h1>
        {event && (
          <p>
            <time datetime={new Date(event.startsAt).toISOString()}>{new Date(event.startsAt).toUTCString()}</time>
          </p>
        )}
        <p>{label}</p>
        <figure class="qr" data-ticket-id={ticket.id} role="img" aria-label={`QR code for ${label}`}>
          {raw(svg)}
        </figure>
        {ticket.status === "used" && <p class="notice">This ticket has already been scanned at the door.</p>}
        <p>Show this code at the door. Keep this link to yourself: it opens your ticket.</p>
      </section>
    </Layout>,
  );
});
