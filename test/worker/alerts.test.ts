import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { flushSignals, noteSignal } from "../../src/alerts/signals";
import { BOOKS_AUDIT_EVERY_MS } from "../../src/http/alerts/books";
import { ALERT_WINDOW_MS, type AlertRule, evaluateAlerts } from "../../src/http/alerts/rules";
import { loggerFor } from "../../src/log";
import { TEST_BINDINGS } from "../bindings";
import { call, onSaleEvent, tokenFor, unique } from "./helpers";
import { bought, fan } from "./money";
import { waitForOutbox } from "./outbox";

const DAY = 86_400_000;
const log = loggerFor("alerts-test", "silent");
/** Each test evaluates its own window (days apart), so what one test makes true no other one sees. */
let day = 10;
const freshWindow = () => Math.floor((Date.now() + day++ * DAY) / ALERT_WINDOW_MS) * ALERT_WINDOW_MS + 60_000;

/** The scheduled evaluation, as the cron runs it, with ALERT_EMAILS set to one fresh address. */
async function evaluate(now: number, to: string, overrides: Partial<Record<keyof Env, unknown>> = {}) {
  const ctx = createExecutionContext();
  const environment = { ...env, ALERT_EMAILS: to, ...overrides } as Env;
  const result = await evaluateAlerts(environment, ctx, log, now);
  await waitOnExecutionContext(ctx);
  return result;
}

