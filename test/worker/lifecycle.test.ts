import {
  createExecutionContext,
  createScheduledController,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorBody, EventStats, OrderList, TicketList } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { call, errorOf, expectError, json, unique } from "./helpers";
import {
  bought,
  checkedOut,
  fan,
  floorAvailable,
  hold,
  onSaleEvent,
  orderOf,
  retrieveIntent,
  scan,
  scannerToken,
  seatStatus,
  setIntent,
  stripeFault,
  stubFor,
} from "./money";
import {
  checkout,
  deliver,
  intentEvent,
  outcomeOf,
  PendingCheckout,
  type PendingCheckoutView,
  stripeCalls,
} from "./payments";

const release = (holdId: string, token: string) => call("DELETE", `/api/v1/holds/${holdId}`, { token });

/** Runs the Worker's scheduled handler as the Cron Trigger would, `aheadMs` in the future. */
async function cron(aheadMs = 0) {
  const controller = createScheduledController({ scheduledTime: Date.now() + aheadMs, cron: "* * * * *" });
  await (worker as ExportedHandler<Env>).scheduled!(controller, env, createExecutionContext());
}

async function stats(eventId: string, organizer: string) {
  return json(await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }), EventStats);
}

describe("releasing a hold in checkout", () => {
  it("cancels its PaymentIntent and its order; late payments are honoured only within the limit", async () => {
    const { eventId } = await onSaleEvent({ limits: { perOrder: 4, perUser: 4 } });
    const shopper = await fan();
    const orders: PendingCheckoutView[] = [];
    for (let i = 0; i < 3; i++) {
      const { hold: held, order } = await checkedOut(eventId, shopper, { ga: [{ sectionId: "FLOOR", quantity: 4 }] });
      expect((await release(held.holdId, shopper)).status).toBe(200);
      expect((await orderOf(order.orderId, shopper)).status).toBe("cancelled");
      expect((await retrieveIntent(order.payment.paymentIntentId)).status).toBe("canceled");
      orders.push(order);
    }
    const outcomes = await Promise.all(
      orders.map((order) => outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))),
    );
    expect(outcomes.filter((o) => o === "confirmed")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "refunded_unfulfillable")).toHaveLength(2);
    const mine = await json(await call("GET", "/api/v1/me/tickets", { token: shopper }), TicketList);
    expect(mine.data).toHaveLength(4);
    expect(await floorAvailable(eventId)).toBe(46);
  });

  it("storm: 50 concurrent payments for one user's 50 released holds confirm one order within the limit", async () => {
    const { eventId, organizer } = await onSaleEvent({ limits: { perOrder: 2, perUser: 2 } });
    const shopper = await fan();
    const orders: PendingCheckoutView[] = [];
    for (let i = 0; i < 50; i++) {
      const { hold: held, order } = await checkedOut(eventId, shopper, { ga: [{ sectionId: "FLOOR", quantity: 2 }] });
      expect((await release(held.holdId, shopper)).status).toBe(200);
      orders.push(order);
    }
    const responses = await Promise.all(orders.map((o) => deliver(intentEvent("payment_intent.succeeded", o))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const outcomes = await Promise.all(responses.map((r) => outcomeOf(r)));
    expect(outcomes.filter((o) => o === "confirmed")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "refunded_unfulfillable")).toHaveLength(49);
    // Invariant 4: each payment is exactly one confirmed order or one refund.
    const refunded = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && orders.some((o) => o.payment.paymentIntentId === c.params.payment_intent),
    );
    expect(new Set(refunded.map((c) => c.params.payment_intent)).size).toBe(49);
    const views = await Promise.all(orders.map((o) => orderOf(o.orderId, shopper)));
    expect(views.filter((v) => v.status === "confirmed")).toHaveLength(1);
    expect(views.filter((v) => v.status === "refunded")).toHaveLength(49);
    expect((await stats(eventId, organizer)).sold).toBe(2);
  }, 60_000);

  it("the room evicted between checkout and payment: the payment still sells exactly once", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, { seatIds: ["B-1-3"] });
    await evictDurableObject(stubFor(eventId));
    const event = intentEvent("payment_intent.succeeded", order);
    const outcomes = await Promise.all([deliver(event), deliver(event)].map((r) => outcomeOf(r)));
    expect(outcomes.every((o) => o === "confirmed" || o === "duplicate")).toBe(true);
    await evictDurableObject(stubFor(eventId));
    expect(await seatStatus(eventId, "B-1-3")).toBe("sold");
    expect((await orderOf(order.orderId, shopper)).tickets).toHaveLength(1);
  });
});

