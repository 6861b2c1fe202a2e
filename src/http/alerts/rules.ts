import { type Signal, signalCount } from "../../alerts/signals";
import { settingsFrom } from "../../config";
import { activeEventIds, deadSince, paymentCounts } from "../../db/metrics";
import type { Logger } from "../../log";
import { enqueue } from "../../notify/enqueue";
import { roomReports } from "../metrics/collect";
import { unbalancedBooks } from "./books";

/** Every rule looks at the last five minutes and alerts at most once per rule and five-minute window. */
export const ALERT_WINDOW_MS = 5 * 60_000;
/** Rates need this many events in the window before a share of them means anything. */
export const MIN_EVENTS_FOR_A_RATE = 5;
/** More than this share of payments declined, or of Stripe calls failed, is an alert. */
export const FAILURE_RATE = 0.1;

export const RULES = [
  "payment_failure_rate",
  "webhook_signature_failures",
  "dead_lettered_mail",
  "room_unavailable",
  "stripe_error_rate",
  "books_mismatch",
] as const;
export type AlertRule = (typeof RULES)[number];

export interface FiringAlert {
  rule: AlertRule;
  summary: string;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** The rules that hold at `now`, each with a sentence an operator can act on. */
export async function firingAlerts(env: Env, ctx: ExecutionContext, now: number): Promise<FiringAlert[]> {
  const since = now - ALERT_WINDOW_MS;
  const signal = (name: Signal) => signalCount(env.RATE_LIMITS, name, now, ALERT_WINDOW_MS / 60_000);
  const [payments, dead, badSignatures, overloaded, stripeCalls, stripeErrors, rooms, books] = await Promise.all([
    paymentCounts(env.DB, since),
    deadSince(env.DB, since),
    signal("webhook_signature_failed"),
    signal("room_unavailable"),
    signal("stripe_call"),
    signal("stripe_error"),
    roomReports(env, ctx, now),
    activeEventIds(env.DB, now).then((ids) => unbalancedBooks(env, ids, now)),
  ]);
  const firing: FiringAlert[] = [];
  const tried = payments.succeeded + payments.failed;
  if (tried >= MIN_EVENTS_FOR_A_RATE && payments.failed / tried > FAILURE_RATE) {
    firing.push({
      rule: "payment_failure_rate",
      summary: `${payments.failed} of ${tried} payments in the last 5 minutes were declined (${percent(payments.failed / tried)}, over ${percent(FAILURE_RATE)}).`,
    });
  }
  if (badSignatures > 0) {
    firing.push({
      rule: "webhook_signature_failures",
      summary: `${badSignatures} webhook(s) in the last 5 minutes failed their signature check: check STRIPE_WEBHOOK_SECRET, or someone is forging webhooks.`,
    });
  }
  if (dead > 0) {
    firing.push({
      rule: "dead_lettered_mail",
      summary: `${dead} notification(s) went to the dead-letter queue in the last 5 minutes: the mail provider is failing; replay them from the organizer's page once it is back.`,
    });
  }
  const silent = rooms.filter((r) => !r.stats).map((r) => r.eventId);
  if (overloaded > 0 || silent.length > 0) {
    const parts = [
      ...(overloaded > 0 ? [`${overloaded} request(s) were answered 503 (room overloaded or unreachable)`] : []),
      ...(silent.length > 0 ? [`the rooms of ${silent.slice(0, 5).join(", ")} did not answer the check`] : []),
    ];
    firing.push({ rule: "room_unavailable", summary: `In the last 5 minutes ${parts.join("; ")}.` });
  }
  if (stripeCalls >= MIN_EVENTS_FOR_A_RATE && stripeErrors / stripeCalls > FAILURE_RATE) {
    firing.push({
      rule: "stripe_error_rate",
      summary: `${stripeErrors} of ${stripeCalls} Stripe calls in the last 5 minutes failed on Stripe's side (${percent(stripeErrors / stripeCalls)}).`,
    });
  }
  if (books.length > 0) {
    const named = books
      .slice(0, 5)
      .map((b) => `${b.eventId} (${b.mismatches.slice(0, 3).join(", ")}${b.mismatches.length > 3 ? ", …" : ""})`);
    firing.push({
      rule: "books_mismatch",
      summary: `The books of ${books.length} event(s) do not balance in two audits in a row: ${named.join("; ")}. GET /api/v1/admin/events/:eventId/audit lists each mismatch.`,
    });
  }
  return firing;
}

/** What the organizer page's banner shows: the alerts of the last evaluation, kept 10 minutes. */
export const ACTIVE_ALERTS_KEY = "alerts:active";

export interface ActiveAlerts {
  at: number;
  alerts: FiringAlert[];
}

export async function activeAlerts(kv: KVNamespace): Promise<ActiveAlerts | undefined> {
  try {
    return ((await kv.get(ACTIVE_ALERTS_KEY, "json")) as ActiveAlerts | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The scheduled evaluation: the firing rules become one alert mail per rule, window and address in
 * ALERT_EMAILS (through the notifications queue, deduped by its key), and the organizer's banner.
 */
export async function evaluateAlerts(env: Env, ctx: ExecutionContext, log: Logger, now = Date.now()) {
  const firing = await firingAlerts(env, ctx, now);
  const window = Math.floor(now / ALERT_WINDOW_MS) * ALERT_WINDOW_MS;
  const addresses = settingsFrom(env).metrics.alertEmails;
  let queued = 0;
  for (const alert of firing) {
    log("warn", "alert", { rule: alert.rule, summary: alert.summary });
    for (const to of addresses) {
      const outcome = await enqueue(
        env,
        { kind: "alert", to, alertId: `${alert.rule}:${window}`, rule: alert.rule, summary: alert.summary },
        log,
      );
      if (outcome === "queued") queued++;
    }
  }
  await env.RATE_LIMITS.put(ACTIVE_ALERTS_KEY, JSON.stringify({ at: now, alerts: firing } satisfies ActiveAlerts), {
    expirationTtl: 600,
  });
  return { firing: firing.map((a) => a.rule), queued };
}
