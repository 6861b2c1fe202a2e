import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Settings } from "../config";
import {
  createSession,
  LAST_SEEN_GRAIN_MS,
  liveSession,
  newSecret,
  rolesOf,
  SESSION_MS,
  type SessionRow,
  sha256,
  touchSession,
  type UserRow,
} from "../db/accounts";
import { database } from "../db/client";
import { type AppEnv, ROLES, type Role, type User } from "./context";

/**
 * Browser sessions (e-mail sign-in, single sign-on): the `__Host-session` cookie holds a random
 * secret whose SHA-256 names the session's row in D1. Every request reads the row (no cache), so
 * a session ended on another device is refused at once.
 */
export const HOST_SESSION_COOKIE = "__Host-session";

export interface SessionContext {
  user: User;
  session: SessionRow;
}

/** A user row as the request's user: `customer`, the granted roles, and `admin` by ADMIN_EMAILS. */
export function userOfRow(row: UserRow, settings: Settings): User {
  const roles = new Set<Role>(["customer"]);
  for (const role of rolesOf(row)) if ((ROLES as readonly string[]).includes(role)) roles.add(role as Role);
  if (settings.adminEmails.includes(row.email)) roles.add("admin");
  return { id: row.id, roles: [...roles], email: row.email };
}

const resolved = new WeakMap<Request, Promise<SessionContext | undefined>>();

/** The request's live session, looked up once per request (the rate limiter and auth() both ask). */
export function sessionOf<E extends AppEnv>(c: Context<E>): Promise<SessionContext | undefined> {
  let found = resolved.get(c.req.raw);
  if (!found) {
    found = lookup(c);
    resolved.set(c.req.raw, found);
  }
  return found;
}

async function lookup<E extends AppEnv>(c: Context<E>): Promise<SessionContext | undefined> {
  const secret = getCookie(c, HOST_SESSION_COOKIE);
  if (!secret || secret.length > 128) return undefined;
  const now = Date.now();
  const db = database(c.env.DB);
  const idHash = await sha256(secret);
  const row = await liveSession(db, idHash, now);
  if (!row) return undefined;
  if (now - row.session.lastSeenAt >= LAST_SEEN_GRAIN_MS) {
    // Off the request path: a lost write only makes "last seen" a few minutes older.
    c.executionCtx.waitUntil(touchSession(db, idHash, now).catch(() => undefined));
  }
  return { user: userOfRow(row.user, c.var.settings), session: row.session };
}

/** True when the request carries a session cookie at all (valid or not). */
export const hasSessionCookie = <E extends AppEnv>(c: Context<E>): boolean =>
  getCookie(c, HOST_SESSION_COOKIE) !== undefined;

/** Starts a session for `user` in this browser: a D1 row and the `__Host-session` cookie. */
export async function startSession<E extends AppEnv>(c: Context<E>, user: UserRow): Promise<SessionRow> {
  const secret = newSecret();
  const session = await createSession(database(c.env.DB), {
    idHash: await sha256(secret),
    userId: user.id,
    userAgent: c.req.header("user-agent") ?? null,
    now: Date.now(),
  });
  setCookie(c, HOST_SESSION_COOKIE, secret, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: Math.floor(SESSION_MS / 1000),
  });
  return session;
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, HOST_SESSION_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
}
