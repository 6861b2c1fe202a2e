import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStats, HoldCreated, Ticket } from "../../src/contract/responses";
import { database } from "../../src/db/client";
import { backoffSeconds, DEAD_LETTER_QUEUE, NOTIFICATIONS_QUEUE } from "../../src/notify/consumer";
import { enqueue, sweepNotifications } from "../../src/notify/enqueue";
import { dedupeKeyOf, Notification, type NotificationInput } from "../../src/notify/messages";
import { findNotification, recordOnce } from "../../src/notify/store";
import worker from "../../workers/edge";
import { emailsTo } from "./emails";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { OwnedOrder } from "./money";
import { fanWithEmail, outboxOf, waitForOutbox } from "./outbox";
import { checkout, deliver, intentEvent, PendingCheckout } from "./payments";

/** The same Worker with the Resend-compatible provider, pointed at test/email-server.ts. */
const resendEnv = {
  ...env,
  EMAIL_PROVIDER: "resend",
  EMAIL_API_KEY: "re_test_key",
  EMAIL_FROM: "Tickets <t@example.com>",
};

/** Records a message as enqueue would, without handing it to the real queue: the test drives the consumer. */
async function recorded(input: NotificationInput) {
  const message = Notification.parse(input);
  const key = dedupeKeyOf(message);
  await recordOnce(database(env.DB), key, message, Date.now());
  return { key, message };
}

