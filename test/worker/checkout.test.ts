import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Hold, OrderList, Refund, SeatMap, TicketList } from "../../src/contract/responses";
import { database } from "../../src/db/client";
import { findOrderByHold } from "../../src/db/orders";
import { loggerFor } from "../../src/log";
import { checkout as checkoutModule } from "../../src/payments/checkout";
import { type PaymentGateway, paymentGateway } from "../../src/payments/gateway";
import { call, errorOf, expectError, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { checkedOut, hold, orderOf, seatStatus, stubFor } from "./money";
import { chargeRefunded, checkout, deliver, intentEvent, outcomeOf, PendingCheckout, stripeCalls } from "./payments";

async function heldAndCheckedOut(overrides: Record<string, unknown> = {}, seats = ["A-1-1", "A-1-2"]) {
  const fixture = await onSaleEvent(overrides);
  const fan = await tokenFor(unique("fan"));
  const { hold, order } = await checkedOut(fixture.eventId, fan, {
    seatIds: seats,
    ga: [{ sectionId: "FLOOR", quantity: 2 }],
  });
  return { ...fixture, fan, hold, order };
}

describe("checkout", () => {
  it("creates one pending order and one PaymentIntent for the hold's fixed amount", async () => {
    const { hold, order, fan, eventId } = await heldAndCheckedOut();
    expect(order).toMatchObject({
      status: "pending",
      totalCents: 2 * 5000 + 2 * 2000,
      currency: "EUR",
      payment: { provider: "stripe" },
    });
    expect(order.orderId).toMatch(/^ord_/);
    expect(order.payment.paymentIntentId).toMatch(/^pi_test_/);
    expect(order.payment.clientSecret).toContain("_secret_");
    const created = (await stripeCalls()).filter(
      (c) => c.path === "/v1/payment_intents" && c.params.metadata?.holdId === hold.holdId,
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      method: "POST",
      idempotencyKey: `checkout-${hold.holdId}`,
      params: { amount: "14000", currency: "eur", metadata: { orderId: order.orderId, holdId: hold.holdId, eventId } },
    });

    const again = await checkout(hold.holdId, fan, {}, PendingCheckout);
    expect(again.response.status).toBe(201);
    expect(again.body.orderId).toBe(order.orderId);
    expect(again.body.payment.paymentIntentId).toBe(order.payment.paymentIntentId);

    const live = await json(await call("GET", `/api/v1/holds/${hold.holdId}`, { token: fan }), Hold);
    expect(live.status).toBe("checkout");
    expect(Date.parse(live.expiresAt) - Date.parse(hold.expiresAt)).toBe(300_000);
  });

  it("lets no one else check out a hold or read an order", async () => {
    const { hold, order } = await heldAndCheckedOut();
    const stranger = await tokenFor(unique("fan"));
    const theirs = await checkout(hold.holdId, stranger);
    expect(theirs.response.status).toBe(403);
    expectError(theirs.body, "FORBIDDEN");
    const read = await call("GET", `/api/v1/orders/${order.orderId}`, { token: stranger });
    expect(read.status).toBe(403);
    expect((await json(await call("GET", "/api/v1/me/orders", { token: stranger }), OrderList)).data).toEqual([]);
    expect((await call("GET", "/api/v1/orders/ord_doesnotexist", { token: stranger })).status).toBe(404);
  });
});

