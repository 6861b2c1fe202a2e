import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Challenges and clearances: HS256 JWTs under a key derived from TOKEN_SECRET, so that neither
 * can ever pass for a queue or access token signed with the same secret (and vice versa), and an
 * `aud` per kind, so that a challenge cannot pass for a clearance.
 */

const CHALLENGE_AUDIENCE = "edge:pow-challenge";
const CLEARANCE_AUDIENCE = "edge:clearance";
const KEY_LABEL = "edge-tickets/edge-protection/v1";

const derived = new Map<string, Promise<Uint8Array>>();

/** HMAC-SHA256(TOKEN_SECRET, label): a key of its own for edge protection. */
export function protectionKey(secret: string): Promise<Uint8Array> {
  let key = derived.get(secret);
  if (!key) {
    key = (async () => {
      const hmac = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      return new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(KEY_LABEL)));
    })();
    derived.set(secret, key);
  }
  return key;
}

export interface ChallengeClaims {
  nonce: string;
  difficulty: number;
  /** The client binding it was issued to. */
  client: string;
  expiresAt: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export async function signChallenge(key: Uint8Array, claims: ChallengeClaims): Promise<string> {
  return new SignJWT({ n: claims.nonce, d: claims.difficulty, c: claims.client })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(CHALLENGE_AUDIENCE)
    .setExpirationTime(seconds(claims.expiresAt))
    .sign(key);
}

export type Verdict<T> = { ok: true; value: T } | { ok: false; reason: "invalid" | "expired" | "other-client" };

async function verify(key: Uint8Array, token: string, audience: string, now: number) {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      audience,
      currentDate: new Date(now),
      clockTolerance: 0,
    });
    return { ok: true as const, payload };
  } catch (error) {
    return {
      ok: false as const,
      reason: error instanceof errors.JWTExpired ? ("expired" as const) : ("invalid" as const),
    };
  }
}

export async function verifyChallenge(
  key: Uint8Array,
  token: string,
  client: string,
  now: number,
): Promise<Verdict<{ nonce: string; difficulty: number }>> {
  const result = await verify(key, token, CHALLENGE_AUDIENCE, now);
  if (!result.ok) return result;
  const { n, d, c } = result.payload;
  if (typeof n !== "string" || typeof d !== "number" || typeof c !== "string") return { ok: false, reason: "invalid" };
  if (c !== client) return { ok: false, reason: "other-client" };
  return { ok: true, value: { nonce: n, difficulty: d } };
}

export async function signClearance(key: Uint8Array, client: string, expiresAt: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(CLEARANCE_AUDIENCE)
    .setSubject(client)
    .setExpirationTime(seconds(expiresAt))
    .sign(key);
}

export async function verifyClearance(
  key: Uint8Array,
  token: string,
  client: string,
  now: number,
): Promise<Verdict<{ expiresAt: number }>> {
  const result = await verify(key, token, CLEARANCE_AUDIENCE, now);
  if (!result.ok) return result;
  const { sub, exp } = result.payload;
  if (typeof sub !== "string" || typeof exp !== "number") return { ok: false, reason: "invalid" };
  if (sub !== client) return { ok: false, reason: "other-client" };
  return { ok: true, value: { expiresAt: exp * 1000 } };
}
