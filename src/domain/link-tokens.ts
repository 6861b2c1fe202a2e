/**
 * Secrets in links that D1 never holds: each is an HMAC-SHA256 (with TOKEN_SECRET) of what it
 * opens, recomputed when it is checked. A sign-in link's token is the MAC of its id (the stored
 * row keeps only the token's SHA-256); a ticket link's `k` is the MAC of the ticket and its current
 * code, so a transfer, refund or void (a new code, or none) ends it.
 */

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function mac(secret: string, purpose: string, text: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await keyOf(secret), encoder.encode(`${purpose}\u0000${text}`));
  return base64url(new Uint8Array(signature));
}

/** The token of the sign-in link `linkId`. */
export const signInToken = (secret: string, linkId: string): Promise<string> => mac(secret, "sign-in", linkId);

/** A ticket link's `k`: bound to the ticket and its current code. */
export const ticketLinkKey = (secret: string, ticketId: string, code: string): Promise<string> =>
  mac(secret, "ticket-link", `${ticketId}\u0000${code}`);

/** An account's waiting-room visitor id for one event: stable, and not the account's id. */
export const queueVisitorKey = (secret: string, eventId: string, userId: string): Promise<string> =>
  mac(secret, "queue-visitor", `${eventId}\u0000${userId}`);

/** Compares two strings in time independent of where they differ. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A single sign-on attempt's PKCE verifier and nonce, derived from its state (43 URL-safe characters each). */
export async function oidcSecrets(secret: string, state: string): Promise<{ codeVerifier: string; nonce: string }> {
  const [codeVerifier, nonce] = await Promise.all([mac(secret, "oidc-pkce", state), mac(secret, "oidc-nonce", state)]);
  return { codeVerifier, nonce };
}
