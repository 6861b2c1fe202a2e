import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { settingsFrom } from "../../src/config";
import { CheckinCounts, WebhookReceipt } from "../../src/contract/responses";
import { verifyUserToken } from "../../src/http/middleware/auth";
import { call, errorOf, json, unique } from "./helpers";
import { bought, checkedOut, fan, onSaleEvent, StripeIntent, scan, scannerToken, setIntent } from "./money";
import { deliver, intentEvent, stripeCalls } from "./payments";

describe("check-in", () => {
  it("a retry is keyed by scanner, device, scan id and code: another code with a reused scan id is judged on its own", async () => {
    const { eventId } = await onSaleEvent();
    const { view } = await bought(eventId, await fan(), { seatIds: ["A-1-8", "A-1-9"] });
    const [first, second] = [view.tickets[0]!, view.tickets[1]!];
    const a = await scannerToken();
    const b = await scannerToken();
    const shared = { eventId, deviceId: "gate-1", scanId: "scan-42" };
    expect((await scan(a, { ...shared, code: first.code })).result).toBe("admitted");
    const again = await scan(a, { ...shared, code: first.code });
    expect(again).toMatchObject({ result: "admitted", ticketId: first.ticketId });
    const other = await scan(b, { ...shared, code: second.code });
    expect(other).toMatchObject({ result: "admitted", ticketId: second.ticketId });
    expect((await scan(a, { ...shared, code: second.code })).result).toBe("already_used");
  });

  it("a scanner token with eventIds checks in those events only", async () => {
    const mine = await onSaleEvent();
    const theirs = await onSaleEvent();
    const { view } = await bought(theirs.eventId, await fan(), { seatIds: ["B-1-5"] });
    const ticket = view.tickets[0]!;
    const gate = await scannerToken([mine.eventId]);
    const refused = await call("POST", "/api/v1/checkin", {
      token: gate,
      body: { eventId: theirs.eventId, code: ticket.code },
    });
    expect(refused.status).toBe(403);
    await errorOf(refused, "FORBIDDEN");
    const revocations = await call("GET", `/api/v1/events/${theirs.eventId}/revocations`, { token: gate });
    expect(revocations.status).toBe(403);
    expect((await call("GET", `/api/v1/events/${mine.eventId}/revocations`, { token: gate })).status).toBe(200);
    expect(
      (await scan(await scannerToken([theirs.eventId]), { eventId: theirs.eventId, code: ticket.code })).result,
    ).toBe("admitted");
  });

  it("counts the door's check-ins: used of the tickets that admit anyone, void ones left out", async () => {
    const { eventId } = await onSaleEvent();
    const buyer = await fan();
    const { view } = await bought(eventId, buyer, { seatIds: ["A-3-1", "A-3-2", "A-3-3"] });
    const [first, second, third] = view.tickets;
    const gate = await scannerToken([eventId]);
    const counts = async () =>
      json(await call("GET", `/api/v1/events/${eventId}/checkins`, { token: gate }), CheckinCounts);
    expect(await counts()).toEqual({ eventId, checkedIn: 0, total: 3 });
    expect((await scan(gate, { eventId, code: first!.code })).result).toBe("admitted");
    expect((await scan(gate, { eventId, code: first!.code })).result).toBe("already_used");
    expect(await counts()).toEqual({ eventId, checkedIn: 1, total: 3 });
    const moved = await call("POST", `/api/v1/tickets/${second!.ticketId}/transfer`, {
      token: buyer,
      body: { toUserId: unique("friend") },
    });
    expect(moved.status).toBe(201);
    // The transfer voids one ticket and issues another: still three that admit someone.
    expect(await counts()).toEqual({ eventId, checkedIn: 1, total: 3 });
    expect((await scan(gate, { eventId, code: third!.code })).result).toBe("admitted");
    expect(await counts()).toEqual({ eventId, checkedIn: 2, total: 3 });
    const elsewhere = await call("GET", `/api/v1/events/${eventId}/checkins`, {
      token: await scannerToken([(await onSaleEvent()).eventId]),
    });
    await errorOf(elsewhere, "FORBIDDEN");
    await errorOf(await call("GET", `/api/v1/events/${eventId}/checkins`, { token: buyer }), "FORBIDDEN");
  });
});

