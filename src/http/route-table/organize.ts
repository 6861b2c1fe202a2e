import * as O from "../../contract/organizer";
import type { RouteSpec } from "../route-table";
import { AuditLogQuery } from "../routes/audit-log";

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
];
