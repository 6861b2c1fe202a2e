import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Checkout, Hold, OrderList, Ticket, TicketList, WebhookReceipt } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { BASE, call, errorOf, json, tokenFor, unique } from "./helpers";
import { bought, checkedOut, fan, hold, onSaleEvent, orderOf, scan, scannerToken, seatStatus } from "./money";
import { checkout, deliver, intentEvent, stripeCalls } from "./payments";

/** A ticket as its new owner gets it from a transfer: with its code. */
const OwnTicket = Ticket.extend({ code: z.string() });

describe("order views show only what the caller holds", () => {
  it("a ticket transferred away shows as transferred, with no code, in every view of the sender", async () => {
    const { eventId } = await onSaleEvent();
    const aliceId = unique("alice");
    const alice = await tokenFor(aliceId);
    const bobId = unique("bob");
    const bob = await tokenFor(bobId);
    const { order, view } = await bought(eventId, alice, { seatIds: ["A-1-1", "A-1-2"] });
    const given = view.tickets.find((t) => t.seatId === "A-1-1")!;
    const response = await call("POST", `/api/v1/tickets/${given.ticketId}/transfer`, {
      token: alice,
      body: { toUserId: bobId },
    });
    expect(response.status).toBe(201);
    const bobs = await json(response, OwnTicket);

    const after = await orderOf(order.orderId, alice);
    expect(after.tickets).toHaveLength(2);
    expect(after.tickets).toContainEqual({ ticketId: given.ticketId, status: "transferred" });
    const serialized = JSON.stringify(after);
    expect(serialized).not.toContain(bobs.code);
    expect(serialized).not.toContain(bobs.ticketId);
    const listed = JSON.stringify(await json(await call("GET", "/api/v1/me/orders", { token: alice }), OrderList));
    expect(listed).not.toContain(bobs.code);
    expect(listed).toContain('"transferred"');
    const page = await (await call("GET", `/orders/${order.orderId}`, { token: alice })).text();
    expect(page).not.toContain(bobs.code);

    // Alice has no way to the new code, so Bob is the one admitted.
    const gate = await scannerToken();
    expect((await scan(gate, { eventId, code: given.code })).result).toBe("void");
    expect((await scan(gate, { eventId, code: bobs.code })).result).toBe("admitted");
    const mine = await json(await call("GET", "/api/v1/me/tickets", { token: bob }), TicketList);
    expect(mine.data.map((t) => t.ticketId)).toEqual([bobs.ticketId]);
  });

  it("lists a pending order's items from checkout on", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, {
      seatIds: ["B-1-1"],
      ga: [{ sectionId: "FLOOR", quantity: 2 }],
    });
    const pending = await orderOf(order.orderId, shopper);
    expect(pending.status).toBe("pending");
    expect(pending.items).toEqual([
      { seatId: "B-1-1", quantity: 1, priceCents: 3000 },
      { sectionId: "FLOOR", quantity: 2, priceCents: 2000 },
    ]);
    expect(pending.items.reduce((n, i) => n + i.quantity * i.priceCents, 0)).toBe(pending.totalCents);
    expect(pending.refundedCents).toBe(0);
  });

  it("lists more than 100 orders (D1 binds at most 100 parameters)", async () => {
    const userId = unique("collector");
    const now = Date.now();
    const statements = [];
    for (let i = 0; i < 130; i++) {
      const id = `ord_bulk${i}x${now.toString(36)}`;
      statements.push(
        env.DB.prepare(
          "INSERT INTO orders (id, user_id, event_id, hold_id, status, total_cents, currency, created_at, updated_at) VALUES (?, ?, 'evt_bulk', ?, 'confirmed', 100, 'EUR', ?, ?)",
        ).bind(id, userId, `hld_bulk_${id}`, now + i, now + i),
        env.DB.prepare(
          "INSERT INTO order_items (id, order_id, section_id, quantity, price_cents) VALUES (?, ?, 'FLOOR', 1, 100)",
        ).bind(`itm_${id}`, id),
      );
    }
    await env.DB.batch(statements);
    const response = await call("GET", "/api/v1/me/orders", { token: await tokenFor(userId) });
    expect(response.status).toBe(200);
    const body = await json(response, OrderList);
    expect(body.data).toHaveLength(130);
    expect(body.data.every((o) => o.items.length === 1)).toBe(true);
  });
});

