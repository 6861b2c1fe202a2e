import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStats, OrganizerEventList } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { call, json, onSaleEvent, unique } from "./helpers";
import { retrieveIntent, StripeIntent } from "./money";

/** Copies a D1 row under a new id (the tests need more than 100 rows fast). */
async function cloneRows(
  table: string,
  where: string,
  bind: unknown[],
  change: (row: Record<string, unknown>, i: number) => Record<string, unknown>,
  n: number,
) {
  const rows = (
    await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where}`)
      .bind(...bind)
      .all()
  ).results;
  const statements = [];
  for (let i = 0; i < n; i++) {
    for (const row of rows) {
      const copy = change({ ...row }, i);
      const columns = Object.keys(copy);
      statements.push(
        env.DB.prepare(
          `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        ).bind(...columns.map((c) => copy[c])),
      );
    }
  }
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
}

async function stripeIntent(amount: number): Promise<string> {
  const response = await fetch(`${env.STRIPE_API_BASE}/v1/payment_intents`, {
    method: "POST",
    headers: { authorization: "Bearer sk_test_local", "content-type": "application/x-www-form-urlencoded" },
    body: `amount=${amount}&currency=eur`,
  });
  return (await json(response, StripeIntent)).id;
}

describe("more than 100 rows (D1 binds at most 100 parameters)", () => {
  it("an organizer with 120 events lists them all, with their sections and prices", async () => {
    const { organizer, eventId } = await onSaleEvent();
    await cloneRows("events", "id = ?", [eventId], (row, i) => ({ ...row, id: `${eventId}c${i}` }), 119);
    await cloneRows("prices", "event_id = ?", [eventId], (row, i) => ({ ...row, event_id: `${eventId}c${i}` }), 119);
    const response = await call("GET", "/api/v1/admin/events", { token: organizer });
    expect(response.status).toBe(200);
    const body = await json(response, OrganizerEventList);
    expect(body.data).toHaveLength(120);
    expect(body.data.every((e) => e.sections.length === 3 && e.sections[0]?.priceCents === 5000)).toBe(true);
  });

  it("a cancelled event with 260 orders is refunded in the background: progress in stats, the cron finishes", {
    timeout: 120_000,
  }, async () => {
    const { organizer, eventId } = await onSaleEvent();
    const now = Date.now();
    const statements = [];
    const intents: string[] = [];
    for (let i = 0; i < 260; i++) {
      const id = `ord_big${i}x${now.toString(36)}`;
      const pi = await stripeIntent(2000);
      intents.push(pi);
      statements.push(
        env.DB.prepare(
          "INSERT INTO orders (id, user_id, event_id, hold_id, status, total_cents, currency, payment_intent_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'confirmed', 2000, 'EUR', ?, ?, ?)",
        ).bind(id, unique("buyer"), eventId, `hld_big_${id}`, pi, now + i, now + i),
        env.DB.prepare(
          "INSERT INTO order_items (id, order_id, section_id, quantity, price_cents) VALUES (?, ?, 'FLOOR', 1, 2000)",
        ).bind(`itm_${id}_0`, id),
        env.DB.prepare(
          "INSERT INTO tickets (id, order_id, event_id, user_id, section_id, status, code, version, issued_at) VALUES (?, ?, ?, 'u', 'FLOOR', 'valid', 'x', 1, ?)",
        ).bind(`tkt_${id}_0`, id, eventId, now),
      );
    }
    for (let i = 0; i < statements.length; i += 60) await env.DB.batch(statements.slice(i, i + 60));

    const cancelled = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { action: "cancel" },
    });
    expect(cancelled.status).toBe(200);
    const stats = async () => {
      const body = await json(
        await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
        EventStats,
      );
      if (!body.cancellation) throw new Error(`no cancellation progress in the stats: ${JSON.stringify(body)}`);
      return body.cancellation;
    };
    const started = await stats();
    expect(started.done).toBe(false);
    expect(started.ordersRefunded).toBeGreaterThan(0);
    expect(started.ordersRefunded + started.ordersToRefund).toBe(260);

    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" });
    await (worker as ExportedHandler<Env>).scheduled!(controller, env, createExecutionContext());
    const finished = await stats();
    expect(finished).toMatchObject({ done: true, ordersRefunded: 260, ordersToRefund: 0, refundedCents: 260 * 2000 });
    const valid = await env.DB.prepare("SELECT count(*) AS n FROM tickets WHERE event_id = ? AND status <> 'void'")
      .bind(eventId)
      .first<{ n: number }>();
    expect(valid?.n).toBe(0);
    expect((await retrieveIntent(intents[259]!)).latest_charge.amount_refunded).toBe(2000);
  });
});
