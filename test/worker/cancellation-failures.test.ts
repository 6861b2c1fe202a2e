import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStats } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { call, json } from "./helpers";
import { bought, fan, onSaleEvent, orderOf, retrieveIntent, stripeFault } from "./money";
import { stripeCalls } from "./payments";

/** A cancelled event's refunds do not stall behind one that Stripe refuses. */

async function cron() {
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" });
  await (worker as ExportedHandler<Env>).scheduled!(controller, env, createExecutionContext());
}

async function cancellation(eventId: string, organizer: string) {
  const stats = await json(
    await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
    EventStats,
  );
  if (!stats.cancellation) throw new Error("a cancelled event's stats have no cancellation");
  return stats.cancellation;
}

const refundCalls = async (pi: string) =>
  (await stripeCalls()).filter((c) => c.path === "/v1/refunds" && c.params.payment_intent === pi).length;

describe("cancelling an event whose refunds Stripe refuses", () => {
  it("refunds everyone else, dead-letters the refusal with its reason, and never retries it", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const buyers = [];
    for (const seat of ["A-1-1", "A-1-2", "A-1-3", "A-1-4"]) {
      const shopper = await fan();
      buyers.push({ shopper, ...(await bought(eventId, shopper, { seatIds: [seat] })) });
    }
    // The oldest order's charge is disputed: Stripe answers 400 for good; the second fails once (500s).
    const disputed = buyers[0]!;
    const flaky = buyers[1]!;
    await stripeFault({ match: disputed.order.payment.paymentIntentId, status: 400, times: 50 });
    await stripeFault({ match: flaky.order.payment.paymentIntentId, status: 500, times: 3 });

    const cancelled = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { action: "cancel" },
    });
    expect(cancelled.status).toBe(200);

    for (const { order, shopper } of buyers.slice(2)) {
      expect((await orderOf(order.orderId, shopper)).status).toBe("refunded");
      expect((await retrieveIntent(order.payment.paymentIntentId)).latest_charge.amount_refunded).toBe(
        order.totalCents,
      );
    }
    const progress = await cancellation(eventId, organizer);
    expect(progress).toMatchObject({ refunded: 2, ordersToRefund: 2 });
    const failed = Object.fromEntries(progress.failed.map((f) => [f.orderId, f]));
    expect(failed[disputed.order.orderId]).toMatchObject({ retrying: false });
    expect(failed[disputed.order.orderId]!.reason).toContain("injected fault");
    expect(failed[flaky.order.orderId]).toMatchObject({ retrying: true });

    // The next pass retries the one that failed for a while, and not the refused one (dead-lettered).
    const asked = await refundCalls(disputed.order.payment.paymentIntentId);
    await cron();
    expect((await orderOf(flaky.order.orderId, flaky.shopper)).status).toBe("refunded");
    expect(await refundCalls(disputed.order.payment.paymentIntentId)).toBe(asked);
    expect((await orderOf(disputed.order.orderId, disputed.shopper)).status).toBe("confirmed");
    const after = await cancellation(eventId, organizer);
    expect(after).toMatchObject({ refunded: 3, ordersToRefund: 1, done: false });
    expect(after.failed.map((f) => f.orderId)).toEqual([disputed.order.orderId]);
    // Four purchases and a cancellation through the HTTP API: more than 5 s on the shared machine.
  }, 30_000);
});
