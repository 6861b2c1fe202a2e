import { and, eq, isNotNull, or } from "drizzle-orm";
import { randomId } from "../domain/ids";
import type { TeamRole } from "../domain/team-roles";
import type { Database } from "./client";
import { orgMembers, orgs } from "./schema";

export type OrgRow = typeof orgs.$inferSelect;
export type MemberRow = typeof orgMembers.$inferSelect;

/** Creates an organization with its creator as its first owner. */
export async function createOrg(
  db: Database,
  name: string,
  creator: { id: string; email?: string | undefined },
): Promise<OrgRow> {
  const now = Date.now();
  const org: OrgRow = { id: randomId("org"), name, createdBy: creator.id, createdAt: now };
  const email = creator.email?.toLowerCase() ?? `user:${creator.id}`;
  await db.batch([
    db.insert(orgs).values(org),
    db
      .insert(orgMembers)
      .values({ orgId: org.id, email, role: "owner", userId: creator.id, addedBy: creator.id, addedAt: now }),
  ]);
  return org;
}

export async function findOrg(db: Database, orgId: string): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(orgs).where(eq(orgs.id, orgId));
  return row;
}

/** Adds a member, or changes the role of one already there; answers the role it had before (if any). */
export async function putMember(
  db: Database,
  orgId: string,
  email: string,
  role: TeamRole,
  addedBy: string,
): Promise<{ member: MemberRow; previous: TeamRole | undefined }> {
  const [before] = await db
    .select({ role: orgMembers.role })
    .from(orgMembers)
    .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.email, email)));
  const member: MemberRow = { orgId, email, role, userId: null, addedBy, addedAt: Date.now() };
  await db
    .insert(orgMembers)
    .values(member)
    .onConflictDoUpdate({ target: [orgMembers.orgId, orgMembers.email], set: { role } });
  return { member, previous: before?.role };
}

/** The user's role in the organization (by the e-mail they signed in with, or as its creator), if any. */
export async function memberRole(
  db: Database,
  orgId: string,
  user: { id: string; email?: string | undefined },
): Promise<TeamRole | undefined> {
  const byUser = and(isNotNull(orgMembers.userId), eq(orgMembers.userId, user.id));
  const who = user.email ? or(byUser, eq(orgMembers.email, user.email.toLowerCase())) : byUser;
  const rows = await db
    .select({ role: orgMembers.role })
    .from(orgMembers)
    .where(and(eq(orgMembers.orgId, orgId), who));
  // Two rows (creator's id and an invited address): the stronger role counts.
  const order: TeamRole[] = ["owner", "manager", "box_office", "scanner"];
  return rows.map((r) => r.role).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
}

/** The organizations the user is a member of, in any role. */
export async function memberOrgIds(db: Database, user: { id: string; email?: string | undefined }): Promise<string[]> {
  const byUser = and(isNotNull(orgMembers.userId), eq(orgMembers.userId, user.id));
  const who = user.email ? or(byUser, eq(orgMembers.email, user.email.toLowerCase())) : byUser;
  const rows = await db.selectDistinct({ orgId: orgMembers.orgId }).from(orgMembers).where(who).limit(90);
  return rows.map((r) => r.orgId);
}