describe("cancelling an event", () => {
  it("stops sales, refunds every order, voids tickets, cancels open PaymentIntents, refunds late payments", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const buyers: ({ shopper: string } & Awaited<ReturnType<typeof bought>>)[] = [];
    for (const seat of ["A-1-1", "A-1-2", "A-1-3"]) {
      const shopper = await fan();
      buyers.push({ shopper, ...(await bought(eventId, shopper, { seatIds: [seat] })) });
    }
    const late = await fan();
    const { order: open } = await checkedOut(eventId, late, { seatIds: ["A-2-1"] });
    const waiting = await fan();
    const held = await hold(eventId, waiting, { seatIds: ["A-2-2"] });

    const cancelled = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { action: "cancel" },
    });
    expect(cancelled.status).toBe(200);

    const refused = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: await fan(),
      body: { seatIds: ["B-1-1"] },
    });
    expect(refused.status).toBe(409);
    await errorOf(refused, "NOT_ON_SALE");
    const noCheckout = await checkout(held.holdId, waiting, { "idempotency-key": unique("co") });
    expect(noCheckout.response.status).toBe(409);
    expectError(noCheckout.body, "NOT_ON_SALE");

    const gate = await scannerToken();
    for (const { shopper, order, view } of buyers) {
      const after = await orderOf(order.orderId, shopper);
      expect(after).toMatchObject({ status: "refunded", refundedCents: order.totalCents });
      expect((await retrieveIntent(order.payment.paymentIntentId)).latest_charge.amount_refunded).toBe(
        order.totalCents,
      );
      expect((await scan(gate, { eventId, code: view.tickets[0]!.code })).result).toBe("void");
    }
    expect((await orderOf(open.orderId, late)).status).toBe("cancelled");
    expect((await retrieveIntent(open.payment.paymentIntentId)).status).toBe("canceled");
    // A payment that still arrives for it is refunded, never confirmed.
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", open)))).toBe("refunded_unfulfillable");
    expect((await orderOf(open.orderId, late)).status).toBe("refunded");
    const progress = await stats(eventId, organizer);
    expect(progress.cancellation).toMatchObject({ done: true, ordersToRefund: 0, ordersRefunded: 4 });
  });

  it("check-in answers void for a cancelled event at once, before its refunds reach the ticket", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shopper = await fan();
    const { view, order } = await bought(eventId, shopper, { seatIds: ["B-2-5"] });
    // Stripe is down: the refunds cannot start, yet the door must not admit.
    await stripeFault({ match: order.payment.paymentIntentId, status: 500, times: 3 });
    await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { action: "cancel" } });
    expect((await orderOf(order.orderId, shopper)).status).toBe("confirmed");
    expect((await scan(await scannerToken(), { eventId, code: view.tickets[0]!.code })).result).toBe("void");
    expect((await stats(eventId, organizer)).cancellation).toMatchObject({ done: false, ordersToRefund: 1 });
    // The cron finishes the job once Stripe answers again.
    await cron();
    expect((await orderOf(order.orderId, shopper)).status).toBe("refunded");
    expect((await stats(eventId, organizer)).cancellation?.done).toBe(true);
  });

  it("cancel racing checkout: every payment ends refunded or cancelled, none confirmed", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => fan()));
    const holds = await Promise.all(shoppers.map((s, i) => hold(eventId, s, { seatIds: [`A-3-${i + 1}`] })));
    const [checkouts] = await Promise.all([
      Promise.all(holds.map((h, i) => checkout(h.holdId, shoppers[i]!, { "idempotency-key": unique("co") }))),
      call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { action: "cancel" } }),
    ]);
    await cron();
    for (const [i, { response, body }] of checkouts.entries()) {
      if (response.status !== 201) {
        expect(response.status).toBe(409);
        continue;
      }
      if ("error" in body) throw new Error(`a 201 with an error: ${JSON.stringify(body)}`);
      const outcome = await outcomeOf(deliver(intentEvent("payment_intent.succeeded", body)));
      expect(["refunded_unfulfillable", "unchanged"]).toContain(outcome);
      expect(["refunded", "cancelled"]).toContain((await orderOf(body.orderId, shoppers[i]!)).status);
    }
    expect((await stats(eventId, organizer)).sold).toBe(0);
  });
});

describe("cancel racing payments (invariant 7)", () => {
  it("storm: checkouts, payments and the cancel all at once; every paid intent ends refunded exactly once", {
    timeout: 60_000,
  }, async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shoppers = await Promise.all(Array.from({ length: 12 }, () => fan()));
    const holds = await Promise.all(
      shoppers.map((s, i) =>
        hold(eventId, s, { seatIds: [`A-2-${(i % 10) + 1}`], ...(i >= 10 && { seatIds: [`B-1-${i - 9}`] }) }),
      ),
    );
    const paid: { order: PendingCheckoutView; shopper: string }[] = [];
    const start = async (i: number) => {
      const { response, body } = await checkout(
        holds[i]!.holdId,
        shoppers[i]!,
        { "idempotency-key": unique("co") },
        z.union([PendingCheckout, ErrorBody]),
      );
      if (response.status !== 201) return undefined;
      if ("error" in body) throw new Error(`a 201 with an error: ${JSON.stringify(body)}`);
      paid.push({ order: body, shopper: shoppers[i]! });
      return body;
    };
    // Half are in checkout before the cancel; their payments race it, and so do the other half's checkouts.
    const early: PendingCheckoutView[] = [];
    for (let i = 0; i < 6; i++) {
      const order = await start(i);
      if (!order) throw new Error(`checkout ${i}, before the cancel, was refused`);
      early.push(order);
    }
    await Promise.all([
      ...early.map((order) => deliver(intentEvent("payment_intent.succeeded", order))),
      ...[6, 7, 8, 9, 10, 11].map(async (i) => {
        const order = await start(i);
        if (order) await deliver(intentEvent("payment_intent.succeeded", order));
      }),
      call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { action: "cancel" } }),
    ]);
    expect(paid.length).toBeGreaterThanOrEqual(6);
    await cron();
    for (const { order, shopper } of paid) {
      // Redeliveries change nothing.
      await deliver(intentEvent("payment_intent.succeeded", order));
      const after = await orderOf(order.orderId, shopper);
      expect(after.status, JSON.stringify(after)).toBe("refunded");
      expect(after.tickets.every((t) => t.status === "void")).toBe(true);
      const charge = (await retrieveIntent(order.payment.paymentIntentId)).latest_charge;
      expect(charge.amount_refunded).toBe(order.totalCents);
    }
    const stats = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(stats.sold).toBe(0);
    expect(stats.cancellation?.done).toBe(true);
  });
});

