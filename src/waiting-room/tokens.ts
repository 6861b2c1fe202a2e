import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/**
 * Waiting-room tokens, HS256 with TOKEN_SECRET. A queue token carries the visitor's place (its
 * sort key), so presenting it again keeps the place and nothing is stored per visitor. An access
 * token (audience = the event id) lets an admitted visitor hold seats and watch the live map.
 */

/** `pre`: a presale code holder's admission, until then (ms); the place `key` stands for the on-sale. */
const QueueClaims = z.object({
  sub: z.string(),
  key: z.number().int(),
  eid: z.string(),
  pre: z.number().int().optional(),
});

const secretKey = (secret: string) => new TextEncoder().encode(secret);

export async function signQueueToken(
  secret: string,
  eventId: string,
  visitorId: string,
  key: number,
  presaleUntil?: number,
): Promise<string> {
  return new SignJWT({ key, eid: eventId, typ: "queue", ...(presaleUntil !== undefined && { pre: presaleUntil }) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(visitorId)
    .setAudience(`queue:${eventId}`)
    .setIssuedAt()
    .setExpirationTime("7d")
    .sign(secretKey(secret));
}

export async function readQueueToken(
  secret: string,
  eventId: string,
  token: string,
): Promise<{ visitorId: string; key: number; presaleUntil?: number | undefined } | undefined> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), {
      algorithms: ["HS256"],
      audience: `queue:${eventId}`,
    });
    const claims = QueueClaims.safeParse(payload);
    if (!claims.success || claims.data.eid !== eventId) return undefined;
    return { visitorId: claims.data.sub, key: claims.data.key, presaleUntil: claims.data.pre };
  } catch {
    return undefined;
  }
}

export async function signAccessToken(
  secret: string,
  eventId: string,
  visitorId: string,
  expiresAt: number,
): Promise<string> {
  return new SignJWT({ typ: "access" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(visitorId)
    .setAudience(eventId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(secretKey(secret));
}

/** An unexpired access token for exactly this event, signed by us: its queue place and end. */
export async function readAccessToken(
  secret: string | undefined,
  eventId: string,
  token: string | undefined,
): Promise<{ visitor: string; until: number } | undefined> {
  if (!secret || !token) return undefined;
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ["HS256"], audience: eventId });
    if (payload.typ !== "access" || typeof payload.sub !== "string" || typeof payload.exp !== "number")
      return undefined;
    return { visitor: payload.sub, until: payload.exp * 1000 };
  } catch {
    return undefined;
  }
}

/** Whether `token` is an unexpired access token for exactly this event, signed by us. */
export async function isAccessToken(
  secret: string | undefined,
  eventId: string,
  token: string | undefined,
): Promise<boolean> {
  if (!secret || !token) return false;
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ["HS256"], audience: eventId });
    return payload.typ === "access";
  } catch {
    return false;
  }
}
