import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { createRemoteJWKSet, decodeJwt, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import type { Settings } from "../../config";
import { type AppEnv, ROLES, type Role, type User } from "../context";
import { ApiError } from "../errors";
import { hasSessionCookie, sessionOf } from "../sessions";

export const SESSION_COOKIE = "session";

const Claims = z.object({
  sub: z.string().min(1).max(128),
  roles: z.array(z.string()).max(16).optional(),
  /** A scanner token may be limited to these events. */
  eventIds: z.array(z.string().min(1).max(64)).max(200).optional(),
  /** Where the user's notifications go; a malformed one is ignored (no mail), not refused. */
  email: z.email().max(254).optional().catch(undefined),
});

const encoder = new TextEncoder();
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const keySets = new Map<string, JWTVerifyGetKey>();

/** One imported HMAC key per secret and isolate: importing it costs more than verifying. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

function keySet(url: string): JWTVerifyGetKey {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    keySets.set(url, set);
  }
  return set;
}

/**
 * Tokens this isolate has verified, until their `exp` (at most VERIFIED_TTL_MS): during an on-sale
 * each shopper sends the same token again and again, and verifying it (base64, JSON, HMAC, claims)
 * was the largest share of a hold's CPU at the edge. Keyed by the verifying secret and the token.
 */
const verified = new Map<string, { user: User; until: number }>();
const VERIFIED_MAX = 32_768;
const VERIFIED_TTL_MS = 10 * 60_000;

/** Verifies a user token: against the JWKS when one is configured, else HS256 with AUTH_SECRET. */
export async function verifyUserToken(token: string, settings: Settings): Promise<User | undefined> {
  const cacheKey = `${settings.authJwksUrl ?? settings.authSecret ?? ""}\u0000${token}`;
  const now = Date.now();
  const hit = verified.get(cacheKey);
  if (hit && hit.until > now) return hit.user;
  if (hit) verified.delete(cacheKey);
  const user = await verifyUncached(token, settings);
  if (user) {
    const exp = decodeJwt(token).exp;
    const until = Math.min(now + VERIFIED_TTL_MS, typeof exp === "number" ? exp * 1000 : now + 60_000);
    // Oldest first out: a Map iterates in insertion order.
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(cacheKey, { user, until });
  }
  return user;
}

async function verifyUncached(token: string, settings: Settings): Promise<User | undefined> {
  try {
    const { payload } = settings.authJwksUrl
      ? await jwtVerify(token, keySet(settings.authJwksUrl), {
          algorithms: ["RS256", "ES256", "EdDSA"],
          requiredClaims: ["exp"],
          ...(settings.authIssuer && { issuer: settings.authIssuer }),
          ...(settings.authAudience && { audience: settings.authAudience }),
        })
      : settings.authSecret
        ? await jwtVerify(token, await hmacKey(settings.authSecret), { algorithms: ["HS256"] })
        : { payload: undefined };
    const claims = Claims.safeParse(payload);
    if (!claims.success) return undefined;
    const roles = (claims.data.roles ?? ["customer"]).filter((r): r is Role =>
      (ROLES as readonly string[]).includes(r),
    );
    return {
      id: claims.data.sub,
      roles,
      ...(claims.data.email && { email: claims.data.email.toLowerCase() }),
      ...(claims.data.eventIds && { eventIds: claims.data.eventIds }),
    };
  } catch {
    return undefined;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header.trim())?.[1];
}

/**
 * The user of a valid bearer token or, without an Authorization header, of the `__Host-session`
 * cookie (a signed-in account) or the `session` cookie (a token, /dev/login); undefined otherwise
 * (never throws). For what only changes with a user: pages, per-user limits.
 */
export async function optionalUser<E extends AppEnv>(c: Context<E>): Promise<User | undefined> {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const token = bearerToken(header);
    return token ? verifyUserToken(token, c.var.settings) : undefined;
  }
  try {
    const session = await sessionOf(c);
    if (session) return session.user;
  } catch {
    // D1 unreachable: the request goes on as anonymous; auth() refuses what needs a user.
  }
  const token = getCookie(c, SESSION_COOKIE);
  return token ? verifyUserToken(token, c.var.settings) : undefined;
}

function assertSameOrigin<E extends AppEnv>(c: Context<E>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  if (c.req.header("origin") !== new URL(c.req.url).origin) {
    throw new ApiError("FORBIDDEN", "A cookie-authenticated write must come from this site.");
  }
}

interface AuthOptions {
  /** Any one of these roles is enough; `admin` always is. */
  roles?: Role[];
  /** Let anonymous requests through (with `user` unset); a bad token is still refused. */
  optional?: boolean;
}

/**
 * Authenticates with `Authorization: Bearer` or, for same-origin browser requests, the
 * `__Host-session` cookie (an account's session in D1) or the `session` cookie (a token);
 * a write authenticated by cookie must carry a same-origin `Origin` (CSRF).
 */
export const auth = (options: AuthOptions = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    let user: User | undefined;
    const header = c.req.header("authorization");
    if (header !== undefined) {
      const token = bearerToken(header);
      if (!token) throw new ApiError("UNAUTHENTICATED", "The Authorization header must be `Bearer <token>`.");
      user = await verifyUserToken(token, c.var.settings);
      if (!user) throw new ApiError("UNAUTHENTICATED", "The token is malformed, expired or badly signed.");
    } else {
      const session = hasSessionCookie(c) ? await sessionOf(c) : undefined;
      const token = session ? undefined : getCookie(c, SESSION_COOKIE);
      if (session || token || hasSessionCookie(c)) assertSameOrigin(c);
      if (session) user = session.user;
      else if (token) {
        user = await verifyUserToken(token, c.var.settings);
        if (!user) throw new ApiError("UNAUTHENTICATED", "The token is malformed, expired or badly signed.");
      } else if (hasSessionCookie(c) && !options.optional) {
        throw new ApiError("UNAUTHENTICATED", "This session has ended or expired: sign in again.");
      }
    }
    if (!user) {
      if (options.optional) return next();
      throw new ApiError("UNAUTHENTICATED", "Sign in first: this needs a bearer token or a session.");
    }
    if (options.roles && !user.roles.includes("admin") && !options.roles.some((r) => user.roles.includes(r))) {
      throw new ApiError("FORBIDDEN", `This needs the ${options.roles.join(" or ")} role.`);
    }
    c.set("user", user);
    await next();
  });

/** The authenticated user; only for handlers behind a non-optional `auth()`. */
export function currentUser(c: { var: { user: User | undefined } }): User {
  const user = c.var.user;
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in first: this needs a bearer token.");
  return user;
}

export const isAdmin = (user: User): boolean => user.roles.includes("admin");

/**
 * 403 FORBIDDEN unless `user` owns the thing (`ownerId`); an admin may see anyone's unless
 * `adminToo` is false (acting for the owner, such as paying, stays the owner's).
 */
export function assertOwner(
  user: User,
  ownerId: string,
  thing: "hold" | "order" | "ticket",
  options: { adminToo?: boolean } = {},
): void {
  if (ownerId === user.id || ((options.adminToo ?? true) && isAdmin(user))) return;
  throw new ApiError("FORBIDDEN", `This ${thing} belongs to someone else.`);
}
