import { Hono } from "hono";
import QRCode from "qrcode";
import { z } from "zod";
import { database } from "../../db/client";
import { eventState } from "../../db/events";
import {
  admitOnce,
  checkinCounts,
  findScan,
  findTicket,
  recordScan,
  replaceTicket,
  revokedSince,
  type TicketRow,
  ticketsOfUser,
} from "../../db/tickets";
import { randomId } from "../../domain/ids";
import { enqueue } from "../../notify/enqueue";
import { readTicketCode, signTicketCode } from "../../tickets/codes";
import { keyRing } from "../../tickets/keys";
import type { AppEnv, User } from "../context";
import { ApiError } from "../errors";
import { assertOwner, auth, currentUser, isAdmin } from "../middleware/auth";
import { EventIdParam } from "../schemas";
import { jsonBody, pathParams, queryParams } from "../validate";
import { ticketView } from "../views";

export const TicketIdParam = z.object({ ticketId: z.string().regex(/^tkt_[a-z0-9_]{1,60}$/, "must be a ticket id") });

export const Transfer = z.object({ toUserId: z.string().trim().min(1).max(128) });

export const Checkin = z.object({
  eventId: z.string().min(1).max(64),
  code: z.string().min(1).max(4096),
  /** Set by a scanning device per physical scan; a retry with the same id gets the same answer. */
  scanId: z.string().min(1).max(128).optional(),
  deviceId: z.string().min(1).max(128).optional(),
});

export const Since = z.object({
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => Date.parse(s))
    .optional(),
});

type CheckinResult = "admitted" | "already_used" | "void" | "invalid" | "wrong_event";

async function ownedTicket(env: Env, user: User, ticketId: string): Promise<TicketRow> {
  const ticket = await findTicket(database(env.DB), ticketId);
  if (!ticket) throw new ApiError("NOT_FOUND", "No such ticket.");
  assertOwner(user, ticket.userId, "ticket");
  return ticket;
}

/** A token with `eventIds` (a venue's scanner) acts only for those events; an admin for any. */
function assertScannerFor(user: User, eventId: string): void {
  if (user.eventIds && !isAdmin(user) && !user.eventIds.includes(eventId)) {
    throw new ApiError("FORBIDDEN", "This scanner is not for this event.", { eventId });
  }
}

