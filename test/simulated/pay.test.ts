import { describe, expect, it } from "vitest";
import { Checkout, Hold, HoldCreated, Order, PaySimulation, Refund, SeatMap } from "../../src/contract/responses";
import { call, json, onSaleEvent, tokenFor, unique } from "../worker/helpers";

/** Local development: no STRIPE_SECRET_KEY, so payments are simulated through the real webhook path. */

async function signIn(name: string): Promise<string> {
  const response = await call("GET", `/dev/login?name=${name}&role=customer&next=/orders`);
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe("/orders");
  const cookie = response.headers.get("set-cookie")!;
  expect(cookie).toMatch(/session=.+HttpOnly/i);
  return cookie.split(";")[0]!;
}

describe("simulated payments", () => {
  it("pays through the pay page: a signed payment_intent.succeeded reaches our webhook", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const name = unique("fan");
    const cookie = await signIn(name);
    const origin = "https://tickets.test";
    const browser = { cookie, origin, "content-type": "application/json" };

    const hold = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, {
        headers: browser,
        rawBody: JSON.stringify({ seatIds: ["A-1-4"] }),
      }),
      HoldCreated,
    );
    expect(hold.status).toBe("held");
    const checkout = await json(
      await call("POST", `/api/v1/holds/${hold.holdId}/checkout`, { headers: browser }),
      Checkout,
    );
    expect(checkout.payment?.paymentIntentId).toMatch(/^pi_sim_/);
    const payUrl = `/pay/${checkout.orderId}`;
    expect(checkout.payUrl).toBe(payUrl);

    const page = await call("GET", payUrl, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(">Pay</button>");
    expect(html).toContain("€50.00");

    const crossSite = await call("POST", payUrl, {
      headers: { ...browser, origin: "https://evil.example" },
      rawBody: "{}",
    });
    expect(crossSite.status).toBe(403);
    const paid = await call("POST", payUrl, {
      headers: browser,
      rawBody: JSON.stringify({ result: "succeed" }),
    });
    expect(paid.status).toBe(200);
    expect(await json(paid, PaySimulation)).toEqual({ orderId: checkout.orderId, status: "confirmed" });

    const token = await tokenFor(name);
    const order = await json(await call("GET", `/api/v1/orders/${checkout.orderId}`, { token }), Order);
    expect(order.status).toBe("confirmed");
    expect(order.tickets).toHaveLength(1);

    // An organizer's refund completes at once: there is no Stripe to send charge.refunded.
    const refund = await call("POST", `/api/v1/admin/orders/${checkout.orderId}/refund`, { token: organizer });
    expect(refund.status).toBe(202);
    expect((await json(refund, Refund)).status).toBe("refunded");
    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    expect(seats.sections[0]?.seats?.find((s) => s.id === "A-1-4")?.status).toBe("available");
  });

  it("declines through the same path and keeps the hold for another try", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const hold = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["B-1-1"] } }),
      HoldCreated,
    );
    const checkout = await json(await call("POST", `/api/v1/holds/${hold.holdId}/checkout`, { token: fan }), Checkout);
    const declined = await call("POST", `/pay/${checkout.orderId}`, { token: fan, body: { result: "fail" } });
    expect(await json(declined, PaySimulation)).toEqual({ orderId: checkout.orderId, status: "pending" });
    expect((await json(await call("GET", `/api/v1/holds/${hold.holdId}`, { token: fan }), Hold)).status).toBe(
      "checkout",
    );
    const order = await json(await call("GET", `/api/v1/orders/${checkout.orderId}`, { token: fan }), Order);
    expect(order.lastPaymentError).toBeTruthy();
    const paid = await call("POST", `/pay/${checkout.orderId}`, { token: fan, body: { result: "succeed" } });
    expect(await json(paid, PaySimulation)).toEqual({ orderId: checkout.orderId, status: "confirmed" });
  });

  it("refuses bad dev logins", async () => {
    for (const query of [
      "",
      "name=",
      "name=a%20b",
      "name=x&role=king",
      "name=x&next=https://evil.example",
      "name=x&next=//evil",
      // Browsers read a backslash as a slash: `/\evil.com` is `//evil.com`, another site.
      "name=x&next=/%5Cevil.com",
      "name=x&next=/%5C/evil.com",
      "name=x&next=/a%5C..%5C..%5C%5Cevil.com",
    ]) {
      const response = await call("GET", `/dev/login?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});
