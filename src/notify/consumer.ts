import { z } from "zod";
import { logLevelFrom, type NotifySettings, notifySettingsFrom } from "../config";
import { database } from "../db/client";
import { type Logger, loggerFor } from "../log";
import { compose } from "./compose";
import { Notification } from "./messages";
import { type EmailProvider, providerFor } from "./providers";
import { claim, findNotification, markDead, markFailed, markSent, markSkipped } from "./store";

/** Queue names as declared in wrangler.toml. */
export const NOTIFICATIONS_QUEUE = "edge-tickets-notifications";
export const DEAD_LETTER_QUEUE = "edge-tickets-notifications-dlq";

/** The longest a retry waits (Queues allow up to 12 hours; an email later than this is stale anyway). */
const MAX_DELAY_SECONDS = 3600;

const Body = z.object({
  key: z.string().min(1).max(300),
  message: Notification,
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .optional(),
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});

/** Exponential backoff: base, 2×base, 4×base... for attempts 1, 2, 3... */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

export interface ConsumerOptions {
  provider?: EmailProvider;
  settings?: NotifySettings;
  log?: Logger;
}

/**
 * The Worker's queue() handler for notifications. Each message is handled on its own (ack or
 * retry), so one that keeps failing never holds back the others. A message is sent only by the
 * consumer that claims its D1 row, and only once: a redelivered or duplicated queue message
 * finds it `sent` and is acknowledged. A failure retries with backoff; after the queue's
 * max_retries the message goes to the dead-letter queue, whose consumer records it as `dead`.
 */
export async function handleNotificationBatch(batch: MessageBatch, env: Env, options: ConsumerOptions = {}) {
  const level = logLevelFrom(env);
  const batchLog = options.log ?? loggerFor(`queue:${batch.queue}`, level);
  const settings = options.settings ?? notifySettingsFrom(env);
  const db = database(env.DB);
  const provider = options.provider ?? providerFor(settings, db);
  const deadLetters = batch.queue === DEAD_LETTER_QUEUE;
  if (settings.provider === "outbox" && !settings.isDevelopment && !options.provider) {
    batchLog("warn", "EMAIL_PROVIDER=outbox outside development: notifications are kept in D1, not sent", {
      messages: batch.messages.length,
    });
  }

  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = Body.safeParse(msg.body);
      if (!parsed.success) {
        batchLog("error", "dropped a malformed notification", { queueMessageId: msg.id });
        msg.ack();
        return;
      }
      const { key, message, requestId, traceId } = parsed.data;
      // The lines for this message carry the request (and trace) id of the request that queued it.
      const log = options.log ?? (requestId ? loggerFor(requestId, level, traceId) : batchLog);
      let claimed = false;
      try {
        if (deadLetters) {
          await markDead(db, key, Date.now());
          log("error", "notification dead-lettered", { key, attempts: msg.attempts });
          msg.ack();
          return;
        }
        if (!(await claim(db, key, Date.now()))) {
          const row = await findNotification(db, key);
          if (row?.status === "sending")
            msg.retry({ delaySeconds: backoffSeconds(msg.attempts, settings.retryBaseSeconds) });
          else msg.ack(); // sent, skipped or dead already (or never recorded): nothing to do.
          return;
        }
        claimed = true;
        const composed = await compose(db, settings, key, message);
        if (!composed.ok) {
          await markSkipped(db, key, composed.reason, Date.now());
          log("warn", "notification not sent", { key, reason: composed.reason });
          msg.ack();
          return;
        }
        let providerId: string;
        try {
          providerId = await provider.send(composed.email);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          await markFailed(db, key, reason, Date.now());
          const delaySeconds = backoffSeconds(msg.attempts, settings.retryBaseSeconds);
          log("warn", "notification send failed; retrying", { key, attempts: msg.attempts, delaySeconds, reason });
          msg.retry({ delaySeconds });
          return;
        }
        await markSent(db, key, providerId, Date.now());
        log("info", "notification sent", { key, provider: provider.name });
        msg.ack();
      } catch (error) {
        // D1 or the template failed: the queue tries again later (and the claim is let go, if we hold it).
        const reason = error instanceof Error ? error.message : String(error);
        if (claimed) await markFailed(db, key, reason, Date.now()).catch(() => undefined);
        log("error", "notification handling failed", { key, error: reason });
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts, settings.retryBaseSeconds) });
      }
    }),
  );
}
