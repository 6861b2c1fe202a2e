import { flushSignals } from "../src/alerts/signals";
import { logLevelFrom } from "../src/config";
import { evaluateAlerts } from "../src/http/alerts/rules";
import { app } from "../src/http/app";
import { loggerFor } from "../src/log";
import { handleNotificationBatch } from "../src/notify/consumer";
import { sweepNotifications } from "../src/notify/enqueue";
import { reconcile } from "../src/payments/reconcile";

export { EventRoom } from "../src/rooms/event-room";
export { UserLedgerShard } from "../src/rooms/user-ledger";
export { QueueShard } from "../src/rooms/waiting-room-shard";

export default {
  fetch: app.fetch,
  /** Notifications (src/notify): the queue and its dead-letter queue. */
  queue: (batch, env, _ctx) => handleNotificationBatch(batch, env),
  /** The Cron Trigger (wrangler.toml): payment reconciliation and pruning (src/payments/reconcile.ts), then alerts. */
  async scheduled(controller, env, ctx) {
    const log = loggerFor(`cron-${controller.scheduledTime}`, logLevelFrom(env));
    const done = await reconcile(env, log, controller.scheduledTime);
    log("info", "reconciled", { cron: controller.cron, ...done });
    // Notifications recorded but never handed to the queue (its send failed) are queued again.
    log("info", "notifications swept", { requeued: await sweepNotifications(env, controller.scheduledTime) });
    // Alert rules (src/http/alerts/rules.ts): mail to ALERT_EMAILS and the organizer page's banner.
    await flushSignals(env.RATE_LIMITS, controller.scheduledTime);
    log("info", "alerts evaluated", await evaluateAlerts(env, ctx, log, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
