import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { KeyRing } from "./keys";

/**
 * A ticket's code: a compact JWS (EdDSA) over a small payload that a scanner verifies offline
 * with the JWKS. `v` is the ticket's version: a transfer issues a new ticket, so an old code
 * names a ticket that is void.
 */
export const TicketClaims = z.object({
  tid: z.string(),
  eid: z.string(),
  seat: z.string().optional(),
  sec: z.string().optional(),
  v: z.number().int(),
  iat: z.number().int(),
});
export type TicketClaims = z.infer<typeof TicketClaims>;

export function signTicketCode(ring: KeyRing, claims: Omit<TicketClaims, "iat">, issuedAt: number): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: ring.signer.kid, typ: "ticket+jwt" })
    .setIssuedAt(Math.floor(issuedAt / 1000))
    .sign(ring.signer.key);
}

/** The claims of a code signed by one of our keys, or undefined for anything else. */
export async function readTicketCode(ring: KeyRing, code: string): Promise<TicketClaims | undefined> {
  try {
    const { payload } = await jwtVerify(code, createLocalJWKSet(ring.jwks), { algorithms: ["EdDSA"] });
    const claims = TicketClaims.safeParse(payload);
    return claims.success ? claims.data : undefined;
  } catch {
    return undefined;
  }
}
