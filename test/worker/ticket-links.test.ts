import { describe, expect, it } from "vitest";
import { Ticket } from "../../src/contract/responses";
import { call, errorOf, json, tokenFor, unique } from "./helpers";
import { adminRefund, bought, onSaleEvent } from "./money";
import { fanWithEmail, waitForOutbox } from "./outbox";

const html = { accept: "text/html" };

/** The ticket links (`/t/:ticketId?k=`) in a mail's text. */
const linksIn = (text: string) => [...text.matchAll(/https?:\/\/[^\s]+\/t\/([A-Za-z0-9_.-]+)\?k=([A-Za-z0-9_-]+)/g)];

describe("ticket links from the mail", { timeout: 30_000 }, () => {
  it("each ticket of the confirmation opens its QR without signing in, until it is transferred", async () => {
    const buyer = await fanWithEmail("door");
    const { eventId } = await onSaleEvent();
    const { view } = await bought(eventId, buyer.token, {
      seatIds: ["A-1-1"],
      ga: [{ sectionId: "FLOOR", quantity: 1 }],
    });
    const [mail] = await waitForOutbox(buyer.email);
    const links = linksIn(mail!.text);
    expect(links.map((m) => m[1]).sort()).toEqual(view.tickets.map((t) => t.ticketId).sort());

    const [, ticketId, key] = links[0]!;
    const page = await call("GET", `/t/${ticketId}?k=${key}`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toMatch(/no-store/);
    const text = await page.text();
    expect(text).toContain(`data-ticket-id="${ticketId}"`);
    expect(text).toMatch(/<svg[^>]*>/);

    // A wrong key, another ticket's key, or a key cut short opens nothing, and says nothing more.
    const [, otherId, otherKey] = links[1]!;
    for (const path of [
      `/t/${ticketId}?k=${otherKey}`,
      `/t/${otherId}?k=${key}`,
      `/t/${ticketId}?k=${key!.slice(0, -2)}`,
      `/t/${ticketId}`,
    ]) {
      const refused = await call("GET", path, { headers: html });
      expect(refused.status, path).toBe(404);
      expect(await refused.text()).not.toContain("<svg");
    }
    await errorOf(await call("GET", `/t/${ticketId}?k=${otherKey}`), "NOT_FOUND");

    const moved = await call("POST", `/api/v1/tickets/${ticketId}/transfer`, {
      token: buyer.token,
      body: { toUserId: unique("friend") },
    });
    expect(moved.status).toBe(201);
    await json(moved, Ticket);
    expect((await call("GET", `/t/${ticketId}?k=${key}`, { headers: html })).status).toBe(404);
    // The other ticket of the order still opens.
    expect((await call("GET", `/t/${otherId}?k=${otherKey}`, { headers: html })).status).toBe(200);
  });

  it("stops working when the order is refunded", async () => {
    const buyer = await fanWithEmail("refund");
    const { eventId, organizer } = await onSaleEvent();
    const { order } = await bought(eventId, buyer.token, { seatIds: ["A-1-2"] });
    const [mail] = await waitForOutbox(buyer.email);
    const [, ticketId, key] = linksIn(mail!.text)[0]!;
    expect((await call("GET", `/t/${ticketId}?k=${key}`, { headers: html })).status).toBe(200);
    const refund = await adminRefund(order.orderId, organizer);
    expect(refund.status).toBe(202);
    expect(refund.body).toMatchObject({ status: "refunded" });
    expect((await call("GET", `/t/${ticketId}?k=${key}`, { headers: html })).status).toBe(404);
    // Signing in was never the point: an unrelated signed-in fan gets no further.
    const stranger = await tokenFor(unique("stranger"));
    expect((await call("GET", `/t/${ticketId}?k=${key}`, { token: stranger })).status).toBe(404);
  });
});
