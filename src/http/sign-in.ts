import type { Context } from "hono";
import { requireSecret } from "../config";
import { SameSitePath } from "../contract/accounts";
import { recentLinkRequests, recordLink, SIGN_IN_LINK_MS, sha256 } from "../db/accounts";
import { database } from "../db/client";
import { randomId } from "../domain/ids";
import { signInToken } from "../domain/link-tokens";
import { enqueue } from "../notify/enqueue";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";
import { clientOf } from "./middleware/edge-client";

/** Sign-in links one address may be sent, and one client may ask for, per window. */
export const LINKS_PER_ADDRESS = 5;
export const LINKS_PER_CLIENT = 30;
export const LINK_WINDOW_MS = SIGN_IN_LINK_MS;

/** `next` as stored with the link: a same-site path, else nothing (the link then leads to `/`). */
export const sameSiteOrNull = (next: string | undefined): string | null =>
  next !== undefined && SameSitePath.safeParse(next).success ? next : null;

/**
 * Records a one-time link for `email` (lower-cased) and mails it through the notifications queue
 * (the outbox locally), for the API's `POST /auth/email` and the sign-in page's form alike.
 * 429 RATE_LIMITED past the per-address or per-client allowance (counted in D1: exact across
 * isolates). Says nothing about whether the address has an account.
 */
export async function sendSignInLink<E extends AppEnv>(
  c: Context<E>,
  email: string,
  next: string | undefined,
): Promise<void> {
  const secret = requireSecret(c.var.settings, "tokenSecret", "sign-in links are derived with it");
  const db = database(c.env.DB);
  const clientKey = clientOf(c).ipKey;
  const now = Date.now();
  if (c.var.settings.rateLimitsEnforced) {
    const recent = await recentLinkRequests(db, email, clientKey, now - LINK_WINDOW_MS);
    if (recent.email >= LINKS_PER_ADDRESS || recent.client >= LINKS_PER_CLIENT) {
      const seconds = LINK_WINDOW_MS / 1000;
      const who = recent.email >= LINKS_PER_ADDRESS ? "for this address" : "from this client";
      throw new ApiError(
        "RATE_LIMITED",
        `Too many sign-in links asked for ${who}: try again in ${seconds / 60} minutes.`,
        { retryAfterSeconds: seconds },
        { "retry-after": String(seconds) },
      );
    }
  }
  const linkId = randomId("sil", 26);
  const token = await signInToken(secret, linkId);
  await recordLink(db, { tokenHash: await sha256(token), email, next: sameSiteOrNull(next), clientKey, now });
  await enqueue(c.env, { kind: "sign_in_link", to: email, linkId }, c.var.log);
}
