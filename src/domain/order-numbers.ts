/**
 * Order numbers people read aloud and type: `ORD-7K3P-9QX2`. Eight characters from an alphabet
 * without the ones easily misread (0/O, 1/I/L) give 31^8 ≈ 8.5 × 10^11 numbers; D1's unique
 * index on them is what makes them unique (checkout draws again on the rare collision).
 */

export const ORDER_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export const ORDER_NUMBER = /^ORD-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

export function newOrderNumber(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const size = ORDER_NUMBER_ALPHABET.length;
  // Bytes at or past the last whole multiple of the alphabet's size would favour its first letters.
  const limit = 256 - (256 % size);
  let chars = "";
  while (chars.length < 8) {
    for (const byte of random(new Uint8Array(16))) {
      if (byte < limit && chars.length < 8) chars += ORDER_NUMBER_ALPHABET[byte % size];
    }
  }
  return `ORD-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * What an organizer typed, as the part of an order number (without its dashes) it can match:
 * "ord-7k3p", "7K3P9QX2" and "9qx2" all find `ORD-7K3P-9QX2`; anything else matches none.
 */
export function orderNumberQuery(typed: string): string | undefined {
  const bare = typed
    .trim()
    .toUpperCase()
    .replace(/^ORD-?/, "")
    .replaceAll("-", "");
  if (!/^[2-9A-HJKMNP-Z]{1,8}$/.test(bare)) return undefined;
  return bare;
}
