/**
 * The proof of work behind CHALLENGE_REQUIRED: find a `solution` such that
 * SHA-256(UTF-8(`${nonce}:${solution}`)) starts with `difficulty` zero bits. Checking costs one
 * hash; finding costs 2^difficulty on average. Web Crypto only, so a browser worker can import it.
 */

export const POW_ALGORITHM = "sha256-leading-zero-bits";

/** A solution is short printable ASCII; a decimal counter is the obvious choice. */
export const SOLUTION = /^[\x21-\x7e]{1,64}$/;

export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

const encoder = new TextEncoder();

export async function powDigest(nonce: string, solution: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`${nonce}:${solution}`)));
}

export async function verifyPow(nonce: string, solution: string, difficulty: number): Promise<boolean> {
  if (!SOLUTION.test(solution)) return false;
  return leadingZeroBits(await powDigest(nonce, solution)) >= difficulty;
}

/**
 * Brute force, for tests, benchmarks and the browser's worker: hashes `batch` candidates at a
 * time (Web Crypto is asynchronous, so batching keeps it busy). Undefined after `maxTries`.
 */
export async function solvePow(
  nonce: string,
  difficulty: number,
  { maxTries = 2 ** 26, batch = 256 }: { maxTries?: number; batch?: number } = {},
): Promise<string | undefined> {
  for (let start = 0; start < maxTries; start += batch) {
    const candidates = Array.from({ length: Math.min(batch, maxTries - start) }, (_, i) => String(start + i));
    const digests = await Promise.all(candidates.map((c) => powDigest(nonce, c)));
    const found = digests.findIndex((d) => leadingZeroBits(d) >= difficulty);
    if (found >= 0) return candidates[found];
  }
  return undefined;
}
