import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WebhookReceipt } from "../../src/contract/responses";
import { json, unique } from "./helpers";
import { adminRefund, bought, fan, onSaleEvent, orderOf, retrieveIntent, stripeFault } from "./money";
import { deliver } from "./payments";

/** A refund that fails later at Stripe is made again: the buyer never ends with neither money nor tickets. */

const failAtStripe = (paymentIntentId: string, amount: number) =>
  fetch(`${env.STRIPE_API_BASE}/__refunds/fail`, {
    method: "POST",
    body: JSON.stringify({ payment_intent: paymentIntentId, amount }),
  });

function refundFailed(
  type: "refund.updated" | "refund.failed",
  paymentIntentId: string,
  refundId: string,
  amount: number,
) {
  return {
    id: `evt_test_${unique("rf")}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: refundId, object: "refund", payment_intent: paymentIntentId, status: "failed", amount } },
  };
}

describe("a refund that fails after Stripe accepted it", () => {
  it("is asked for again, once however often it is announced, and D1 follows Stripe's total", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await bought(eventId, shopper, { seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }] });
    const pi = order.payment.paymentIntentId;
    expect((await adminRefund(order.orderId, organizer)).status).toBe(202);
    expect((await orderOf(order.orderId, shopper)).status).toBe("refunded");

    await failAtStripe(pi, order.totalCents);
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(0);
    const first = await deliver(refundFailed("refund.updated", pi, "re_failed_1", order.totalCents));
    expect((await json(first, WebhookReceipt)).outcome).toBe("refund_reissued");
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    // Announced again (refund.failed, another event id): the same refund is not paid twice.
    await deliver(refundFailed("refund.failed", pi, "re_failed_1", order.totalCents));
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    expect(await orderOf(order.orderId, shopper)).toMatchObject({
      status: "refunded",
      refundedCents: order.totalCents,
    });
  });

  it("when Stripe refuses the new refund: 5xx so Stripe redelivers, D1 shows the gap meanwhile", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await bought(eventId, shopper, { seatIds: ["A-1-1"] });
    const pi = order.payment.paymentIntentId;
    expect((await adminRefund(order.orderId, organizer)).status).toBe(202);
    await failAtStripe(pi, order.totalCents);

    await stripeFault({ match: "/v1/refunds", status: 400, times: 1 });
    const event = refundFailed("refund.failed", pi, "re_failed_2", order.totalCents);
    const refused = await deliver(event);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect((await orderOf(order.orderId, shopper)).refundedCents).toBe(0);

    const redelivered = await deliver(event);
    expect((await json(redelivered, WebhookReceipt)).outcome).toBe("refund_reissued");
    expect((await retrieveIntent(pi)).latest_charge.amount_refunded).toBe(order.totalCents);
    expect((await orderOf(order.orderId, shopper)).refundedCents).toBe(order.totalCents);
  });
});
