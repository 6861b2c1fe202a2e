import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStats, HoldCreated, WebhookReceipt } from "../../src/contract/responses";
import { call, json, unique } from "./helpers";
import {
  adminRefund,
  bought,
  fan,
  floorAvailable,
  onSaleEvent,
  orderOf,
  refundEvent,
  retrieveIntent,
  scan,
  scannerToken,
  seatStatus,
  stripeFault,
} from "./money";
import { chargeRefunded, checkout, deliver, intentEvent, PendingCheckout, stripeCalls } from "./payments";

const outcomeOf = async (event: object) => (await json(await deliver(event), WebhookReceipt)).outcome;

const refundsOf = async (paymentIntentId: string) =>
  (await stripeCalls()).filter((c) => c.path === "/v1/refunds" && c.params.payment_intent === paymentIntentId);

/** A confirmed order: seats A-1-1, A-1-2 (5000 each) and two FLOOR places (2000 each) = 14000. */
async function confirmedOrder() {
  const fixture = await onSaleEvent();
  const shopper = await fan();
  const { order, view, hold } = await bought(fixture.eventId, shopper, {
    seatIds: ["A-1-1", "A-1-2"],
    ga: [{ sectionId: "FLOOR", quantity: 2 }],
  });
  return { ...fixture, shopper, order, view, hold, pi: order.payment.paymentIntentId };
}

describe("refunds made at Stripe", () => {
  it("a partial charge.refunded keeps the order confirmed and its tickets; refundedCents is Stripe's total", async () => {
    const { order, shopper, eventId, pi } = await confirmedOrder();
    const partial = refundEvent("charge.refunded", pi, 100, 100, order.totalCents);
    expect(await outcomeOf(partial)).toBe("partially_refunded");
    const after = await orderOf(order.orderId, shopper);
    expect(after).toMatchObject({ status: "confirmed", refundedCents: 100 });
    expect(after.tickets.map((t) => t.status)).toEqual(["valid", "valid", "valid", "valid"]);
    expect(await seatStatus(eventId, "A-1-1")).toBe("sold");
    // Out of order: an older, smaller total never lowers it.
    await deliver(refundEvent("charge.refunded", pi, 50, 50, order.totalCents));
    expect((await orderOf(order.orderId, shopper)).refundedCents).toBe(100);
    const full = refundEvent("charge.refunded", pi, order.totalCents - 100, order.totalCents, order.totalCents);
    expect(await outcomeOf(full)).toBe("refunded");
    const refunded = await orderOf(order.orderId, shopper);
    expect(refunded).toMatchObject({ status: "refunded", refundedCents: order.totalCents });
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    expect(await floorAvailable(eventId)).toBe(50);
  });

  it("refund.updated takes the refunded total from Stripe's record, not a sum of events", async () => {
    const { order, shopper, pi } = await confirmedOrder();
    // A dashboard refund of 1.00 at Stripe, then its event delivered twice under two ids.
    await fetch(`${env.STRIPE_API_BASE}/v1/refunds`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_local", "content-type": "application/x-www-form-urlencoded" },
      body: `payment_intent=${pi}&amount=100`,
    });
    for (let i = 0; i < 2; i++) {
      const event = refundEvent("refund.updated", pi, 100, 0, order.totalCents);
      expect(await outcomeOf(event)).toBe("partially_refunded");
    }
    const after = await orderOf(order.orderId, shopper);
    expect(after).toMatchObject({ status: "confirmed", refundedCents: 100 });
  });

  it("seats never stay sold: succeeded, D1 fails, charge.refunded, then the retry of succeeded", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const held = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: shopper, body: { seatIds: ["B-2-1"] } }),
      HoldCreated,
    );
    const { body: order } = await checkout(held.holdId, shopper, { "idempotency-key": unique("co") }, PendingCheckout);
    const succeeded = intentEvent("payment_intent.succeeded", order);
    await env.DB.exec("ALTER TABLE tickets RENAME TO tickets_gone");
    let failed: Response;
    try {
      failed = await deliver(succeeded);
    } finally {
      await env.DB.exec("ALTER TABLE tickets_gone RENAME TO tickets");
    }
    expect(failed.status).toBe(500);
    expect(await seatStatus(eventId, "B-2-1")).toBe("sold");
    expect(await outcomeOf(chargeRefunded(order.payment.paymentIntentId, order.totalCents))).toBe("refunded");
    expect(await seatStatus(eventId, "B-2-1")).toBe("available");
    expect(await outcomeOf(succeeded)).toBe("unchanged");
    expect(await seatStatus(eventId, "B-2-1")).toBe("available");
    const after = await orderOf(order.orderId, shopper);
    expect(after.status).toBe("refunded");
    expect(after.tickets).toEqual([]);
  });

  it("storm: refunds racing their payments end refunded, with every seat back and no valid ticket", async () => {
    const { eventId } = await onSaleEvent();
    const orders = [];
    for (let i = 1; i <= 10; i++) {
      const shopper = await fan();
      const held = await json(
        await call("POST", `/api/v1/events/${eventId}/holds`, { token: shopper, body: { seatIds: [`A-3-${i}`] } }),
        HoldCreated,
      );
      const { body: order } = await checkout(
        held.holdId,
        shopper,
        { "idempotency-key": unique("co") },
        PendingCheckout,
      );
      orders.push({ shopper, order });
    }
    await Promise.all(
      orders.flatMap(({ order }) => [
        deliver(intentEvent("payment_intent.succeeded", order)),
        deliver(chargeRefunded(order.payment.paymentIntentId, order.totalCents)),
        deliver(intentEvent("payment_intent.succeeded", order)),
      ]),
    );
    // Whatever interleaving happened, redeliveries settle it; then invariant 4 holds.
    for (const { order } of orders) {
      await deliver(intentEvent("payment_intent.succeeded", order));
      await deliver(chargeRefunded(order.payment.paymentIntentId, order.totalCents));
    }
    for (let i = 0; i < orders.length; i++) {
      const { order, shopper } = orders[i]!;
      const after = await orderOf(order.orderId, shopper);
      expect(after.status).toBe("refunded");
      expect(after.tickets.every((t) => t.status === "void")).toBe(true);
      expect(await seatStatus(eventId, `A-3-${i + 1}`)).toBe("available");
    }
    // 30 webhooks at once: on the shared two-core machine this alone took over vitest's 5 s default.
  }, 30_000);
});

