import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { findOrderByHold } from "../../src/db/orders";
import { loggerFor } from "../../src/log";
import { checkout } from "../../src/payments/checkout";
import { type PaymentGateway, paymentGateway } from "../../src/payments/gateway";
import { tokenFor, unique } from "./helpers";
import { hold, onSaleEvent, stubFor } from "./money";

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
    const first = await checkout(withProvider(), { holdId, eventId, buyer });
    const again = await checkout(withProvider(), { holdId, eventId, buyer });
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
    const stranger = await checkout(withProvider(), { holdId, eventId, buyer: { id: unique("other") } });
    expect(stranger).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const unpaid = await checkout(noProvider(), { holdId, eventId, buyer });
    expect(unpaid).toMatchObject({ ok: false, error: { code: "PAYMENTS_UNAVAILABLE" } });
    expect(await findOrderByHold(database(env.DB), holdId)).toBeUndefined();
    expect(await stubFor(eventId).getHold(holdId)).toMatchObject({ ok: true, value: { status: "held" } });
  });

  it("confirms a free hold at once, without a payment provider, and answers the same on retry", async () => {
    const { eventId, buyer, holdId } = await heldBy({ A: 0, B: 0, FLOOR: 0 });
    const first = await checkout(noProvider(), { holdId, eventId, buyer });
    expect(first).toMatchObject({ ok: true, value: { kind: "free" } });
    const again = await checkout(noProvider(), { holdId, eventId, buyer });
    expect(again).toMatchObject({ ok: true, value: { kind: "free", order: { status: "confirmed" } } });
    expect(await findOrderByHold(database(env.DB), holdId)).toMatchObject({ status: "confirmed", totalCents: 0 });
  });
});
