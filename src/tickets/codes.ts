import { SignJWT } from "jose";
import type { KeyRing } from "./keys";
import { type TicketClaims, verifyTicketCode } from "./verify";

/** A ticket's code: a compact JWS (EdDSA) over a small payload that a scanner verifies offline with the JWKS. */
export function signTicketCode(ring: KeyRing, claims: Omit<TicketClaims, "iat">, issuedAt: number): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: ring.signer.kid, typ: "ticket+jwt" })
    .setIssuedAt(Math.floor(issuedAt / 1000))
    .sign(ring.signer.key);
}

/** The claims of a code signed by one of our keys, or undefined for anything else. */
export function readTicketCode(ring: KeyRing, code: string): Promise<TicketClaims | undefined> {
  return verifyTicketCode(ring.jwks, code);
}