describe("organizer refunds", () => {
  it("refund named tickets at their prices: those void, their seats back, partially_refunded; then the rest", async () => {
    const { order, view, shopper, organizer, eventId, pi } = await confirmedOrder();
    const seat = view.tickets.find((t) => t.seatId === "A-1-1")!;
    const place = view.tickets.find((t) => t.sectionId === "FLOOR")!;
    const partial = await adminRefund(order.orderId, organizer, { ticketIds: [seat.ticketId, place.ticketId] });
    expect(partial.status).toBe(202);
    expect(partial.body).toMatchObject({ orderId: order.orderId, status: "partially_refunded", refundedCents: 7000 });
    // A retry refunds nothing twice.
    const retry = await adminRefund(order.orderId, organizer, { ticketIds: [seat.ticketId, place.ticketId] });
    expect(retry.body).toMatchObject({ status: "partially_refunded", refundedCents: 7000 });
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(7000);
    // One Stripe refund per ticket, each keyed by its ticket: overlaps cannot pay twice.
    const asked = await refundsOf(pi);
    expect(asked.map((c) => c.params.amount).sort()).toEqual(["2000", "5000"]);
    expect(new Set(asked.map((c) => c.idempotencyKey)).size).toBe(2);

    const after = await orderOf(order.orderId, shopper);
    expect(after.status).toBe("partially_refunded");
    const statusOf = (id: string) => after.tickets.find((t) => t.ticketId === id)?.status;
    expect(statusOf(seat.ticketId)).toBe("void");
    expect(statusOf(place.ticketId)).toBe("void");
    expect(after.tickets.filter((t) => t.status === "valid")).toHaveLength(2);
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    expect(await seatStatus(eventId, "A-1-2")).toBe("sold");
    expect(await floorAvailable(eventId)).toBe(49);
    const gate = await scannerToken();
    expect((await scan(gate, { eventId, code: seat.code })).result).toBe("void");

    // Stripe's own event for that partial refund changes nothing further.
    await deliver(refundEvent("charge.refunded", pi, 7000, 7000, order.totalCents));
    expect((await orderOf(order.orderId, shopper)).status).toBe("partially_refunded");

    const rest = await adminRefund(order.orderId, organizer);
    expect(rest.body).toMatchObject({ status: "refunded", refundedCents: order.totalCents });
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    expect(await seatStatus(eventId, "A-1-2")).toBe("available");
    expect(await floorAvailable(eventId)).toBe(50);
    const stats = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(stats).toMatchObject({ sold: 0, revenueCents: 0 });
  });

  it("refuses tickets of another order and bodies that are not a ticket list", async () => {
    const { order, organizer, shopper } = await confirmedOrder();
    const other = await confirmedOrder();
    const foreign = await adminRefund(order.orderId, organizer, { ticketIds: [other.view.tickets[0]!.ticketId] });
    expect(foreign.status).toBe(404);
    expect((await adminRefund(order.orderId, organizer, { ticketIds: "all" })).status).toBe(400);
    expect((await adminRefund(order.orderId, organizer, { ticketIds: [] })).status).toBe(400);
    const raw = await call("POST", `/api/v1/admin/orders/${order.orderId}/refund`, {
      token: organizer,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(raw.status).toBe(400);
    expect((await orderOf(order.orderId, shopper)).status).toBe("confirmed");
  });

  it("Stripe answering 500, then timing out: nothing changes until it works, and nothing is refunded twice", async () => {
    const { order, organizer, shopper, pi, eventId } = await confirmedOrder();
    await stripeFault({ match: pi, status: 500, times: 3 });
    const failed = await adminRefund(order.orderId, organizer);
    expect(failed.status).toBe(500);
    expect((await orderOf(order.orderId, shopper)).status).toBe("confirmed");
    expect(await seatStatus(eventId, "A-1-1")).toBe("sold");

    // The next try: Stripe does the refund but answers too late; the SDK retries with the same key.
    await stripeFault({ match: pi, delayMs: 3_000, times: 1 });
    const slow = await adminRefund(order.orderId, organizer);
    expect(slow.status).toBe(202);
    expect(slow.body).toMatchObject({ status: "refunded" });
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    const keys = new Set((await refundsOf(pi)).map((c) => c.idempotencyKey));
    expect([...keys]).toEqual([`refund-${order.orderId}`]);
    // A 3 s Stripe delay by design leaves little of vitest's 5 s default on a busy machine.
  }, 20_000);
});
