import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import * as z from "zod/mini";

/**
 * Reading a ticket's code with nothing but the published keys: the Worker's check-in and the door's
 * page offline (src/client/scan.ts) both verify through this one function, so the two cannot drift.
 * No platform import (jose and zod run in workerd and in browsers alike).
 *
 * `v` is the ticket's version: a transfer issues a new ticket, so an old code names a ticket that is void.
 */
export const TicketClaims = z.object({
  tid: z.string(),
  eid: z.string(),
  seat: z.optional(z.string()),
  sec: z.optional(z.string()),
  v: z.int(),
  iat: z.int(),
});
export type TicketClaims = z.infer<typeof TicketClaims>;

/** The claims of a code signed by one of the keys in `jwks`, or undefined for anything else. */
export async function verifyTicketCode(jwks: JSONWebKeySet, code: string): Promise<TicketClaims | undefined> {
  try {
    const { payload } = await jwtVerify(code, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
    const claims = TicketClaims.safeParse(payload);
    return claims.success ? claims.data : undefined;
  } catch {
    return undefined;
  }
}
