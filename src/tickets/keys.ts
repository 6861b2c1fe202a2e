import { eq } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { z } from "zod";
import { settingsFrom } from "../config";
import type { Database } from "../db/client";
import { signingKeys } from "../db/schema";

/**
 * Ticket-signing keys. The signer is TICKET_SIGNING_KEY (an Ed25519 private JWK) when set; else a
 * key generated on first use and kept in D1, so codes survive restarts. Every key that may have
 * signed a valid ticket is published: the signer, kept keys, and TICKET_VERIFY_KEYS (retired
 * public keys, a JSON array), so scanners keep accepting codes across a rotation.
 */

const PrivateJwk = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string(),
  d: z.string(),
  kid: z.string().optional(),
});
const PublicJwk = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string(),
  kid: z.string().optional(),
});

export interface Signer {
  kid: string;
  key: CryptoKey;
}

export interface KeyRing {
  signer: Signer;
  jwks: { keys: JWK[] };
}

const publicPart = (jwk: { x: string; kid?: string }, kid: string): JWK => ({
  kty: "OKP",
  crv: "Ed25519",
  x: jwk.x,
  kid,
  alg: "EdDSA",
  use: "sig",
});

let cached: { source: string; ring: Promise<KeyRing> } | undefined;

export function keyRing(env: Env, db: Database): Promise<KeyRing> {
  const { signingKey, verifyKeys } = settingsFrom(env).tickets;
  const source = `${signingKey ?? ""}|${verifyKeys ?? ""}`;
  if (!cached || cached.source !== source) {
    const ring = loadKeyRing(env, db);
    cached = { source, ring };
    ring.catch(() => {
      if (cached?.ring === ring) cached = undefined;
    });
  }
  return cached.ring;
}

async function loadKeyRing(env: Env, db: Database): Promise<KeyRing> {
  const published: JWK[] = [];
  let signer: Signer | undefined;
  const { signingKey: configured, verifyKeys: retired } = settingsFrom(env).tickets;
  if (configured) {
    const jwk = PrivateJwk.parse(JSON.parse(configured));
    const kid = jwk.kid ?? (await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x }));
    signer = { kid, key: (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey };
    published.push(publicPart(jwk, kid));
  }
  const kept = await db.select().from(signingKeys);
  if (!signer && kept.length === 0) kept.push(await generateAndKeep(db));
  for (const row of kept) {
    const jwk = PublicJwk.parse(JSON.parse(row.publicJwk));
    published.push(publicPart(jwk, row.kid));
    if (!signer && row.name === "generated") {
      signer = {
        kid: row.kid,
        key: (await importJWK({ ...JSON.parse(row.privateJwk), alg: "EdDSA" }, "EdDSA")) as CryptoKey,
      };
    }
  }
  if (retired) {
    for (const jwk of z.array(PublicJwk).parse(JSON.parse(retired))) {
      published.push(
        publicPart(jwk, jwk.kid ?? (await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x }))),
      );
    }
  }
  if (!signer) throw new Error("no ticket signing key");
  const unique = new Map(published.map((k) => [k.kid, k]));
  return { signer, jwks: { keys: [...unique.values()] } };
}

async function generateAndKeep(db: Database) {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const row = {
    kid,
    name: "generated",
    privateJwk: JSON.stringify(await exportJWK(privateKey)),
    publicJwk: JSON.stringify(publicJwk),
    createdAt: Date.now(),
  };
  // Two isolates may race on the first start: the unique name keeps one key, and both read it.
  await db.insert(signingKeys).values(row).onConflictDoNothing();
  const [kept] = await db.select().from(signingKeys).where(eq(signingKeys.name, "generated"));
  if (!kept) throw new Error("could not keep the generated signing key");
  return kept;
}