describe("reconciliation (Cron Trigger)", () => {
  it("confirms a paid order whose webhook never came, from Stripe's record", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, { seatIds: ["B-1-4"] });
    await setIntent(order.payment.paymentIntentId, { status: "succeeded" });
    await cron(); // too early: the webhook may still come
    expect((await orderOf(order.orderId, shopper)).status).toBe("pending");
    await cron(3 * 60_000);
    const after = await orderOf(order.orderId, shopper);
    expect(after.status).toBe("confirmed");
    expect(after.tickets).toHaveLength(1);
    expect(await seatStatus(eventId, "B-1-4")).toBe("sold");
    // The webhook arriving after all changes nothing.
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))).toBe("unchanged");
  });

  it("finishes a free checkout that D1 cut short, once it has been quiet a while", async () => {
    const { eventId } = await onSaleEvent({ prices: { A: 3000, B: 0, FLOOR: 2000 } });
    const shopper = await fan();
    const held = await hold(eventId, shopper, { seatIds: ["B-1-1"] });
    await env.DB.exec("ALTER TABLE tickets RENAME TO tickets_cut");
    try {
      expect((await checkout(held.holdId, shopper, { "idempotency-key": unique("co") })).response.status).toBe(500);
    } finally {
      await env.DB.exec("ALTER TABLE tickets_cut RENAME TO tickets");
    }
    const orderId = (await json(await call("GET", "/api/v1/me/orders", { token: shopper }), OrderList)).data[0]!
      .orderId;
    await cron(3 * 60_000);
    const after = await orderOf(orderId, shopper);
    expect(after.status).toBe("confirmed");
    expect(after.tickets).toHaveLength(1);
  });

  it("a declined card's hold ends: the order fails, the PaymentIntent is cancelled, the seats are back", async () => {
    const { eventId } = await onSaleEvent({ holdSeconds: 60 });
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, { seatIds: ["B-2-2"] });
    await deliver(intentEvent("payment_intent.payment_failed", order));
    expect(await seatStatus(eventId, "B-2-2")).toBe("held");
    await cron(3 * 60_000); // the hold still stands: nothing is cancelled yet
    expect((await orderOf(order.orderId, shopper)).status).toBe("pending");
    const stub = stubFor(eventId);
    await runInDurableObject(stub, (room) => room.skewClockForTests(60_000 + 300_000 + 1_000));
    await runDurableObjectAlarm(stub);
    expect(await seatStatus(eventId, "B-2-2")).toBe("available");
    await cron(6 * 60_000); // the first look moved it to the back of the line: quiet again 2 minutes later
    expect((await orderOf(order.orderId, shopper)).status).toBe("failed");
    expect((await retrieveIntent(order.payment.paymentIntentId)).status).toBe("canceled");
  });

  it("cancels the PaymentIntent of a released hold whose cancel failed, and prunes old webhook ids", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { hold: held, order } = await checkedOut(eventId, shopper, { seatIds: ["B-2-3"] });
    await stripeFault({ match: `${order.payment.paymentIntentId}/cancel`, status: 500, times: 3 });
    expect((await release(held.holdId, shopper)).status).toBe(200);
    expect((await orderOf(order.orderId, shopper)).status).toBe("cancelled");
    expect((await retrieveIntent(order.payment.paymentIntentId)).status).not.toBe("canceled");
    const old = `evt_old_${unique("x")}`;
    await env.DB.prepare("INSERT INTO processed_webhook_events (id, type, processed_at) VALUES (?, 'x', ?)")
      .bind(old, Date.now() - 31 * 86_400_000)
      .run();
    await cron();
    expect((await retrieveIntent(order.payment.paymentIntentId)).status).toBe("canceled");
    const left = await env.DB.prepare("SELECT id FROM processed_webhook_events WHERE id = ?").bind(old).first();
    expect(left).toBeNull();
  });
});
