import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { EmailSignIn, RoleChange, SessionIdParam, UserIdParam } from "../../contract/accounts";
import { endSession, rolesOf, sessionsOf, setRoles, userById } from "../../db/accounts";
import { database } from "../../db/client";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser, SESSION_COOKIE } from "../middleware/auth";
import { clearSessionCookie, sessionOf, userOfRow } from "../sessions";
import { sendSignInLink } from "../sign-in";
import { jsonBody, pathParams } from "../validate";

/**
 * Accounts (docs/API.md, "Accounts and sign-in"): e-mail sign-in links, the signed-in user, their
 * sessions, and roles granted by an admin. `GET /auth/verify` (a page) is in src/pages/sign-in-routes.tsx.
 */

const iso = (ms: number) => new Date(ms).toISOString();

export const accounts = new Hono<AppEnv>()
  .post("/auth/email", jsonBody(EmailSignIn), async (c) => {
    await sendSignInLink(c, c.var.body.email, c.var.body.next);
    return c.json({ sent: true as const }, 202);
  })

  .post("/auth/logout", auth({ optional: true }), async (c) => {
    const session = await sessionOf(c);
    if (session) await endSession(database(c.env.DB), session.user.id, { idHash: session.session.idHash });
    clearSessionCookie(c);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  })

  .get("/me", auth(), (c) => {
    const user = currentUser(c);
    return c.json({ userId: user.id, email: user.email ?? null, roles: user.roles });
  })

  .get("/me/sessions", auth(), async (c) => {
    const user = currentUser(c);
    const current = await sessionOf(c);
    const rows = await sessionsOf(database(c.env.DB), user.id, Date.now());
    return c.json({
      data: rows.map((row) => ({
        sessionId: row.sessionId,
        createdAt: iso(row.createdAt),
        lastSeenAt: iso(row.lastSeenAt),
        userAgent: row.userAgent,
        current: row.sessionId === current?.session.sessionId,
      })),
    });
  })

  .delete("/me/sessions/:sessionId", auth(), pathParams(SessionIdParam), async (c) => {
    const user = currentUser(c);
    const ended = await endSession(database(c.env.DB), user.id, { sessionId: c.var.params.sessionId });
    if (!ended) throw new ApiError("NOT_FOUND", "You have no session with this id.");
    const current = await sessionOf(c);
    if (current?.session.sessionId === c.var.params.sessionId) clearSessionCookie(c);
    return c.body(null, 204);
  })

  .post(
    "/admin/users/:userId/roles",
    auth({ roles: ["admin"] }),
    pathParams(UserIdParam),
    jsonBody(RoleChange),
    async (c) => {
      const db = database(c.env.DB);
      const row = await userById(db, c.var.params.userId);
      if (!row) throw new ApiError("NOT_FOUND", "No account has this id.");
      const { add = [], remove = [] } = c.var.body;
      if (add.some((role) => remove.includes(role))) {
        throw new ApiError("VALIDATION_FAILED", "A role cannot be both added and removed.", {
          issues: [{ path: "add", message: "must not repeat a role of remove" }],
        });
      }
      // `customer` is every account's; only the other roles are stored.
      const roles = new Set(rolesOf(row));
      for (const role of add) if (role !== "customer") roles.add(role);
      for (const role of remove) roles.delete(role);
      await setRoles(db, row.id, [...roles].sort());
      const user = userOfRow({ ...row, rolesJson: JSON.stringify([...roles]) }, c.var.settings);
      return c.json({ userId: row.id, email: row.email, roles: user.roles });
    },
  );
