import { roomOfHold } from "../bindings";
import { roomOfHoldId } from "../domain/ids";
import type { Result } from "../domain/result";
import type { Hold, HoldUnit } from "../domain/types";
import type { LedgerSettings } from "../domain/user-ledger";

/**
 * The per-user limit's saga steps for an event split into rooms (src/domain/user-ledger.ts): the
 * ledger shard of the user reserves quota before a group room holds, and each later step of the hold
 * (extend, checkout, sale, release, refund) records its change there. Holds of an event in one room
 * (ids without a room key) take none of these steps: their room counts per user by itself.
 */

/** How many ledger shards an event has: a user's shard is a hash of their id. */
export const LEDGER_SHARDS = 8;

function shardOf(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % LEDGER_SHARDS;
}

const shardName = (eventId: string, shard: number) => `${eventId}#ledger#${shard}`;

export function ledgerFor(env: Env, eventId: string, userId: string) {
  return env.USER_LEDGER.get(env.USER_LEDGER.idFromName(shardName(eventId, shardOf(userId))));
}

/** Whether a hold was made in one room of a split event (its id names the room): the ledger counts it. */
export const countedByLedger = (holdId: string): boolean => roomOfHoldId(holdId)?.roomKey !== undefined;

/** Hands every shard the event's limit and hold times. */
export async function configureLedgers(env: Env, eventId: string, settings: LedgerSettings): Promise<void> {
  await Promise.all(
    Array.from({ length: LEDGER_SHARDS }, (_, shard) =>
      env.USER_LEDGER.get(env.USER_LEDGER.idFromName(shardName(eventId, shard))).configure(settings),
    ),
  );
}

const ticketsOf = (hold: Pick<Hold, "items">): number => hold.items.reduce((n, item) => n + item.quantity, 0);

/**
 * A hold in a group room within the user's limit across rooms: reserve, hold, then record the hold
 * (or give the quota back). A crash between the steps leaves a reservation whose lease outlives any
 * hold it could stand for, so the user is never under-counted.
 */
export async function holdWithinQuota<T extends Pick<Hold, "holdId" | "items">>(
  env: Env,
  eventId: string,
  request: { userId: string; tickets: number; idempotencyKey?: string | undefined },
  hold: () => Promise<Result<T>>,
): Promise<Result<T>> {
  const ledger = ledgerFor(env, eventId, request.userId);
  const reserved = await ledger.reserve({
    reservationId: crypto.randomUUID(),
    userId: request.userId,
    tickets: request.tickets,
    key: request.idempotencyKey,
  });
  if (!reserved.ok) return reserved;
  const { reservationId } = reserved.value;
  // If the room cannot be reached it is unknown whether it held: the reservation stays, and lapses.
  const held = await hold();
  if (held.ok) await ledger.confirm(reservationId, held.value.holdId);
  else await ledger.cancel(reservationId);
  return held;
}

/**
 * Before the room extends a hold or starts its checkout: the ledger's lease first covers its new
 * life (`hold`: as the room has it now). Refused (LIMIT_EXCEEDED) only for a hold whose record a
 * crash lost while its user reached the limit elsewhere.
 */
export async function lengthenLease(
  env: Env,
  eventId: string,
  hold: Pick<Hold, "holdId" | "userId" | "items" | "expiresAt">,
  reason: "extend" | "checkout",
): Promise<Result<void>> {
  if (!countedByLedger(hold.holdId)) return { ok: true, value: undefined };
  const { holdId, userId, expiresAt } = hold;
  return ledgerFor(env, eventId, userId).lengthen({ holdId, userId, tickets: ticketsOf(hold), expiresAt }, reason);
}

/** The hold ended unsold (released, refunded, undone): its quota goes back. A lost step only over-counts. */
export async function freeQuota(env: Env, eventId: string, holdId: string, userId: string): Promise<void> {
  if (countedByLedger(holdId)) await ledgerFor(env, eventId, userId).free(holdId);
}

/** Refusals after which a sale will never be made: its quota goes back. */
const NEVER_SOLD = ["SEATS_UNAVAILABLE", "HOLD_NOT_ACTIVE", "NOT_FOUND", "LIMIT_EXCEEDED", "NOT_ON_SALE"];

/**
 * The room sells a hold. For a split event the ledger first counts it for good (so no step lost
 * between the two can under-count the user); a sale after the hold's lease lapsed (a late payment)
 * that would put the user past the limit is not made (LIMIT_EXCEEDED: the payment is refunded), and
 * a sale the room refuses gives the quota back. A crash between the steps over-counts until the retry
 * (the webhook's 5xx, the cron) finishes it: both steps are idempotent.
 */
export async function sellHold(env: Env, eventId: string, holdId: string, userId: string): Promise<Result<Hold>> {
  const room = roomOfHold(env, eventId, holdId);
  if (!countedByLedger(holdId)) return room.sell(holdId);
  const current = await room.getHold(holdId);
  if (!current.ok) return current;
  const ledger = ledgerFor(env, eventId, userId);
  const counted = await ledger.sell({ holdId, userId, tickets: ticketsOf(current.value) }, `sale-${holdId}`);
  if (!counted.ok) return counted;
  const sale = await room.sell(holdId);
  if (!sale.ok && NEVER_SOLD.includes(sale.error.code)) await ledger.free(holdId);
  return sale;
}

/** Money went back (a refund, a cancelled event): the room returns the units (all: the whole hold). */
export async function undoHold(
  env: Env,
  eventId: string,
  holdId: string,
  userId: string,
  units?: HoldUnit[],
): Promise<Result<Hold>> {
  const undone = await roomOfHold(env, eventId, holdId).undo(holdId, units);
  // A partial refund keeps the rest of the hold's count: the ledger over-counts, never under-counts.
  if (undone.ok && units === undefined) await freeQuota(env, eventId, holdId, userId);
  return undone;
}
