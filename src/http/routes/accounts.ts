import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { requireSecret } from "../../config";
import { EmailSignIn, RoleChange, SameSitePath, SessionIdParam, UserIdParam } from "../../contract/accounts";
import {
  endSession,
  recentLinkRequests,
  recordLink,
  rolesOf,
  SIGN_IN_LINK_MS,
  sessionsOf,
  setRoles,
  sha256,
  userById,
} from "../../db/accounts";
import { database } from "../../db/client";
import { randomId } from "../../domain/ids";
import { signInToken } from "../../domain/link-tokens";
import { enqueue } from "../../notify/enqueue";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser, SESSION_COOKIE } from "../middleware/auth";
import { clientOf } from "../middleware/edge-client";
import { clearSessionCookie, sessionOf, userOfRow } from "../sessions";
import { jsonBody, pathParams } from "../validate";

/**
 * Accounts (docs/API.md, "Accounts and sign-in"): e-mail sign-in links, the signed-in user, their
 * sessions, and roles granted by an admin. `GET /auth/verify` (a page) is in src/pages/sign-in-routes.tsx.
 */

/** Sign-in links one address may be sent, and one client may ask for, per window. */
export const LINKS_PER_ADDRESS = 5;
export const LINKS_PER_CLIENT = 30;
export const LINK_WINDOW_MS = SIGN_IN_LINK_MS;

/** `next` as stored with the link: a same-site path, else nothing (the link then leads to `/`). */
const sameSiteOrNull = (next: string | undefined): string | null =>
  next !== undefined && SameSitePath.safeParse(next).success ? next : null;

const iso = (ms: number) => new Date(ms).toISOString();

export const accounts = new Hono<AppEnv>()
  .post("/auth/email", jsonBody(EmailSignIn), async (c) => {
    const { email, next } = c.var.body;
    const secret = requireSecret(c.var.settings, "tokenSecret", "sign-in links are derived with it");
    const db = database(c.env.DB);
    const clientKey = clientOf(c).ipKey;
    const now = Date.now();
    if (c.var.settings.rateLimitsEnforced) {
      const recent = await recentLinkRequests(db, email, clientKey, now - LINK_WINDOW_MS);
      if (recent.email >= LINKS_PER_ADDRESS || recent.client >= LINKS_PER_CLIENT) {
        const minutes = LINK_WINDOW_MS / 60_000;
        throw new ApiError(
          "RATE_LIMITED",
          `Too many sign-in links asked for ${recent.email >= LINKS_PER_ADDRESS ? "for this address" : "from this client"}: try again in ${minutes} minutes.`,
          { retryAfterSeconds: minutes * 60 },
          { "retry-after": String(minutes * 60) },
        );
      }
    }
    const linkId = randomId("sil", 26);
    const token = await signInToken(secret, linkId);
    await recordLink(db, { tokenHash: await sha256(token), email, next: sameSiteOrNull(next), clientKey, now });
    // The mail goes through the notifications queue (the outbox locally); the answer never says
    // whether the address has an account.
    await enqueue(c.env, { kind: "sign_in_link", to: email, linkId }, c.var.log);
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
