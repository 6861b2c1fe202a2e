import { Hono } from "hono";
import { MemberPut, OrgCreate, OrgIdParam } from "../../contract/organizer";
import { database } from "../../db/client";
import { createOrg, findOrg, putMember } from "../../db/teams";
import { audit } from "../audit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { assertMayAct } from "../team-access";
import { jsonBody, pathParams } from "../validate";

const iso = (ms: number) => new Date(ms).toISOString();

/** Teams: an organization and its members, invited by e-mail with a role (src/domain/team-roles.ts). */
export const teams = new Hono<AppEnv>()
  .post("/admin/orgs", auth({ roles: ["organizer"] }), jsonBody(OrgCreate), async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const org = await createOrg(db, c.var.body.name, user);
    const ownerEmail = user.email?.toLowerCase() ?? `user:${user.id}`;
    await audit(c, {
      action: "org.create",
      targetType: "org",
      target: org.id,
      ownerId: org.createdBy,
      details: { name: org.name },
    });
    return c.json(
      {
        orgId: org.id,
        name: org.name,
        createdBy: org.createdBy,
        createdAt: iso(org.createdAt),
        members: [{ orgId: org.id, email: ownerEmail, role: "owner" as const, addedAt: iso(org.createdAt) }],
      },
      201,
    );
  })

  .post(
    "/admin/orgs/:orgId/members",
    auth({ roles: ["organizer"] }),
    pathParams(OrgIdParam),
    jsonBody(MemberPut),
    async (c) => {
      const db = database(c.env.DB);
      const user = currentUser(c);
      const org = await findOrg(db, c.var.params.orgId);
      if (!org) throw new ApiError("NOT_FOUND", "No such organization.");
      await assertMayAct(db, user, { ownerId: org.createdBy, orgId: org.id }, "org.manage", "organization");
      const { email, role } = c.var.body;
      const { member, previous } = await putMember(db, org.id, email, role, user.id);
      await audit(c, {
        action: previous ? "member.role" : "member.add",
        targetType: "member",
        target: email,
        ownerId: org.createdBy,
        details: { orgId: org.id, role, ...(previous && { from: previous }) },
      });
      return c.json(
        { orgId: org.id, email: member.email, role: member.role, addedAt: iso(member.addedAt) },
        previous ? 200 : 201,
      );
    },
  );
