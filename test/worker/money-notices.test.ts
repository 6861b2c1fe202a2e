import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import { adminRefund, bought, checkedOut, onSaleEvent, orderOf } from "./money";
import { fanWithEmail, waitForOutbox } from "./outbox";
import { deliver, intentEvent } from "./payments";

const kinds = (messages: { kind: string }[]) => messages.map((m) => m.kind).sort();

describe("money lifecycle notifications (through the notifications enqueue)", () => {
  it("a declined card, a partial refund and a cancelled event each tell the buyer once", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const buyer = await fanWithEmail();
    const { order: pending } = await checkedOut(eventId, buyer.token, { seatIds: ["A-2-9"] });
    const declined = intentEvent("payment_intent.payment_failed", pending);
    await deliver(declined);
    await deliver(declined);
    const { view, order } = await bought(eventId, buyer.token, { seatIds: ["A-2-1", "A-2-2"] });
    await adminRefund(order.orderId, organizer, { ticketIds: [view.tickets[0]!.ticketId] });
    await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { action: "cancel" } });
    const messages = await waitForOutbox(buyer.email, 4);
    expect(kinds(messages)).toEqual(["event_cancelled", "order_confirmed", "order_refunded", "payment_failed"]);
    expect(messages.find((m) => m.kind === "order_refunded")?.orderId).toBe(order.orderId);
    expect((await orderOf(order.orderId, buyer.token)).status).toBe("refunded");
  });
});
