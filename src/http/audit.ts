import type { AuditLogEntryView } from "../contract/organizer";
import { type AuditEntry, type AuditRow, appendAudit } from "../db/audit";
import { database } from "../db/client";
import type { User } from "./context";
import { currentUser } from "./middleware/auth";

/**
 * Records an organizer action in the append-only audit log, as the signed-in user. Every organizer
 * route calls it once its action has succeeded (create, edit, cancel, refund, kill, comp, role
 * change); it is awaited, so an answer is never sent for an action the log does not hold.
 */
export async function audit(
  c: { env: Env; var: { user: User | undefined } },
  entry: Omit<AuditEntry, "actorId" | "actorEmail">,
): Promise<void> {
  const user = currentUser(c);
  await appendAudit(database(c.env.DB), { ...entry, actorId: user.id, actorEmail: user.email });
}

export function auditView(row: AuditRow): AuditLogEntryView {
  return {
    at: new Date(row.at).toISOString(),
    actor: row.actorId,
    actorEmail: row.actorEmail,
    action: row.action,
    target: row.target,
    targetType: row.targetType,
    eventId: row.eventId,
    details: JSON.parse(row.detailsJson) as Record<string, unknown>,
  };
}
