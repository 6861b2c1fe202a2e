import { describe, expect, it } from "vitest";
import { WebhookReceipt } from "../../src/contract/responses";
import { json } from "./helpers";
import { adminRefund, bought, fan, onSaleEvent, orderOf, refundEvent, retrieveIntent, stripeFault } from "./money";
import { deliver } from "./payments";

/** Refunds racing webhooks and each other: D1's refunded total is always Stripe's. */

/** A confirmed order: seats A-1-1, A-1-2 (5000 each) and two FLOOR places (2000 each) = 14000. */
async function confirmedOrder() {
  const fixture = await onSaleEvent();
  const shopper = await fan();
  const { order, view } = await bought(fixture.eventId, shopper, {
    seatIds: ["A-1-1", "A-1-2"],
    ga: [{ sectionId: "FLOOR", quantity: 2 }],
  });
  const ticketOf = (seatId: string) => {
    const found = view.tickets.find((t) => t.seatId === seatId);
    if (!found) throw new Error(`no ticket for ${seatId}`);
    return found.ticketId;
  };
  return { ...fixture, shopper, order, ticketOf, pi: order.payment.paymentIntentId };
}

/** Waits until Stripe's record shows `cents` refunded (the test server records before it answers). */
async function stripeHasRefunded(pi: string, cents: number) {
  for (let i = 0; i < 200; i++) {
    if ((await retrieveIntent(pi)).latest_charge.amount_refunded >= cents) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Stripe never recorded ${cents} refunded for ${pi}`);
}

describe("Stripe is the truth for refunded money", () => {
  it("a charge.refunded that lands while the organizer's ticket refund waits on Stripe is not counted twice", async () => {
    const { order, shopper, organizer, pi, ticketOf } = await confirmedOrder();
    await stripeFault({ match: "/v1/refunds", delayMs: 400 });
    const refunding = adminRefund(order.orderId, organizer, { ticketIds: [ticketOf("A-1-1")] });
    await stripeHasRefunded(pi, 5000);
    const webhook = refundEvent("charge.refunded", pi, 5000, 5000, order.totalCents);
    expect((await json(await deliver(webhook), WebhookReceipt)).outcome).toBe("partially_refunded");
    const answer = await refunding;
    expect(answer.status).toBe(202);

    const afterTicket = await orderOf(order.orderId, shopper);
    expect(afterTicket).toMatchObject({ status: "partially_refunded", refundedCents: 5000 });
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(5000);

    // The rest: the buyer gets every remaining cent back, and D1 says what Stripe says.
    const rest = await adminRefund(order.orderId, organizer);
    expect(rest.status).toBe(202);
    const refunded = await orderOf(order.orderId, shopper);
    expect(refunded).toMatchObject({ status: "refunded", refundedCents: order.totalCents });
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    expect(refunded.tickets.every((t) => t.status === "void")).toBe(true);
  });

  it("overlapping ticket refunds ({t1} and {t1,t2} at once) refund t1 once at Stripe", async () => {
    const { order, shopper, organizer, pi, ticketOf } = await confirmedOrder();
    const t1 = ticketOf("A-1-1");
    const t2 = ticketOf("A-1-2");
    await stripeFault({ match: "/v1/refunds", delayMs: 150, times: 2 });
    const answers = await Promise.all([
      adminRefund(order.orderId, organizer, { ticketIds: [t1] }),
      adminRefund(order.orderId, organizer, { ticketIds: [t1, t2] }),
      adminRefund(order.orderId, organizer, { ticketIds: [t1] }),
    ]);
    for (const answer of answers) expect(answer.status).toBe(202);
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(10000);
    const after = await orderOf(order.orderId, shopper);
    expect(after).toMatchObject({ status: "partially_refunded", refundedCents: 10000 });
    const statusOf = (id: string) => after.tickets.find((t) => t.ticketId === id)?.status;
    expect([statusOf(t1), statusOf(t2)]).toEqual(["void", "void"]);
    expect(after.tickets.filter((t) => t.status === "valid")).toHaveLength(2);
  });
});
