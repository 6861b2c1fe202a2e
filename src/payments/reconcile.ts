import { and, eq, inArray, isNotNull, lt, ne } from "drizzle-orm";
import { roomOfHold } from "../bindings";
import { database } from "../db/client";
import { type OrderRow, type Statement, setPaymentStatus, transitionOrder } from "../db/orders";
import { orders, payments, processedWebhookEvents } from "../db/schema";
import { isLive } from "../domain/hold-book";
import type { Logger } from "../log";
import { sweepNotifications } from "../notify/enqueue";
import { sellHold, undoHold } from "../user-ledger/steps";
import { cancelIntent, PAYABLE, stopPayment } from "./cancel";
import { cancelledEventsWithOpenOrders, workThroughCancelledEvent } from "./cancel-event";
import { paymentSucceeded, reconcileTrigger } from "./fulfilment";
import { paymentGateway } from "./gateway";
import { confirmation } from "./issue";
import type { Deps } from "./refunds";

/** A webhook normally arrives within seconds; an order pending longer than this is looked into. */
export const QUIET_MS = 2 * 60_000;
/** Processed webhook ids and idempotency rows are kept this long. */
export const KEEP_MS = 30 * 24 * 60 * 60_000;
const PER_RUN = 100;
const CANCELLED_PER_RUN = 1_000;

export interface Reconciled {
  confirmed: number;
  stopped: number;
  cancelledIntents: number;
  cancelledEventOrders: number;
  pruned: number;
}

/**
 * The scheduled (Cron Trigger) job. Pending orders whose webhook never came are settled from
 * Stripe's own record of the PaymentIntent (paid: confirmed or refunded as the webhook would;
 * unpaid with its hold over: the intent is cancelled and the order `failed` after a declined
 * card, else `cancelled`); intents of orders that can no longer be paid are cancelled; cancelled
 * events' orders are refunded in batches; old webhook ids are pruned.
 * Everything it does is idempotent, so overlapping or repeated runs are harmless.
 */
export async function reconcile(env: Env, log: Logger, now = Date.now()): Promise<Reconciled> {
  const db = database(env.DB);
  const deps: Deps = { env, db, gateway: paymentGateway(env), log };
  const result: Reconciled = { confirmed: 0, stopped: 0, cancelledIntents: 0, cancelledEventOrders: 0, pruned: 0 };

  if (deps.gateway) {
    const stale = await db
      .select()
      .from(orders)
      .where(and(eq(orders.status, "pending"), isNotNull(orders.paymentIntentId), lt(orders.updatedAt, now - QUIET_MS)))
      .orderBy(orders.updatedAt)
      .limit(PER_RUN);
    for (const order of stale) {
      try {
        const outcome = await settlePending(deps, order);
        if (outcome === "confirmed") result.confirmed++;
        if (outcome === "stopped") result.stopped++;
        // Still being paid for: to the back of the line, so that every pending order gets its turn.
        if (outcome === "waiting") {
          await db
            .update(orders)
            .set({ updatedAt: now })
            .where(and(eq(orders.id, order.id), eq(orders.status, "pending")));
        }
      } catch (error) {
        log("warn", "could not reconcile an order; next run retries", { orderId: order.id, error: String(error) });
      }
    }

    // Orders that can no longer be paid whose intent may still be payable (a cancel that failed).
    const open = await db
      .select({ order: orders, paymentStatus: payments.status })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(and(inArray(payments.status, PAYABLE), ne(orders.status, "pending")))
      .limit(PER_RUN);
    for (const { order } of open) {
      try {
        const intent = await deps.gateway.retrieve(order.paymentIntentId!);
        if (!intent) {
          // Stripe has no such intent: nothing can be paid through it; stop looking at it.
          await db.batch([setPaymentStatus(db, order.paymentIntentId!, "missing")]);
          continue;
        }
        if (intent.status === "succeeded") {
          const outcome = await paymentSucceeded(deps, reconcileTrigger(intent.id), intent);
          if (outcome === "confirmed") result.confirmed++;
        } else if ((await cancelIntent(deps, intent.id)) === "canceled") result.cancelledIntents++;
      } catch (error) {
        log("warn", "could not cancel a PaymentIntent; next run retries", { orderId: order.id, error: String(error) });
      }
    }
  }

  // Free orders whose checkout was cut short after the order was written: finish or let go.
  const freeStale = await db
    .select()
    .from(orders)
    .where(and(eq(orders.status, "pending"), eq(orders.totalCents, 0), lt(orders.updatedAt, now - QUIET_MS)))
    .limit(PER_RUN);
  for (const order of freeStale) {
    try {
      const sale = await sellHold(env, order.eventId, order.holdId, order.userId);
      if (sale.ok) {
        await db.batch((await confirmation(env, db, order, sale.value)) as [Statement, ...Statement[]]);
        result.confirmed++;
      } else {
        await db.batch([transitionOrder(db, order.id, "cancelled", ["pending"])]);
        result.stopped++;
      }
    } catch (error) {
      log("warn", "could not finish a free order; next run retries", { orderId: order.id, error: String(error) });
    }
  }

  for (const eventId of await cancelledEventsWithOpenOrders(deps, 10)) {
    result.cancelledEventOrders += await workThroughCancelledEvent(deps, eventId, CANCELLED_PER_RUN);
  }

  // Notifications recorded but never queued (src/notify): the same cron sends them again.
  await sweepNotifications(env, now).catch((error: unknown) =>
    log("warn", "could not sweep notifications", { error: String(error) }),
  );

  const cutoff = now - KEEP_MS;
  const webhooks = await db.delete(processedWebhookEvents).where(lt(processedWebhookEvents.processedAt, cutoff));
  result.pruned = webhooks.meta.changes ?? 0;
  return result;
}

async function settlePending(deps: Deps, order: OrderRow): Promise<"confirmed" | "stopped" | "waiting" | string> {
  const intent = await deps.gateway!.retrieve(order.paymentIntentId!);
  if (!intent) {
    await stopPayment(deps, order, "cancelled");
    return "stopped";
  }
  if (intent.status === "succeeded") {
    return paymentSucceeded(deps, reconcileTrigger(intent.id), intent);
  }
  if (intent.status === "processing") return "waiting";
  const hold = await roomOfHold(deps.env, order.eventId, order.holdId).getHold(order.holdId);
  const live = hold.ok && isLive(hold.value) && !hold.value.refunded;
  if (live && intent.status !== "canceled") return "waiting";
  await stopPayment(deps, order, order.lastPaymentError ? "failed" : "cancelled");
  if (live) await undoHold(deps.env, order.eventId, order.holdId, order.userId);
  return "stopped";
}