describe("the Stripe webhook", () => {
  it("confirms the order with its tickets, once, however often the event is delivered", async () => {
    const { hold, order, fan, eventId } = await heldAndCheckedOut();
    const event = intentEvent("payment_intent.succeeded", order);
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      const response = await deliver(event);
      expect(response.status).toBe(200);
      outcomes.push(await outcomeOf(response));
    }
    expect(outcomes).toEqual(["confirmed", "duplicate", "duplicate", "duplicate", "duplicate"]);
    // The same payment reported under another event id changes nothing either.
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))).toBe("unchanged");

    const confirmed = await orderOf(order.orderId, fan);
    expect(confirmed.status).toBe("confirmed");
    expect(confirmed.items).toEqual([
      { seatId: "A-1-1", quantity: 1, priceCents: 5000 },
      { seatId: "A-1-2", quantity: 1, priceCents: 5000 },
      { sectionId: "FLOOR", quantity: 2, priceCents: 2000 },
    ]);
    expect(confirmed.tickets).toHaveLength(4);
    expect(new Set(confirmed.tickets.map((t) => t.ticketId)).size).toBe(4);
    expect(await seatStatus(eventId, "A-1-1")).toBe("sold");
    expect((await json(await call("GET", `/api/v1/holds/${hold.holdId}`, { token: fan }), Hold)).status).toBe(
      "purchased",
    );
    const mine = await json(await call("GET", "/api/v1/me/orders", { token: fan }), OrderList);
    expect(mine.data.map((o) => o.orderId)).toEqual([order.orderId]);
    const again = await checkout(hold.holdId, fan);
    expect(again.response.status).toBe(409);
  });

  it("confirms exactly once when the same event arrives five times at once", async () => {
    const { order, fan } = await heldAndCheckedOut();
    const event = intentEvent("payment_intent.succeeded", order);
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const confirmed = await orderOf(order.orderId, fan);
    expect(confirmed.status).toBe("confirmed");
    expect(confirmed.tickets).toHaveLength(4);
    const tickets = await json(await call("GET", "/api/v1/me/tickets", { token: fan }), TicketList);
    expect(tickets.data).toHaveLength(4);
  });

  it("ignores payment_failed after succeeded, and keeps the hold when it comes first", async () => {
    const first = await heldAndCheckedOut();
    await deliver(intentEvent("payment_intent.succeeded", first.order));
    expect(await outcomeOf(deliver(intentEvent("payment_intent.payment_failed", first.order)))).toBe("unchanged");
    expect((await orderOf(first.order.orderId, first.fan)).status).toBe("confirmed");
    expect(await seatStatus(first.eventId, "A-1-1")).toBe("sold");

    const second = await heldAndCheckedOut();
    expect(await outcomeOf(deliver(intentEvent("payment_intent.payment_failed", second.order)))).toBe("declined");
    expect((await orderOf(second.order.orderId, second.fan)).status).toBe("pending");
    expect(await seatStatus(second.eventId, "A-1-1")).toBe("held");
    expect(
      (await json(await call("GET", `/api/v1/holds/${second.hold.holdId}`, { token: second.fan }), Hold)).status,
    ).toBe("checkout");
  });

  it("confirms a payment that arrives after the hold expired while its seats are still free", async () => {
    const { order, fan, eventId, hold } = await heldAndCheckedOut({ holdSeconds: 60 });
    const stub = stubFor(eventId);
    await runInDurableObject(stub, (room) => room.skewClockForTests(60_000 + 300_000 + 1_000));
    await runDurableObjectAlarm(stub);
    expect((await json(await call("GET", `/api/v1/holds/${hold.holdId}`, { token: fan }), Hold)).status).toBe(
      "expired",
    );
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");

    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))).toBe("confirmed");
    expect((await orderOf(order.orderId, fan)).status).toBe("confirmed");
    expect(await seatStatus(eventId, "A-1-1")).toBe("sold");
  });

  it("refunds a payment that arrives after its seats were sold to someone else", async () => {
    const { order, fan, eventId } = await heldAndCheckedOut({ holdSeconds: 60 });
    const stub = stubFor(eventId);
    await runInDurableObject(stub, (room) => room.skewClockForTests(60_000 + 300_000 + 1_000));
    await runDurableObjectAlarm(stub);
    const rival = await tokenFor(unique("fan"));
    const taken = await call("POST", `/api/v1/events/${eventId}/holds`, { token: rival, body: { seatIds: ["A-1-2"] } });
    expect(taken.status).toBe(201);

    const response = await deliver(intentEvent("payment_intent.succeeded", order));
    expect(response.status).toBe(200);
    expect(await outcomeOf(response)).toBe("refunded_unfulfillable");
    const refunds = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && c.params.payment_intent === order.payment.paymentIntentId,
    );
    expect(refunds).toHaveLength(1);
    expect((await orderOf(order.orderId, fan)).status).toBe("refunded");
    expect(await seatStatus(eventId, "A-1-2")).toBe("held");
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
  });

  it("refuses bad, missing and stale signatures with 400 and changes nothing", async () => {
    const { order, fan } = await heldAndCheckedOut();
    const event = intentEvent("payment_intent.succeeded", order);
    const attempts = [
      await deliver(event, { secret: "whsec_wrong_secret_000000000000000000" }),
      await deliver(event, { signature: null }),
      await deliver(event, { signature: "t=1,v1=deadbeef" }),
      await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(400);
      await errorOf(response, "INVALID_SIGNATURE");
    }
    expect((await orderOf(order.orderId, fan)).status).toBe("pending");
    expect(await outcomeOf(deliver(event))).toBe("confirmed");
  });

  it("does not confirm a payment whose amount or currency differs from the order; Stripe's record decides", async () => {
    const { order, fan, eventId } = await heldAndCheckedOut();
    // A signed event that says 1.00 while Stripe's record says the order's amount was paid: Stripe wins.
    const other = await heldAndCheckedOut();
    await fetch(`${env.STRIPE_API_BASE}/__intents/${other.order.payment.paymentIntentId}`, {
      method: "POST",
      body: JSON.stringify({ status: "succeeded" }),
    });
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", other.order, { amount: 100 })))).toBe(
      "confirmed",
    );
    // A payment Stripe never took changes nothing.
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order, { currency: "usd" })))).toBe(
      "unchanged",
    );
    expect((await orderOf(order.orderId, fan)).status).toBe("pending");
    // Stripe really took another amount: refunded, the order fails and its seats return.
    await fetch(`${env.STRIPE_API_BASE}/__intents/${order.payment.paymentIntentId}`, {
      method: "POST",
      body: JSON.stringify({ status: "succeeded", amount: 100 }),
    });
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order, { amount: 100 })))).toBe(
      "amount_mismatch",
    );
    const after = await orderOf(order.orderId, fan);
    expect(after.status).toBe("failed");
    expect(after.tickets).toEqual([]);
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    const refunds = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && c.params.payment_intent === order.payment.paymentIntentId,
    );
    expect(refunds.map((c) => c.idempotencyKey)).toEqual([`refund-mismatch-${order.payment.paymentIntentId}`]);
  });

  it("answers 5xx when D1 fails mid-way, and the redelivery confirms exactly once", async () => {
    const { order, fan, eventId } = await heldAndCheckedOut();
    const event = intentEvent("payment_intent.succeeded", order);
    await env.DB.exec("ALTER TABLE tickets RENAME TO tickets_unavailable");
    let failed: Response;
    try {
      failed = await deliver(event);
    } finally {
      await env.DB.exec("ALTER TABLE tickets_unavailable RENAME TO tickets");
    }
    expect(failed.status).toBe(500);
    await errorOf(failed, "INTERNAL");
    expect((await orderOf(order.orderId, fan)).status).toBe("pending");
    expect(await seatStatus(eventId, "A-1-1")).toBe("sold");

    expect(await outcomeOf(deliver(event))).toBe("confirmed");
    expect(await outcomeOf(deliver(event))).toBe("duplicate");
    const confirmed = await orderOf(order.orderId, fan);
    expect(confirmed.status).toBe("confirmed");
    expect(confirmed.tickets).toHaveLength(4);
  });
});

