import { describe, expect, it } from "vitest";
import { OrganizerOrderList } from "../../src/contract/organizer";
import { OrderList } from "../../src/contract/responses";
import { ORDER_NUMBER } from "../../src/domain/order-numbers";
import { call, createEvent, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { bought, checkedOut, orderOf, retrieveIntent } from "./money";
import { fanWithEmail, waitForOutbox } from "./outbox";
import { deliver, intentEvent, outcomeOf } from "./payments";

/** Adult and Child, a per-ticket and a per-order fee, 10% tax added. */
const PRICED = {
  ticketTypes: [
    { id: "adult", name: "Adult", prices: { "*": 4000 } },
    { id: "child", name: "Child", prices: { "*": 2000 } },
  ],
  fees: [
    { name: "Service", kind: "per_ticket", amount: 250 },
    { name: "Order", kind: "per_order", amount: 100 },
  ],
  tax: { name: "Sales tax", ratePercent: 10, included: false },
};

const html = { accept: "text/html" };

/** The receipt's total as the page states it (`data-total-cents`). */
const totalOnReceipt = (page: string) => Number(/data-total-cents="(\d+)"/.exec(page)?.[1]);

describe("order numbers and invoice numbers", { timeout: 30_000 }, () => {
  it("every order carries an order number; a paid one its lines' breakdown and the next invoice number", async () => {
    const { eventId } = await onSaleEvent(PRICED);
    const fan = await tokenFor(unique("fan"));
    const { order, view } = await bought(eventId, fan, {
      seats: [
        { seatId: "A-1-1", ticketType: "adult" },
        { seatId: "A-1-2", ticketType: "child" },
      ],
    });
    expect(view.orderNumber).toMatch(ORDER_NUMBER);
    // A fresh organizer's first paid order.
    expect(view.invoiceNumber).toBe(1);
    // adult: 4000 + 250, +425 tax; child: 2000 + 250, +225; the order fee 100, +10.
    expect(view.items).toEqual([
      {
        seatId: "A-1-1",
        quantity: 1,
        priceCents: 4675,
        ticketType: "adult",
        breakdown: { baseCents: 4000, feesCents: 250, taxCents: 425 },
      },
      {
        seatId: "A-1-2",
        quantity: 1,
        priceCents: 2475,
        ticketType: "child",
        breakdown: { baseCents: 2000, feesCents: 250, taxCents: 225 },
      },
    ]);
    expect(view.orderFee).toEqual({ priceCents: 110, breakdown: { baseCents: 0, feesCents: 100, taxCents: 10 } });
    expect(view.totalCents).toBe(4675 + 2475 + 110);
    const mine = await json(await call("GET", "/api/v1/me/orders", { token: fan }), OrderList);
    expect(mine.data.find((o) => o.orderId === order.orderId)?.orderNumber).toBe(view.orderNumber);
  });

  it("numbers an organizer's paid orders 1, 2, 3 without gaps, across events, however often Stripe redelivers", async () => {
    const { organizer, venueId, eventId } = await onSaleEvent();
    const second = await createEvent(organizer, venueId);
    const fan = await tokenFor(unique("fan"));
    const unpaid = await checkedOut(eventId, fan, { seatIds: ["B-1-1"] });
    const paying = await Promise.all([
      checkedOut(eventId, fan, { seatIds: ["A-1-1"] }),
      checkedOut(second.eventId, fan, { seatIds: ["A-1-1"] }),
      checkedOut(eventId, fan, { ga: [{ sectionId: "FLOOR", quantity: 2 }] }),
    ]);
    const events = paying.map(({ order }) => intentEvent("payment_intent.succeeded", order));
    expect(await Promise.all(events.map((e) => outcomeOf(deliver(e))))).toEqual([
      "confirmed",
      "confirmed",
      "confirmed",
    ]);
    // Redelivered: the same answer, no new number.
    await Promise.all(events.map((e) => deliver(e)));
    const numbers = await Promise.all(
      paying.map(async ({ order }) => (await orderOf(order.orderId, fan)).invoiceNumber),
    );
    expect([...numbers].sort()).toEqual([1, 2, 3]);
    // A pending order has none yet, and takes the next one when it is paid.
    expect((await orderOf(unpaid.order.orderId, fan)).invoiceNumber).toBeNull();
    expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", unpaid.order)))).toBe("confirmed");
    expect((await orderOf(unpaid.order.orderId, fan)).invoiceNumber).toBe(4);
    const numbersOf = new Set(
      await Promise.all([...paying, unpaid].map(async ({ order }) => (await orderOf(order.orderId, fan)).orderNumber)),
    );
    expect(numbersOf.size).toBe(4);
  });

  it("the organizer finds an order by its number (any case, with or without ORD-) and exports it", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const { view } = await bought(eventId, fan, { seatIds: ["A-1-3"] });
    await bought(eventId, fan, { seatIds: ["A-1-4"] });
    const bare = view.orderNumber.slice(4);
    for (const q of [view.orderNumber, view.orderNumber.toLowerCase(), bare.replace("-", ""), bare.slice(0, 4)]) {
      const found = await json(
        await call("GET", `/api/v1/admin/events/${eventId}/orders?q=${encodeURIComponent(q)}`, { token: organizer }),
        OrganizerOrderList,
      );
      expect(
        found.data.map((o) => o.orderNumber),
        q,
      ).toContain(view.orderNumber);
      if (q.length > 4) expect(found.data, q).toHaveLength(1);
      expect(found.data.find((o) => o.orderId === view.orderId)?.invoiceNumber).toBe(view.invoiceNumber);
    }
    const csv = await (
      await call("GET", `/api/v1/admin/events/${eventId}/orders.csv?q=${view.orderNumber}`, { token: organizer })
    ).text();
    const [header, row] = csv.trim().split("\r\n");
    const cells = Object.fromEntries(header!.split(",").map((h, i) => [h, row!.split(",")[i]]));
    expect(cells).toMatchObject({ orderId: view.orderId, orderNumber: view.orderNumber, invoiceNumber: "1" });
  });
});