/** Alert mails recorded for `to` (enqueue records each in D1 before the queue sends it). */
async function alertsRecordedFor(to: string, rule: AlertRule): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'alert' AND dedupe_key LIKE ?1 AND dedupe_key LIKE ?2",
  )
    .bind(`alert:${rule}:%`, `%:${to}`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** True: one mail in the outbox however often the rule is evaluated within its window. */
async function expectOneMail(rule: AlertRule, now: number, overrides: Partial<Record<keyof Env, unknown>> = {}) {
  const to = `${unique("oncall")}@example.com`;
  const first = await evaluate(now, to, overrides);
  expect(first.firing).toContain(rule);
  // Later in the same window (never past its end): deduped.
  const windowEnd = Math.floor(now / ALERT_WINDOW_MS) * ALERT_WINDOW_MS + ALERT_WINDOW_MS;
  const again = await evaluate(Math.min(now + 30_000, windowEnd - 1), to, overrides);
  expect(again.firing).toContain(rule);
  expect(await alertsRecordedFor(to, rule)).toBe(1);
  const mails = (await waitForOutbox(to, 1)).filter((m) => m.subject === `Alert: ${rule}`);
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

/** False: the rule does not fire and no mail is recorded for it. */
async function expectNoMail(rule: AlertRule, now: number, overrides: Partial<Record<keyof Env, unknown>> = {}) {
  const to = `${unique("oncall")}@example.com`;
  const result = await evaluate(now, to, overrides);
  expect(result.firing).not.toContain(rule);
  expect(await alertsRecordedFor(to, rule)).toBe(0);
}

async function orders(at: number, paid: number, declined: number) {
  const insert = env.DB.prepare(
    `INSERT INTO orders (id, user_id, event_id, hold_id, status, total_cents, currency, last_payment_error, created_at, updated_at)
     VALUES (?1, 'fan', 'evt_alerts', ?1, ?2, 5000, 'EUR', ?3, ?4, ?4)`,
  );
  const rows = [
    ...Array.from({ length: paid }, () => insert.bind(unique("ord"), "confirmed", null, at)),
    ...Array.from({ length: declined }, () => insert.bind(unique("ord"), "pending", "Your card was declined.", at)),
  ];
  await env.DB.batch(rows);
}

describe("alert rules", () => {
  it("payment failure rate over 10% in 5 minutes: one mail; at 10% or with too few payments: none", async () => {
    const firing = freshWindow();
    await orders(firing - 60_000, 4, 2);
    const mail = await expectOneMail("payment_failure_rate", firing);
    expect(mail.text).toMatch(/2 of 6 payments/);

    const atTheLine = freshWindow();
    await orders(atTheLine - 60_000, 9, 1);
    await expectNoMail("payment_failure_rate", atTheLine);
    const few = freshWindow();
    await orders(few - 60_000, 0, 3);
    await expectNoMail("payment_failure_rate", few);
  });

  it("webhook signature failures: one mail after a forged webhook; none in a quiet window", async () => {
    const forged = await call("POST", "/webhooks/stripe", {
      rawBody: JSON.stringify({ id: "evt_forged", type: "payment_intent.succeeded" }),
      headers: { "stripe-signature": "t=1,v1=00", "content-type": "application/json" },
    });
    expect(forged.status).toBe(400);
    await expectOneMail("webhook_signature_failures", Date.now());
    await expectNoMail("webhook_signature_failures", freshWindow());
  });

  it("dead-lettered mail: one alert mail; none when nothing died in the window", async () => {
    const now = freshWindow();
    await env.DB.prepare(
      "INSERT INTO notifications (dedupe_key, kind, event_id, payload, status, attempts, created_at, updated_at) VALUES (?1, 'order_confirmed', 'evt_alerts', '{}', 'dead', 5, ?2, ?2)",
    )
      .bind(unique("order_confirmed:"), now - 60_000)
      .run();
    await expectOneMail("dead_lettered_mail", now);
    await expectNoMail("dead_lettered_mail", freshWindow());
  });

  it("a room that does not answer: one mail naming its event; none while the rooms answer", async () => {
    const { eventId } = await onSaleEvent();
    const now = Date.now();
    // The rooms Worker unbound: every active event's room fails the check.
    const mail = await expectOneMail("room_unavailable", now, { EVENT_ROOM: undefined });
    expect(mail.text).toContain(eventId);
    await expectNoMail("room_unavailable", freshWindow());
  });

  it("Stripe error rate over 10%: one mail; at 10% none", async () => {
    const now = freshWindow();
    noteSignal("stripe_call", 10);
    noteSignal("stripe_error", 3);
    await flushSignals(env.RATE_LIMITS, now - 60_000);
    await expectOneMail("stripe_error_rate", now);
    const quiet = freshWindow();
    noteSignal("stripe_call", 10);
    noteSignal("stripe_error", 1);
    await flushSignals(env.RATE_LIMITS, quiet - 60_000);
    await expectNoMail("stripe_error_rate", quiet);
  });

  it("books that do not balance in two audits in a row: one mail naming the event; none once repaired", async () => {
    const { eventId } = await onSaleEvent();
    const { view } = await bought(eventId, await fan(), { seatIds: ["A-1-1"] });
    // D1 loses the ticket of a seat the room sold.
    await env.DB.prepare("UPDATE tickets SET status = 'void' WHERE id = ?").bind(view.tickets[0]!.ticketId).run();
    const first = freshWindow();
    // The first audit that sees it does not alert: a sale between the room and D1 looks the same for a moment.
    await expectNoMail("books_mismatch", first);
    const mail = await expectOneMail("books_mismatch", first + BOOKS_AUDIT_EVERY_MS);
    expect(mail.text).toContain(eventId);
    expect(mail.text).toContain("seat_sold_without_ticket:A-1-1");
    // Repaired: the next audit finds nothing, and nothing fires.
    await env.DB.prepare("UPDATE tickets SET status = 'valid' WHERE id = ?").bind(view.tickets[0]!.ticketId).run();
    await expectNoMail("books_mismatch", first + 2 * BOOKS_AUDIT_EVERY_MS);
  });

  it("sends nothing without ALERT_EMAILS, and the organizer banner still lists what fires", async () => {
    const now = freshWindow();
    await orders(now - 60_000, 0, 6);
    const result = await evaluate(now, "");
    expect(result.firing).toContain("payment_failure_rate");
    expect(result.queued).toBe(0);
    expect(TEST_BINDINGS).not.toHaveProperty("ALERT_EMAILS");
  });
});

describe("the organizer page's alert banner", () => {
  it("shows the firing rules: the summary to an admin, a sentence naming no event to an organizer", async () => {
    const { eventId } = await onSaleEvent();
    await evaluate(Date.now(), "", { EVENT_ROOM: undefined });
    const admin = await call("GET", "/organizer", { token: await tokenFor(unique("admin"), ["admin"]) });
    expect(admin.status).toBe(200);
    const adminPage = await admin.text();
    expect(adminPage).toContain('data-alert-rule="room_unavailable"');
    expect(adminPage).toContain(eventId);
    const organizer = await call("GET", "/organizer", { token: await tokenFor(unique("org"), ["organizer"]) });
    const page = await organizer.text();
    expect(page).toMatch(/role="alert"/);
    expect(page).toContain("An event&#39;s live inventory is overloaded or not answering.");
    expect(page).not.toContain(eventId);
  });
});
