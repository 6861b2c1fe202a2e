/** Opaque, URL-safe identifiers. A hold id names its event, so the edge knows which room to ask. */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Random bytes are drawn 4 KiB at a time: one getRandomValues call per id costs microseconds. */
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

export function randomId(prefix: string, length = 20): string {
  if (poolUsed + length > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  let id = `${prefix}_`;
  for (let i = 0; i < length; i++) id += ALPHABET[pool[poolUsed + i]! & 31];
  poolUsed += length;
  return id;
}

export const isEventId = (value: string): boolean => EVENT_ID.test(value);

const ROOM_KEY = /^[A-Za-z0-9]{1,16}$/;

/**
 * `hld.<eventId>.<random>`, or `hld.<eventId>.<random>.<roomKey>` for a hold made in one room of an
 * event split by section (src/domain/room-split.ts): the id alone says which room to ask.
 */
export function newHoldId(eventId: string, roomKey?: string): string {
  const id = `hld.${eventId}.${randomId("h", 16).slice(2)}`;
  return roomKey === undefined ? id : `${id}.${roomKey}`;
}

/** The event and room a hold id belongs to, or undefined when the id is not one of ours. */
export function roomOfHoldId(holdId: string): { eventId: string; roomKey: string | undefined } | undefined {
  const parts = holdId.split(".");
  if ((parts.length !== 3 && parts.length !== 4) || parts[0] !== "hld" || !parts[2]) return undefined;
  if (!isEventId(parts[1]!)) return undefined;
  if (parts.length === 4 && !ROOM_KEY.test(parts[3]!)) return undefined;
  return { eventId: parts[1]!, roomKey: parts[3] };
}

/** The event a hold id belongs to, or undefined when the id is not one of ours. */
export function eventIdOfHold(holdId: string): string | undefined {
  return roomOfHoldId(holdId)?.eventId;
}