describe("the receipt page", { timeout: 30_000 }, () => {
  it("shows the buyer each line's breakdown and a total equal to what the payment took", async () => {
    const { eventId } = await onSaleEvent(PRICED);
    const fan = await tokenFor(unique("fan"));
    const { view } = await bought(eventId, fan, {
      seats: [{ seatId: "A-2-1", ticketType: "adult" }],
      ga: [{ sectionId: "FLOOR", quantity: 1, ticketType: "child" }],
    });
    const page = await call("GET", `/orders/${view.orderId}/receipt`, { token: fan, headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toMatch(/no-store/);
    const text = await page.text();
    expect(text).toContain(view.orderNumber);
    expect(text).toMatch(/id="invoice-number">1</);
    expect(text).toContain("Adult");
    expect(text).toContain("Child");
    expect(text).toContain("Sales tax (10%)");
    // The lines add up to the total, and the total is what the PaymentIntent charged.
    const lines = [...text.matchAll(/data-line-total="(\d+)"/g)].map((m) => Number(m[1]));
    expect(lines.reduce((a, b) => a + b, 0)).toBe(totalOnReceipt(text));
    const intent = await retrieveIntent(view.payment.paymentIntentId!);
    expect(totalOnReceipt(text)).toBe(intent.amount);
    expect(totalOnReceipt(text)).toBe(4675 + 2475 + 110);
  });

  it("is the buyer's and a ticket link holder's only: anyone else gets what an unknown order gets", async () => {
    const buyer = await fanWithEmail("receipt");
    const { eventId } = await onSaleEvent();
    const { view } = await bought(eventId, buyer.token, { seatIds: ["A-3-1"] });
    const path = `/orders/${view.orderId}/receipt`;

    const stranger = await tokenFor(unique("fan"));
    const refused = await call("GET", path, { token: stranger, headers: html });
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(view.orderNumber);
    await errorOf(await call("GET", path, { token: stranger }), "NOT_FOUND");
    await errorOf(await call("GET", `/orders/ord_nosuchorder/receipt`, { token: stranger }), "NOT_FOUND");
    await errorOf(await call("GET", path), "UNAUTHENTICATED");

    // The ticket mail's link opens the receipt of its order without signing in.
    const [mail] = await waitForOutbox(buyer.email);
    const link = /\/t\/([A-Za-z0-9_.-]+)\?k=([A-Za-z0-9_-]+)/.exec(mail!.text);
    expect(link).not.toBeNull();
    const [, ticketId, key] = link!;
    const opened = await call("GET", `${path}?t=${ticketId}&k=${key}`, { headers: html });
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain(view.orderNumber);
    for (const wrong of [`?t=${ticketId}&k=${key!.slice(0, -2)}AA`, `?t=tkt_other&k=${key}`, `?t=${ticketId}`]) {
      expect((await call("GET", `${path}${wrong}`, { headers: html })).status, wrong).not.toBe(200);
    }
    // The mail names the order number, and its receipt link opens the same page without signing in.
    expect(mail!.text).toContain(view.orderNumber);
    const receiptLink = /https?:\/\/[^\s]+(\/orders\/[^\s]+\/receipt\?t=[^\s]+)/.exec(mail!.text);
    expect(receiptLink).not.toBeNull();
    const fromMail = await call("GET", receiptLink![1]!, { headers: html });
    expect(fromMail.status).toBe(200);
    expect(totalOnReceipt(await fromMail.text())).toBe(view.totalCents);
    // Another order's ticket link does not open this receipt.
    const other = await bought(eventId, buyer.token, { seatIds: ["A-3-2"] });
    const otherPath = `/orders/${other.view.orderId}/receipt?t=${ticketId}&k=${key}`;
    expect((await call("GET", otherPath, { headers: html })).status).toBe(404);
  });
});
