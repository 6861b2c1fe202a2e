import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Single sign-on attempts between `/auth/oidc/start` and the provider's return to the callback:
 * one row per attempt, named by the SHA-256 of its `state` (the state itself is only in the
 * browser's cookie and the provider's redirect). The PKCE verifier and the nonce are derived from
 * the state with TOKEN_SECRET, so D1 holds nothing that finishes a sign-in. `usedAt` makes a
 * state good for one callback.
 */
export const oidcLogins = sqliteTable("oidc_logins", {
  stateHash: text("state_hash").primaryKey(),
  /** A same-site path to go to after signing in, checked at the start. */
  next: text("next"),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
});
