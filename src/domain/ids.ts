/** Opaque, URL-safe identifiers. A hold id names its event, so the edge knows which room to ask. */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function randomId(prefix: string, length = 20): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = `${prefix}_`;
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}

export const isEventId = (value: string): boolean => EVENT_ID.test(value);

export function newHoldId(eventId: string): string {
  return `hld.${eventId}.${randomId("h", 16).slice(2)}`;
}

/** The event a hold id belongs to, or undefined when the id is not one of ours. */
export function eventIdOfHold(holdId: string): string | undefined {
  const parts = holdId.split(".");
  if (parts.length !== 3 || parts[0] !== "hld" || !parts[2]) return undefined;
  return isEventId(parts[1]!) ? parts[1] : undefined;
}
