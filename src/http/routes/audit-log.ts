import { Hono } from "hono";
import { z } from "zod";
import { listAudit } from "../../db/audit";
import { database } from "../../db/client";
import { auditView } from "../audit";
import type { AppEnv } from "../context";
import { auth, currentUser, isAdmin } from "../middleware/auth";
import { queryParams } from "../validate";
import { ownedEvent } from "./admin";

export const AuditLogQuery = z.object({
  eventId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an event id")
    .optional(),
  /** The previous page's `meta.nextCursor`. */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "must be a cursor from meta.nextCursor")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditLog = new Hono<AppEnv>().get(
  "/admin/audit-log",
  auth({ roles: ["organizer"] }),
  queryParams(AuditLogQuery),
  async (c) => {
    const db = database(c.env.DB);
    const user = currentUser(c);
    const { eventId, cursor, limit } = c.var.query;
    // One event's log for whoever may manage it; otherwise the caller's own records (an admin: all).
    if (eventId !== undefined) await ownedEvent(db, user, eventId, "orders.read");
    const owners = eventId !== undefined || isAdmin(user) ? undefined : [user.id];
    const page = await listAudit(db, {
      eventId,
      owners,
      before: cursor === undefined ? undefined : Number(cursor),
      limit,
    });
    return c.json({
      data: page.rows.map(auditView),
      meta: { nextCursor: page.next === undefined ? null : String(page.next) },
    });
  },
);
