/** Who is asking, as far as the edge can tell: the client's address and a binding hash. */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Expands an IPv6 address to eight 16-bit groups, or undefined when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === "" ? [] : s.split(":"));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * The key an address is counted under: an IPv4 address as is, an IPv6 address by its /64 (one
 * subscriber usually gets a whole /64 and can rotate through it freely); anything else "unknown".
 */
export function ipKey(ip: string): string {
  const v4 = IPV4.exec(ip.replace(/^::ffff:/i, ""));
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255) ? v4.slice(1).map(Number).join(".") : "unknown";
  const groups = ipv6Groups(ip);
  if (!groups) return "unknown";
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** `CF-Connecting-IP` (set by Cloudflare, not spoofable there), else the first `X-Forwarded-For` hop. */
export function clientIp(headers: { get(name: string): string | null }): string {
  const direct = headers.get("cf-connecting-ip")?.trim();
  if (direct) return direct.slice(0, 64);
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded ? forwarded.slice(0, 64) : "unknown";
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A clearance is bound to this: SHA-256 over the address key and the user agent, 128 bits. */
export async function clientBinding(ipKeyValue: string, userAgent: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${ipKeyValue}\n${userAgent}`));
  return base64url(new Uint8Array(digest).subarray(0, 16));
}
