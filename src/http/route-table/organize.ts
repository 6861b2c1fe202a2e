import * as O from "../../contract/organizer";
import * as R from "../../contract/responses";
import type { RouteSpec } from "../route-table";
import { AuditLogQuery } from "../routes/audit-log";
import { CompCreate, KillCreate, KillIdParam } from "../routes/kills";
import { EventIdParam } from "../schemas";

/** Organizer operations: the audit log, kills and comps, order search, teams. */
export const ORGANIZE_ROUTES: readonly RouteSpec[] = [
  {
    method: "GET",
    path: "/api/v1/admin/audit-log",
    operationId: "listAuditLog",
    summary: "Who did what, newest first: every organizer action (`?eventId=` one event's; `cursor` pages)",
    tag: "Organizer",
    auth: ["organizer"],
    query: AuditLogQuery,
    status: 200,
    response: O.AuditLog,
    personal: true,
  },
  {
    method: "POST",
    path: "/api/v1/admin/events/:eventId/kills",
    operationId: "createKill",
    summary: "Take seats or GA places off sale with a reason (shown as `blocked`), through the room",
    tag: "Organizer",
    auth: ["organizer"],
    params: EventIdParam,
    body: KillCreate,
    status: 201,
    response: O.Kill,
    room: true,
    personal: true,
  },
  {
    method: "DELETE",
    path: "/api/v1/admin/events/:eventId/kills/:killId",
    operationId: "deleteKill",
    summary: "Put a kill's seats and places back on sale (the waitlist first)",
    tag: "Organizer",
    auth: ["organizer"],
    params: KillIdParam,
    status: 200,
    response: O.Kill,
    room: true,
    personal: true,
  },
  {
    method: "POST",
    path: "/api/v1/admin/events/:eventId/comps",
    operationId: "createComp",
    summary: "Complimentary tickets: a free order for `email`, its tickets mailed",
    tag: "Organizer",
    auth: ["organizer"],
    params: EventIdParam,
    body: CompCreate,
    headers: ["Idempotency-Key"],
    status: 201,
    response: R.Order,
    room: true,
    personal: true,
  },
];