describe("money without an order is refunded", () => {
  it("refunds a payment whose amount does not match, and one that names no order", async () => {
    const { eventId } = await onSaleEvent();
    const shopper = await fan();
    const { order } = await checkedOut(eventId, shopper, { seatIds: ["B-1-2"] });
    await setIntent(order.payment.paymentIntentId, { status: "succeeded", amount: 100 });
    const mismatch = await json(
      await deliver(intentEvent("payment_intent.succeeded", order, { amount: 100 })),
      WebhookReceipt,
    );
    expect(mismatch.outcome).toBe("amount_mismatch");
    const refunds = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && c.params.payment_intent === order.payment.paymentIntentId,
    );
    expect(refunds.map((c) => c.idempotencyKey)).toEqual([`refund-mismatch-${order.payment.paymentIntentId}`]);

    // A PaymentIntent made elsewhere on the account, naming no order of ours.
    const created = await fetch(`${env.STRIPE_API_BASE}/v1/payment_intents`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_local", "content-type": "application/x-www-form-urlencoded" },
      body: "amount=700&currency=eur",
    });
    const stray = await json(created, StripeIntent);
    await setIntent(stray.id, { status: "succeeded" });
    const orphan = {
      orderId: "ord_none",
      totalCents: 700,
      currency: "EUR",
      payment: { paymentIntentId: stray.id },
    };
    const named = intentEvent("payment_intent.succeeded", orphan);
    const unknown = { ...named, data: { object: { ...named.data.object, metadata: {} } } };
    expect((await json(await deliver(unknown), WebhookReceipt)).outcome).toBe("unknown_payment");
    const strayRefunds = (await stripeCalls()).filter(
      (c) => c.path === "/v1/refunds" && c.params.payment_intent === stray.id,
    );
    expect(strayRefunds).toHaveLength(1);
  });
});

describe("auth hardening", () => {
  it("with AUTH_JWKS_URL, a token needs the configured iss and aud, and an exp", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: unique("k"), alg: "ES256" };
    await fetch(`${env.STRIPE_API_BASE}/__jwks`, { method: "POST", body: JSON.stringify({ keys: [jwk] }) });
    const settings = settingsFrom({
      ...env,
      AUTH_JWKS_URL: `${env.STRIPE_API_BASE}/__jwks?${unique("set")}`,
      AUTH_ISSUER: "https://id.example",
      AUTH_AUDIENCE: "tickets",
    } as Env);
    const sign = (claims: { iss?: string; aud?: string; exp?: boolean }) => {
      let jwt = new SignJWT({ roles: ["customer"] })
        .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
        .setSubject(unique("u"))
        .setIssuedAt();
      if (claims.iss) jwt = jwt.setIssuer(claims.iss);
      if (claims.aud) jwt = jwt.setAudience(claims.aud);
      if (claims.exp !== false) jwt = jwt.setExpirationTime("10m");
      return jwt.sign(privateKey);
    };
    expect(await verifyUserToken(await sign({ iss: "https://id.example", aud: "tickets" }), settings)).toBeTruthy();
    expect(
      await verifyUserToken(await sign({ iss: "https://evil.example", aud: "tickets" }), settings),
    ).toBeUndefined();
    expect(await verifyUserToken(await sign({ iss: "https://id.example", aud: "other" }), settings)).toBeUndefined();
    expect(await verifyUserToken(await sign({ aud: "tickets" }), settings)).toBeUndefined();
    expect(
      await verifyUserToken(await sign({ iss: "https://id.example", aud: "tickets", exp: false }), settings),
    ).toBeUndefined();
  });
});
