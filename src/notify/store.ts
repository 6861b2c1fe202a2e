import { and, count, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { notifications, outboxMessages } from "../db/schema";
import type { NotificationMessage } from "./messages";

export type NotificationRow = typeof notifications.$inferSelect;
export type OutboxRow = typeof outboxMessages.$inferSelect;

/** A send that has been "sending" this long was interrupted (its isolate died): another may claim it. */
export const STALE_CLAIM_MS = 60_000;

/** Records a message once. True when this call created it (so it is the one that queues it). */
export async function recordOnce(db: Database, key: string, message: NotificationMessage, now: number) {
  const result = await db
    .insert(notifications)
    .values({
      dedupeKey: key,
      kind: message.kind,
      eventId: message.eventId ?? "",
      payload: JSON.stringify(message),
      status: "queued",
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export async function findNotification(db: Database, key: string): Promise<NotificationRow | undefined> {
  const [row] = await db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  return row;
}

/**
 * Takes the right to send: only one consumer at a time, and never after it was sent. A claim
 * left by a consumer that died is taken over once stale.
 */
export async function claim(db: Database, key: string, now: number): Promise<boolean> {
  const result = await db
    .update(notifications)
    .set({ status: "sending", updatedAt: now })
    .where(
      and(
        eq(notifications.dedupeKey, key),
        or(
          eq(notifications.status, "queued"),
          and(eq(notifications.status, "sending"), lt(notifications.updatedAt, now - STALE_CLAIM_MS)),
        ),
      ),
    )
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export async function markSent(db: Database, key: string, providerMessageId: string, now: number): Promise<void> {
  await db
    .update(notifications)
    .set({
      status: "sent",
      providerMessageId,
      attempts: sql`${notifications.attempts} + 1`,
      lastError: null,
      updatedAt: now,
    })
    .where(eq(notifications.dedupeKey, key));
}

export async function markSkipped(db: Database, key: string, reason: string, now: number): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "skipped", lastError: reason, updatedAt: now })
    .where(eq(notifications.dedupeKey, key));
}

/** A failed attempt: back to `queued` for the queue's retry. */
export async function markFailed(db: Database, key: string, error: string, now: number): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "queued", attempts: sql`${notifications.attempts} + 1`, lastError: error, updatedAt: now })
    .where(and(eq(notifications.dedupeKey, key), eq(notifications.status, "sending")));
}

/** Arrived in the dead-letter queue: kept (with its payload) and counted, never sent again by itself. */
export async function markDead(db: Database, key: string, now: number): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "dead", updatedAt: now })
    .where(and(eq(notifications.dedupeKey, key), inArray(notifications.status, ["queued", "sending"])));
}

/**
 * An event's dead-lettered notifications, at most `limit`, set back to `queued` with their attempts
 * reset, for a replay once the provider works again. A row sent meanwhile is not touched.
 */
export async function reviveDead(db: Database, eventId: string, now: number, limit = 100): Promise<NotificationRow[]> {
  const dead = and(eq(notifications.eventId, eventId), eq(notifications.status, "dead"));
  // One statement: the rows it sets back are the rows it returns.
  return db
    .update(notifications)
    .set({ status: "queued", attempts: 0, lastError: null, updatedAt: now })
    .where(
      inArray(
        notifications.dedupeKey,
        db.select({ key: notifications.dedupeKey }).from(notifications).where(dead).limit(limit),
      ),
    )
    .returning();
}

/** How many of an event's notifications are dead-lettered. */
export async function countDead(db: Database, eventId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.eventId, eventId), eq(notifications.status, "dead")));
  return Number(row?.n ?? 0);
}

/** Rows recorded but never handed to the queue (the send failed): the sweep queues them again. */
export async function strandedSince(db: Database, before: number, limit = 100): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.status, "queued"), eq(notifications.attempts, 0), lt(notifications.updatedAt, before)))
    .limit(limit);
}

export async function touch(db: Database, key: string, now: number): Promise<void> {
  await db.update(notifications).set({ updatedAt: now }).where(eq(notifications.dedupeKey, key));
}

export interface NotificationCounts {
  queued: number;
  sent: number;
  skipped: number;
  retried: number;
  deadLettered: number;
}

/** The organizer's view: what was sent, retried (attempts beyond the first) and dead-lettered. */
export async function countsForEvent(db: Database, eventId: string): Promise<NotificationCounts> {
  const rows = await db
    .select({
      status: notifications.status,
      n: sql<number>`count(*)`,
      retries: sql<number>`coalesce(sum(max(${notifications.attempts} - 1, 0)), 0)`,
    })
    .from(notifications)
    .where(eq(notifications.eventId, eventId))
    .groupBy(notifications.status);
  const counts: NotificationCounts = { queued: 0, sent: 0, skipped: 0, retried: 0, deadLettered: 0 };
  for (const row of rows) {
    counts.retried += Number(row.retries);
    if (row.status === "dead") counts.deadLettered += Number(row.n);
    else if (row.status === "sending") counts.queued += Number(row.n);
    else counts[row.status] += Number(row.n);
  }
  return counts;
}

export async function insertOutbox(db: Database, row: OutboxRow): Promise<void> {
  await db.insert(outboxMessages).values(row).onConflictDoNothing();
}

export async function outboxFor(db: Database, to: string | undefined, limit = 100): Promise<OutboxRow[]> {
  const query = db.select().from(outboxMessages);
  const filtered = to ? query.where(eq(outboxMessages.to, to.toLowerCase())) : query;
  return filtered.orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id)).limit(limit);
}
