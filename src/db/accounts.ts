import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import { randomId } from "../domain/ids";
import type { Database } from "./client";
import { sessions, signInTokens, users } from "./schema";

/**
 * Accounts in D1: users, their sessions and one-time sign-in links. Secrets (a session cookie's
 * value, a link's token) never reach D1: only their SHA-256 does, so a copy of the database
 * signs nobody in.
 */

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export const SIGN_IN_LINK_MS = 15 * 60_000;
export const SESSION_MS = 30 * 24 * 3600_000;
/** `lastSeenAt` is written at most this often per session: a page view must not be a D1 write. */
export const LAST_SEEN_GRAIN_MS = 5 * 60_000;

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes, URL-safe: a session cookie's value. */
export const newSecret = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

export async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return base64url(digest);
}

export const rolesOf = (row: Pick<UserRow, "rolesJson">): string[] => {
  try {
    const roles: unknown = JSON.parse(row.rolesJson);
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
};

// ---------------------------------------------------------------- sign-in links

/** How many links were asked for since `since`, for this address and from this client. */
export async function recentLinkRequests(
  db: Database,
  email: string,
  clientKey: string,
  since: number,
): Promise<{ email: number; client: number }> {
  const [[byEmail], [byClient]] = await db.batch([
    db
      .select({ n: count() })
      .from(signInTokens)
      .where(and(eq(signInTokens.email, email), gt(signInTokens.createdAt, since))),
    db
      .select({ n: count() })
      .from(signInTokens)
      .where(and(eq(signInTokens.clientKey, clientKey), gt(signInTokens.createdAt, since))),
  ]);
  return { email: byEmail?.n ?? 0, client: byClient?.n ?? 0 };
}

export async function recordLink(
  db: Database,
  link: { tokenHash: string; email: string; next: string | null; clientKey: string; now: number },
): Promise<void> {
  await db.insert(signInTokens).values({
    tokenHash: link.tokenHash,
    email: link.email,
    next: link.next,
    clientKey: link.clientKey,
    createdAt: link.now,
    expiresAt: link.now + SIGN_IN_LINK_MS,
  });
}

/**
 * Uses a link: one conditional UPDATE, so of any number of concurrent uses exactly one gets the
 * row back. Undefined for an unknown, used or expired link.
 */
export async function consumeLink(
  db: Database,
  tokenHash: string,
  now: number,
): Promise<{ email: string; next: string | null } | undefined> {
  const [row] = await db
    .update(signInTokens)
    .set({ usedAt: now })
    .where(and(eq(signInTokens.tokenHash, tokenHash), isNull(signInTokens.usedAt), gt(signInTokens.expiresAt, now)))
    .returning({ email: signInTokens.email, next: signInTokens.next });
  return row;
}

// ---------------------------------------------------------------- users

/** The account of a verified address, made on its first sign-in. */
export async function userForEmail(db: Database, email: string, now: number): Promise<UserRow> {
  await db
    .insert(users)
    .values({ id: randomId("usr"), email, rolesJson: "[]", createdAt: now })
    .onConflictDoNothing({ target: users.email });
  const [row] = await db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error("user row missing right after its insert");
  return row;
}

export async function userById(db: Database, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

export async function userByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function setRoles(db: Database, userId: string, roles: readonly string[]): Promise<void> {
  await db
    .update(users)
    .set({ rolesJson: JSON.stringify([...roles]) })
    .where(eq(users.id, userId));
}

// ---------------------------------------------------------------- sessions

export async function createSession(
  db: Database,
  session: { idHash: string; userId: string; userAgent: string | null; now: number },
): Promise<SessionRow> {
  const row: SessionRow = {
    idHash: session.idHash,
    sessionId: randomId("ses"),
    userId: session.userId,
    createdAt: session.now,
    lastSeenAt: session.now,
    expiresAt: session.now + SESSION_MS,
    userAgent: session.userAgent?.slice(0, 256) ?? null,
  };
  await db.insert(sessions).values(row);
  return row;
}

/** A live session and its user; a missing, ended or expired one is undefined. */
export async function liveSession(
  db: Database,
  idHash: string,
  now: number,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
  return row;
}

export async function touchSession(db: Database, idHash: string, now: number): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
}

export async function sessionsOf(db: Database, userId: string, now: number): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(100);
}

/** Ends one session of this user (by its public id, or by its hash); true when there was one. */
export async function endSession(
  db: Database,
  userId: string,
  which: { sessionId: string } | { idHash: string },
): Promise<boolean> {
  const match = "sessionId" in which ? eq(sessions.sessionId, which.sessionId) : eq(sessions.idHash, which.idHash);
  const result = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), match))
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export async function endAllSessions(db: Database, userId: string): Promise<number> {
  const result = await db.delete(sessions).where(eq(sessions.userId, userId)).run();
  return result.meta.changes ?? 0;
}