describe("refunds", () => {
  it("an organizer's refund goes through Stripe; charge.refunded voids the tickets and frees the seats", async () => {
    const { order, fan, eventId, organizer } = await heldAndCheckedOut();
    await deliver(intentEvent("payment_intent.succeeded", order));

    const other = await tokenFor(unique("org"), ["organizer"]);
    expect((await call("POST", `/api/v1/admin/orders/${order.orderId}/refund`, { token: other })).status).toBe(403);
    expect((await call("POST", `/api/v1/admin/orders/${order.orderId}/refund`, { token: fan })).status).toBe(403);

    const response = await call("POST", `/api/v1/admin/orders/${order.orderId}/refund`, { token: organizer });
    expect(response.status).toBe(202);
    const refunds = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && c.params.payment_intent === order.payment.paymentIntentId,
    );
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.idempotencyKey).toBe(`refund-${order.orderId}`);
    expect((await json(response, Refund)).status).toBe("refunded");

    // Stripe's own event for the same refund arrives later and changes nothing.
    expect(await outcomeOf(deliver(chargeRefunded(order.payment.paymentIntentId, order.totalCents)))).toBe("unchanged");
    const refunded = await orderOf(order.orderId, fan);
    expect(refunded.status).toBe("refunded");
    expect(refunded.tickets.map((t) => t.status)).toEqual(["void", "void", "void", "void"]);
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    const floor = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=FLOOR`), SeatMap);
    expect(floor.sections[0]?.available).toBe(50);
    expect((await json(await call("GET", "/api/v1/me/tickets", { token: fan }), TicketList)).data).toEqual([]);
    const again = await call("POST", `/api/v1/admin/orders/${order.orderId}/refund`, { token: organizer });
    expect((await json(again, Refund)).status).toBe("refunded");
  });
});

/** src/payments/checkout.ts on its own: plain inputs, a result out, with the real room and D1. */
const deps = (gateway: PaymentGateway | undefined) => ({
  env,
  db: database(env.DB),
  gateway,
  log: loggerFor("test", "silent"),
});
const noProvider = () => deps(undefined);
const withProvider = () => deps(paymentGateway(env));

async function heldBy(prices?: Record<string, number>) {
  const { eventId } = await onSaleEvent(prices ? { prices } : {});
  const buyer = { id: unique("fan"), email: "fan@example.test" };
  const held = await hold(eventId, await tokenFor(buyer.id), { seatIds: ["A-1-1"] });
  return { eventId, buyer, holdId: held.holdId };
}

describe("checkout (src/payments/checkout.ts)", () => {
  it("makes one pending order and one PaymentIntent per hold, however often it is asked", async () => {
    const { eventId, buyer, holdId } = await heldBy();
    const first = await checkoutModule(withProvider(), { holdId, eventId, buyer });
    const again = await checkoutModule(withProvider(), { holdId, eventId, buyer });
    if (!first.ok || !again.ok) throw new Error(`checkout refused: ${JSON.stringify([first, again])}`);
    expect(first.value.kind).toBe("payment");
    expect(again.value).toMatchObject({ kind: "payment", order: { id: first.value.order.id } });
    if (first.value.kind !== "payment" || again.value.kind !== "payment") return;
    expect(again.value.paymentIntentId).toBe(first.value.paymentIntentId);
    expect(first.value.order).toMatchObject({ status: "pending", totalCents: 5000, userId: buyer.id });
    expect(await stubFor(eventId).getHold(holdId)).toMatchObject({ ok: true, value: { status: "checkout" } });
  });

  it("refuses anyone but the holder, and a paid hold without a payment provider, changing nothing", async () => {
    const { eventId, buyer, holdId } = await heldBy();
    const stranger = await checkoutModule(withProvider(), { holdId, eventId, buyer: { id: unique("other") } });
    expect(stranger).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const unpaid = await checkoutModule(noProvider(), { holdId, eventId, buyer });
    expect(unpaid).toMatchObject({ ok: false, error: { code: "PAYMENTS_UNAVAILABLE" } });
    expect(await findOrderByHold(database(env.DB), holdId)).toBeUndefined();
    expect(await stubFor(eventId).getHold(holdId)).toMatchObject({ ok: true, value: { status: "held" } });
  });

  it("confirms a free hold at once, without a payment provider, and answers the same on retry", async () => {
    const { eventId, buyer, holdId } = await heldBy({ A: 0, B: 0, FLOOR: 0 });
    const first = await checkoutModule(noProvider(), { holdId, eventId, buyer });
    expect(first).toMatchObject({ ok: true, value: { kind: "free" } });
    const again = await checkoutModule(noProvider(), { holdId, eventId, buyer });
    expect(again).toMatchObject({ ok: true, value: { kind: "free", order: { status: "confirmed" } } });
    expect(await findOrderByHold(database(env.DB), holdId)).toMatchObject({ status: "confirmed", totalCents: 0 });
  });
});
