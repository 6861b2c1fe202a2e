import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Database } from "./client";
import { oidcLogins } from "./schema-sso";

/** How long a browser may take at the provider between start and callback. */
export const OIDC_LOGIN_MS = 10 * 60_000;

/**
 * Records a single sign-on attempt by its state's hash; the same batch drops attempts that ran
 * out (the table holds minutes of rows, so that scan stays small).
 */
export async function recordOidcLogin(
  db: Database,
  login: { stateHash: string; next: string | null; now: number },
): Promise<void> {
  await db.batch([
    db.delete(oidcLogins).where(lt(oidcLogins.expiresAt, login.now)),
    db.insert(oidcLogins).values({
      stateHash: login.stateHash,
      next: login.next,
      createdAt: login.now,
      expiresAt: login.now + OIDC_LOGIN_MS,
    }),
  ]);
}

/**
 * Uses an attempt: one conditional UPDATE, so of any number of callbacks with one state exactly
 * one gets the row back. Undefined for an unknown, used or expired state.
 */
export async function consumeOidcLogin(
  db: Database,
  stateHash: string,
  now: number,
): Promise<{ next: string | null } | undefined> {
  const [row] = await db
    .update(oidcLogins)
    .set({ usedAt: now })
    .where(and(eq(oidcLogins.stateHash, stateHash), isNull(oidcLogins.usedAt), gt(oidcLogins.expiresAt, now)))
    .returning({ next: oidcLogins.next });
  return row;
}
