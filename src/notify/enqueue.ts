import { logLevelFrom } from "../config";
import { database } from "../db/client";
import type { Logger } from "../log";
import { loggerFor } from "../log";
import { dedupeKeyOf, Notification, type NotificationInput, type QueuedNotification } from "./messages";
import { countDead, type NotificationRow, recordOnce, reviveDead, strandedSince, touch } from "./store";

export type EnqueueOutcome = "queued" | "duplicate" | "invalid" | "unqueued";

/** How long a recorded message may wait for its queue send before the sweep sends it again. */
export const STRANDED_AFTER_MS = 5 * 60_000;

const fallbackLog = (env: Env): Logger => loggerFor("notify", logLevelFrom(env));

/**
 * Sends a notification through the NOTIFICATIONS queue, at most once per kind and subject (the
 * first call records it in D1; later calls for the same key do nothing). Never throws: a
 * notification must not fail the payment or request that caused it. A message whose queue send
 * fails stays recorded as `queued` and `sweepNotifications` (cron) queues it again.
 */
export async function enqueue(
  env: Env,
  input: NotificationInput,
  log: Logger = fallbackLog(env),
): Promise<EnqueueOutcome> {
  const parsed = Notification.safeParse(input);
  if (!parsed.success) {
    log("error", "notification refused: invalid message", {
      kind: (input as { kind?: unknown }).kind,
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
    return "invalid";
  }
  const message = parsed.data;
  const key = dedupeKeyOf(message);
  try {
    const db = database(env.DB);
    if (!(await recordOnce(db, key, message, Date.now()))) return "duplicate";
    // The request's ids travel with the message, so that the consumer's lines join this request's.
    const { requestId, traceId } = log.context ?? {};
    await env.NOTIFICATIONS.send({ key, message, requestId, traceId } satisfies QueuedNotification, {
      contentType: "json",
    });
    return "queued";
  } catch (error) {
    log("error", "notification not queued; the sweep will retry", {
      key,
      error: error instanceof Error ? error.message : String(error),
    });
    return "unqueued";
  }
}

/** Recorded rows as queue messages again (the payload was kept for this). */
const requeue = (env: Env, rows: NotificationRow[]) =>
  env.NOTIFICATIONS.sendBatch(
    rows.map((row) => ({
      body: { key: row.dedupeKey, message: JSON.parse(row.payload) } as QueuedNotification,
      contentType: "json" as const,
    })),
  );

/** Queues again what was recorded but never reached the queue. For the scheduled (cron) handler. */
export async function sweepNotifications(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const rows = await strandedSince(db, now - STRANDED_AFTER_MS);
  if (rows.length === 0) return 0;
  await requeue(env, rows);
  for (const row of rows) await touch(db, row.dedupeKey, now);
  return rows.length;
}

/**
 * Sends an event's dead-lettered notifications through the queue again (the provider is back):
 * up to 100 per call, each still at most once (the consumer claims a row before it sends). If the
 * queue refuses, the rows wait as queued and the cron's sweep sends them.
 */
export async function replayDead(
  env: Env,
  eventId: string,
  now = Date.now(),
): Promise<{ requeued: number; dead: number }> {
  const db = database(env.DB);
  const rows = await reviveDead(db, eventId, now);
  if (rows.length > 0) await requeue(env, rows);
  return { requeued: rows.length, dead: await countDead(db, eventId) };
}

/**
 * `enqueue` once `committed` has settled successfully, then hands back its result: a call site
 * stays one expression, `return enqueueAfter(env, message, settle(...))`. A failed commit sends nothing.
 */
export async function enqueueAfter<T>(
  env: Env,
  input: NotificationInput,
  committed: Promise<T>,
  log?: Logger,
): Promise<T> {
  const result = await committed;
  await enqueue(env, input, log);
  return result;
}