/** One delivery of a batch to the Worker's queue() handler, as the Queues runtime would make it. */
async function consume(
  queue: string,
  bodies: Array<{ body: unknown; attempts: number }>,
  environment: Env = resendEnv,
) {
  const batch = createMessageBatch(
    queue,
    bodies.map(({ body, attempts }, i) => ({ id: unique(`m${i}`), timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, environment, ctx);
  return getQueueResult(batch, ctx);
}

async function paidOrder(fan: { token: string }) {
  const fixture = await onSaleEvent();
  const hold = await json(
    await call("POST", `/api/v1/events/${fixture.eventId}/holds`, {
      token: fan.token,
      body: { seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }] },
    }),
    HoldCreated,
  );
  const { response, body: order } = await checkout(
    hold.holdId,
    fan.token,
    { "idempotency-key": unique("co") },
    PendingCheckout,
  );
  expect(response.status, JSON.stringify(order)).toBe(201);
  return { ...fixture, hold, order };
}

describe("notifications", () => {
  it("a webhook delivered five times sends one confirmation, with the order link and each ticket's QR link", async () => {
    const fan = await fanWithEmail();
    const { order, eventId } = await paidOrder(fan);
    const event = intentEvent("payment_intent.succeeded", order);
    for (let i = 0; i < 5; i++) expect((await deliver(event)).status).toBe(200);
    // Stripe also sends the same payment again under a new event id.
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);

    const [mail, ...more] = await waitForOutbox(fan.email);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ to: fan.email, kind: "order_confirmed", orderId: order.orderId, eventId });
    expect(mail!.text).toContain(`/orders/${order.orderId}`);
    const tickets = (await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: fan.token }), OwnedOrder))
      .tickets;
    expect(tickets).toHaveLength(2);
    for (const t of tickets) expect(mail!.text).toContain(`/api/v1/tickets/${t.ticketId}/qr.svg`);

    const row = await findNotification(database(env.DB), `order_confirmed:${order.orderId}`);
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
    // Enqueueing it yet again is a no-op.
    expect(await enqueue(env, { kind: "order_confirmed", eventId, orderId: order.orderId })).toBe("duplicate");
  });

  it("a queue message delivered twice is sent once", async () => {
    const fan = await fanWithEmail();
    const { eventId } = await onSaleEvent();
    const body = await recorded({
      kind: "waitlist_offer",
      eventId,
      userId: fan.id,
      holdId: unique("hld_"),
      expiresAt: Date.now() + 60_000,
      to: fan.email,
    });
    const first = await consume(NOTIFICATIONS_QUEUE, [{ body, attempts: 1 }], env);
    const second = await consume(NOTIFICATIONS_QUEUE, [{ body, attempts: 1 }], env);
    expect(first.explicitAcks).toHaveLength(1);
    expect(second.explicitAcks).toHaveLength(1);
    expect(await outboxOf(fan.email)).toHaveLength(1);
  });

  it("a provider failing three times delivers on the fourth attempt, with backoff between", async () => {
    const { eventId } = await onSaleEvent();
    const to = `fail3-${unique("r")}@example.com`;
    const body = await recorded({
      kind: "waitlist_offer",
      eventId,
      userId: "u1",
      holdId: unique("hld_"),
      expiresAt: Date.now() + 60_000,
      to,
    });
    for (let attempts = 1; attempts <= 3; attempts++) {
      const result = await consume(NOTIFICATIONS_QUEUE, [{ body, attempts }]);
      expect(result.retryMessages).toHaveLength(1);
      const row = await findNotification(database(env.DB), body.key);
      expect(row).toMatchObject({ status: "queued", attempts });
      expect(row?.lastError).toContain("500");
    }
    // The pool's queue result does not report delays; the consumer asks for these (base 5 s):
    expect([1, 2, 3, 20].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 3600]);
    expect(await emailsTo(to)).toHaveLength(0);
    const last = await consume(NOTIFICATIONS_QUEUE, [{ body, attempts: 4 }]);
    expect(last.explicitAcks).toHaveLength(1);
    const [email, ...more] = await emailsTo(to);
    expect(more).toHaveLength(0);
    expect(email).toMatchObject({ to: [to], from: "Tickets <t@example.com>", idempotencyKey: body.key });
    expect(email?.html).toContain("<a href=");
    expect(await findNotification(database(env.DB), body.key)).toMatchObject({ status: "sent", attempts: 4 });
  });

  it("a provider failing always dead-letters the message, counts it, and blocks nothing else", async () => {
    const { eventId, organizer: owner } = await onSaleEvent();
    const down = await recorded({
      kind: "waitlist_offer",
      eventId,
      userId: "u1",
      holdId: unique("hld_"),
      expiresAt: Date.now() + 60_000,
      to: `down-${unique("r")}@example.com`,
    });
    const fine = `${unique("ok")}@example.com`;
    for (let attempts = 1; attempts <= 6; attempts++) {
      const good = await recorded({
        kind: "waitlist_offer",
        eventId,
        userId: "u2",
        holdId: unique("hld_"),
        expiresAt: Date.now() + 60_000,
        to: fine,
      });
      const result = await consume(NOTIFICATIONS_QUEUE, [
        { body: down, attempts },
        { body: good, attempts: 1 },
      ]);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toHaveLength(1);
    }
    expect(await emailsTo(fine)).toHaveLength(6);
    // After max_retries the Queues runtime moves it to the dead-letter queue, which this Worker consumes.
    const dead = await consume(DEAD_LETTER_QUEUE, [{ body: down, attempts: 1 }]);
    expect(dead.explicitAcks).toHaveLength(1);
    expect(await findNotification(database(env.DB), down.key)).toMatchObject({ status: "dead", attempts: 6 });
    const stats = await json(await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: owner }), EventStats);
    expect(stats.notifications).toMatchObject({ sent: 6, deadLettered: 1, retried: 5 });
  });

  it("no email claim, no mail: recorded as skipped", async () => {
    const fan = { token: await tokenFor(unique("fan")) };
    const { order, eventId, organizer } = await paidOrder(fan);
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
    const key = `order_confirmed:${order.orderId}`;
    const body = { key, message: { kind: "order_confirmed", eventId, orderId: order.orderId } };
    // The real queue may have handled it already; either way the answer is the same.
    await consume(NOTIFICATIONS_QUEUE, [{ body, attempts: 1 }], env);
    expect((await findNotification(database(env.DB), key))?.status).toBe("skipped");
    const stats = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(stats.notifications.skipped).toBe(1);
  });

  it("a transferred ticket tells its recipient", async () => {
    const buyer = await fanWithEmail("buyer");
    const recipient = await fanWithEmail("friend");
    // The recipient's address is known from their own earlier order.
    const earlier = await paidOrder(recipient);
    expect((await deliver(intentEvent("payment_intent.succeeded", earlier.order))).status).toBe(200);
    const { order } = await paidOrder(buyer);
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
    const view = await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: buyer.token }), OwnedOrder);
    const ticket = view.tickets[0]!;
    const moved = await call("POST", `/api/v1/tickets/${ticket.ticketId}/transfer`, {
      token: buyer.token,
      body: { toUserId: recipient.id },
    });
    expect(moved.status).toBe(201);
    const newTicket = await json(moved, Ticket);
    const mails = await waitForOutbox(recipient.email, 2);
    const transferred = mails.find((m) => m.kind === "ticket_transferred");
    expect(transferred?.text).toContain(`/api/v1/tickets/${newTicket.ticketId}/qr.svg`);
  });

  it("a message recorded but never handed to the queue is queued again by the cron sweep", async () => {
    const { eventId } = await onSaleEvent();
    const to = `${unique("stranded")}@example.com`;
    const message = Notification.parse({
      kind: "waitlist_offer",
      eventId,
      userId: "u1",
      holdId: unique("hld_"),
      expiresAt: Date.now() + 60_000,
      to,
    });
    // As enqueue leaves it when the queue's send throws: recorded, `queued`, never attempted.
    await recordOnce(database(env.DB), dedupeKeyOf(message), message, Date.now() - 10 * 60_000);
    expect(await sweepNotifications(env)).toBeGreaterThanOrEqual(1);
    const [mail] = await waitForOutbox(to);
    expect(mail?.kind).toBe("waitlist_offer");
    expect(await sweepNotifications(env)).toBe(0);
  });

  it("renders every kind as text and HTML, with its links and amounts", async () => {
    const fan = await fanWithEmail();
    const { order, eventId } = await paidOrder(fan);
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
    const base = { eventId, orderId: order.orderId };
    const until = Date.now() + 5 * 60_000;
    const kinds: NotificationInput[] = [
      { kind: "order_refunded", ...base, refundId: unique("re_"), amountCents: 2000, refundedCents: 2000 },
      {
        kind: "order_refunded",
        ...base,
        refundId: unique("re_"),
        amountCents: order.totalCents - 2000,
        refundedCents: order.totalCents,
      },
      {
        kind: "payment_failed",
        ...base,
        failureId: unique("evt_"),
        retryUntil: until,
        reason: "Your card was declined.",
      },
      { kind: "event_cancelled", eventId, userId: fan.id, orderId: order.orderId },
    ];
    const bodies = await Promise.all(kinds.map((k) => recorded(k)));
    const result = await consume(
      NOTIFICATIONS_QUEUE,
      bodies.map((body) => ({ body, attempts: 1 })),
      {
        ...resendEnv,
        EMAIL_API_KEY: "re_test_key",
      },
    );
    expect(result.explicitAcks).toHaveLength(4);
    const mails = await emailsTo(fan.email);
    const [partial, full, failed, cancelled] = bodies.map((b) => mails.find((m) => m.idempotencyKey === b.key));
    expect(partial?.subject).toBe("Partial refund for Test Concert");
    expect(partial?.text).toContain("€20.00 of your order");
    expect(full?.subject).toBe("Refund for Test Concert");
    expect(full?.text).toContain("refunded in full: €50.00");
    expect(failed?.text).toContain(`/pay/${order.orderId}`);
    expect(failed?.text).toContain("Your card was declined.");
    expect(cancelled?.subject).toBe("Test Concert is cancelled");
    expect(cancelled?.text).toContain("refunded in full: €70.00");
    for (const mail of [partial, full, failed, cancelled]) {
      expect(mail?.html).toMatch(/^<!doctype html><html lang="en">/);
      expect(mail?.html).toContain('<a href="http://localhost:8787/');
    }
  });

  it("the outbox reads 404 outside development", async () => {
    const response = await worker.fetch(
      new Request("https://tickets.test/api/v1/dev/outbox"),
      { ...env, ENVIRONMENT: "production" },
      createExecutionContext(),
    );
    expect(response.status).toBe(404);
    await errorOf(response, "NOT_FOUND");
    const page = await call("GET", "/dev/outbox");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
  });
});