export const tickets = new Hono<AppEnv>()
  .get("/me/tickets", auth(), async (c) => {
    const rows = await ticketsOfUser(database(c.env.DB), currentUser(c).id);
    return c.json({ data: rows.map(ticketView) });
  })

  .get("/tickets/:ticketId", pathParams(TicketIdParam), auth(), async (c) => {
    return c.json(ticketView(await ownedTicket(c.env, currentUser(c), c.var.params.ticketId)));
  })

  .get("/tickets/:ticketId/qr.svg", pathParams(TicketIdParam), auth(), async (c) => {
    const ticket = await ownedTicket(c.env, currentUser(c), c.var.params.ticketId);
    const svg = await QRCode.toString(ticket.code, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
    return c.body(svg, 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "private, no-store" });
  })

  /** Gives a ticket to someone else: the old code is void at once; the recipient gets a new one. */
  .post("/tickets/:ticketId/transfer", pathParams(TicketIdParam), auth(), jsonBody(Transfer), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const ticket = await ownedTicket(c.env, user, c.var.params.ticketId);
    const { toUserId } = c.var.body;
    if (toUserId === ticket.userId)
      throw new ApiError("VALIDATION_FAILED", "The ticket is already theirs.", {
        issues: [{ path: "toUserId", message: "is the current holder" }],
      });
    if (ticket.status !== "valid")
      throw new ApiError("CONFLICT", `A ${ticket.status} ticket cannot be transferred.`, { status: ticket.status });
    const now = Date.now();
    const id = randomId("tkt");
    const version = ticket.version + 1;
    const ring = await keyRing(c.env, db);
    const code = await signTicketCode(
      ring,
      {
        tid: id,
        eid: ticket.eventId,
        ...(ticket.seatId ? { seat: ticket.seatId } : { sec: ticket.sectionId ?? undefined }),
        v: version,
      },
      now,
    );
    const replacement: TicketRow = {
      ...ticket,
      id,
      userId: toUserId,
      status: "valid",
      code,
      version,
      issuedAt: now,
      voidedAt: null,
      replacesId: ticket.id,
      replacedById: null,
      firstScannedAt: null,
    };
    if (!(await replaceTicket(c.env.DB, ticket, replacement, now))) {
      throw new ApiError("CONFLICT", "This ticket was transferred or used meanwhile.");
    }
    await enqueue(
      c.env,
      { kind: "ticket_transferred", eventId: ticket.eventId, ticketId: id, toUserId, fromUserId: user.id },
      c.var.log,
    );
    return c.json(ticketView(replacement), 201);
  })

  /**
   * A venue scan. The signature and event are checked offline-style first; then the first scan
   * wins (one conditional UPDATE) and later ones learn when it happened.
   */
  .post("/checkin", auth({ roles: ["scanner"] }), jsonBody(Checkin), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const { eventId, code, scanId, deviceId } = c.var.body;
    assertScannerFor(user, eventId);
    // A retry is the same scanner, device, scan id and code: a reused scan id with another code is a new scan.
    const scanKey = scanId ? await scanKeyOf(user.id, deviceId ?? "", scanId, code) : null;
    if (scanKey) {
      const earlier = await findScan(db, scanKey);
      if (earlier) return c.json(JSON.parse(earlier.result));
    }

    const answer = await decide(c.env, eventId, code);
    if (scanKey || answer.ticketId) {
      await recordScan(db, {
        id: randomId("scn"),
        ticketId: answer.ticketId ?? "",
        eventId,
        scanId: scanKey,
        deviceId: deviceId ?? null,
        result: JSON.stringify(answer),
        scannedAt: Date.now(),
      });
      // Two retries of one scan may race: whichever answer was stored first is the answer.
      if (scanKey) {
        const stored = await findScan(db, scanKey);
        if (stored) return c.json(JSON.parse(stored.result));
      }
    }
    return c.json(answer);
  })

  .get(
    "/events/:eventId/revocations",
    pathParams(EventIdParam),
    auth({ roles: ["scanner", "organizer"] }),
    queryParams(Since),
    async (c) => {
      assertScannerFor(currentUser(c), c.var.params.eventId);
      const since = c.var.query.since ?? 0;
      const until = Date.now();
      const rows = await revokedSince(database(c.env.DB), c.var.params.eventId, since);
      return c.json({
        eventId: c.var.params.eventId,
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        ticketIds: rows.map((r) => r.ticketId),
        revocations: rows.map((r) => ({ ticketId: r.ticketId, voidedAt: new Date(r.voidedAt ?? 0).toISOString() })),
      });
    },
  )

  .get("/events/:eventId/checkins", pathParams(EventIdParam), auth({ roles: ["scanner", "organizer"] }), async (c) => {
    const { eventId } = c.var.params;
    assertScannerFor(currentUser(c), eventId);
    return c.json({ eventId, ...(await checkinCounts(database(c.env.DB), eventId)) });
  });

async function scanKeyOf(...parts: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `scan_${Array.from(hash.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function decide(
  env: Env,
  eventId: string,
  code: string,
): Promise<{ result: CheckinResult; ticketId?: string; firstScannedAt?: string; seatId?: string; sectionId?: string }> {
  const db = database(env.DB);
  const claims = await readTicketCode(await keyRing(env, db), code);
  if (!claims) return { result: "invalid" };
  if (claims.eid !== eventId) return { result: "wrong_event", ticketId: claims.tid };
  const ticket = await findTicket(db, claims.tid);
  if (!ticket || ticket.eventId !== eventId) return { result: "invalid" };
  const where = ticket.seatId ? { seatId: ticket.seatId } : { sectionId: ticket.sectionId ?? undefined };
  if (ticket.status === "void" || ticket.version !== claims.v) return { result: "void", ticketId: ticket.id, ...where };
  // A cancelled event admits no one, even before its refunds have voided every ticket.
  if ((await eventState(db, eventId)) === "cancelled") return { result: "void", ticketId: ticket.id, ...where };
  const now = Date.now();
  if (ticket.status === "valid" && (await admitOnce(db, ticket.id, now))) {
    return { result: "admitted", ticketId: ticket.id, firstScannedAt: new Date(now).toISOString(), ...where };
  }
  const current = await findTicket(db, ticket.id);
  if (current?.status === "void") return { result: "void", ticketId: ticket.id, ...where };
  return {
    result: "already_used",
    ticketId: ticket.id,
    firstScannedAt: new Date(current?.firstScannedAt ?? now).toISOString(),
    ...where,
  };
}

export const jwks = new Hono<AppEnv>().get("/.well-known/jwks.json", async (c) => {
  const ring = await keyRing(c.env, database(c.env.DB));
  return c.json(ring.jwks, 200, { "cache-control": "public, max-age=300" });
});