describe("free orders", () => {
  it("confirm at checkout without Stripe, with tickets, and the same answer on retry", async () => {
    const { eventId } = await onSaleEvent({ prices: { A: 0, B: 3000, FLOOR: 0 } });
    const shopper = await fan();
    const held = await hold(eventId, shopper, { seatIds: ["A-3-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }] });
    const first = await checkout(held.holdId, shopper, { "idempotency-key": unique("co") }, Checkout);
    expect(first.response.status).toBe(201);
    expect(first.body).toMatchObject({ status: "confirmed", totalCents: 0, payment: null });
    const again = await checkout(held.holdId, shopper, { "idempotency-key": unique("co") }, Checkout);
    expect(again.body).toEqual(first.body);
    const order = await orderOf(first.body.orderId, shopper);
    expect(order.status).toBe("confirmed");
    expect(order.tickets).toHaveLength(2);
    expect(await seatStatus(eventId, "A-3-1")).toBe("sold");
    const intents = (await stripeCalls()).filter((c) => c.params.metadata?.holdId === held.holdId);
    expect(intents).toEqual([]);
  });

  it("a free checkout cut short by D1 finishes on retry, never selling the seat without a ticket", async () => {
    const { eventId } = await onSaleEvent({ prices: { A: 0, B: 3000, FLOOR: 0 } });
    const shopper = await fan();
    const held = await hold(eventId, shopper, { seatIds: ["A-3-2"] });
    await env.DB.exec("ALTER TABLE tickets RENAME TO tickets_away");
    let failed: { response: Response };
    try {
      failed = await checkout(held.holdId, shopper, { "idempotency-key": unique("co") });
    } finally {
      await env.DB.exec("ALTER TABLE tickets_away RENAME TO tickets");
    }
    expect(failed.response.status).toBe(500);
    const retry = await checkout(held.holdId, shopper, { "idempotency-key": unique("co") }, Checkout);
    expect(retry.body).toMatchObject({ status: "confirmed", payment: null });
    expect((await orderOf(retry.body.orderId, shopper)).tickets).toHaveLength(1);
  });

  it("a price above 0 but below Stripe's minimum charge is refused when the event is set up", async () => {
    const fixture = await onSaleEvent();
    const response = await call("POST", "/api/v1/admin/events", {
      token: fixture.organizer,
      body: {
        venueId: fixture.venueId,
        title: "Cheap",
        category: "concert",
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        onSaleAt: new Date(Date.now() - 60_000).toISOString(),
        currency: "EUR",
        prices: { A: 10, B: 0, FLOOR: 50 },
      },
    });
    expect(response.status).toBe(400);
    const body = await errorOf(response, "VALIDATION_FAILED");
    expect(body.error.issues?.map((i) => i.path)).toEqual(["prices.A"]);
    const edit = await call("PATCH", `/api/v1/admin/events/${fixture.eventId}`, {
      token: fixture.organizer,
      body: { prices: { A: 1, B: 3000, FLOOR: 2000 } },
    });
    expect(edit.status).toBe(400);
  });
});

describe("payments outside development", () => {
  it("checkout without a Stripe key answers 503 PAYMENTS_UNAVAILABLE and changes nothing", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const held = await hold(eventId, shopper, { seatIds: ["A-2-5"] });
    const production = { ...env, STRIPE_SECRET_KEY: "", ENVIRONMENT: "production" } as Env;
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`${BASE}/api/v1/holds/${held.holdId}/checkout`, {
        method: "POST",
        headers: { authorization: `Bearer ${shopper}`, "idempotency-key": unique("co") },
      }),
      production,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    await errorOf(response, "PAYMENTS_UNAVAILABLE");
    expect((await json(await call("GET", `/api/v1/holds/${held.holdId}`, { token: shopper }), Hold)).status).toBe(
      "held",
    );
  });
});

describe("a declined card keeps the hold", () => {
  it("stays pending with lastPaymentError; a rival cannot take the seats; the retry confirms", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, { seatIds: ["A-1-5"] });
    const failed = intentEvent("payment_intent.payment_failed", order);
    const declined = {
      ...failed,
      data: { object: { ...failed.data.object, last_payment_error: { message: "Your card was declined." } } },
    };
    expect((await json(await deliver(declined), WebhookReceipt)).outcome).toBe("declined");
    const pending = await orderOf(order.orderId, shopper);
    expect(pending).toMatchObject({ status: "pending", lastPaymentError: "Your card was declined." });
    expect(await seatStatus(eventId, "A-1-5")).toBe("held");
    const rival = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: await fan(),
      body: { seatIds: ["A-1-5"] },
    });
    expect(rival.status).toBe(409);
    expect((await json(await deliver(intentEvent("payment_intent.succeeded", order)), WebhookReceipt)).outcome).toBe(
      "confirmed",
    );
    const confirmed = await orderOf(order.orderId, shopper);
    expect(confirmed.status).toBe("confirmed");
    expect(confirmed.lastPaymentError).toBeUndefined();
  });
});
