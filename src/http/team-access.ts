import type { Database } from "../db/client";
import { memberRole } from "../db/teams";
import { roleMay, type TeamAction } from "../domain/team-roles";
import type { User } from "./context";
import { ApiError } from "./errors";
import { isAdmin } from "./middleware/auth";

/**
 * Whether the user may do this to something an organizer (`ownerId`) created, in an organization
 * (`orgId`) or none: admins and the creator always (as before teams); a member of the organization
 * as its role allows (src/domain/team-roles.ts).
 */
export async function mayAct(
  db: Database,
  user: User,
  target: { ownerId: string; orgId: string | null },
  action: TeamAction,
): Promise<boolean> {
  if (isAdmin(user) || user.id === target.ownerId) return true;
  if (!target.orgId) return false;
  const role = await memberRole(db, target.orgId, user);
  return role !== undefined && roleMay(role, action);
}

export async function assertMayAct(
  db: Database,
  user: User,
  target: { ownerId: string; orgId: string | null },
  action: TeamAction,
  what = "event",
): Promise<void> {
  if (!(await mayAct(db, user, target, action))) {
    throw new ApiError("FORBIDDEN", `You may not do this (${action}) with this ${what}.`, { action });
  }
}
