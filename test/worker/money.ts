import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { expect } from "vitest";
import { TEST_BINDINGS } from "../bindings";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { checkout, deliver, intentEvent } from "./payments";

/** Shared steps of the money tests (issue 13): buy, read, refund, and drive the Stripe test server. */

export const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

export async function seatStatus(eventId: string, seat: string): Promise<string> {
  const section = seat.split("-")[0];
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=${section}`));
  return body.sections[0].seats.find((s: { id: string }) => s.id === seat).status;
}

export async function floorAvailable(eventId: string): Promise<number> {
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=FLOOR`));
  return body.sections[0].available;
}

export async function hold(eventId: string, fan: string, body: Record<string, unknown>) {
  const response = await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body });
  const held = await json(response);
  expect(response.status, JSON.stringify(held)).toBe(201);
  return held;
}

export async function checkedOut(eventId: string, fan: string, body: Record<string, unknown>) {
  const held = await hold(eventId, fan, body);
  const { response, body: order } = await checkout(held.holdId, fan, { "idempotency-key": unique("co") });
  expect(response.status, JSON.stringify(order)).toBe(201);
  return { hold: held, order };
}

/** Hold, checkout and a delivered payment_intent.succeeded: a confirmed order. */
export async function bought(eventId: string, fan: string, body: Record<string, unknown>) {
  const { hold: held, order } = await checkedOut(eventId, fan, body);
  expect((await json(await deliver(intentEvent("payment_intent.succeeded", order)))).outcome).toBe("confirmed");
  return { hold: held, order, view: await orderOf(order.orderId, fan) };
}

export const orderOf = async (orderId: string, token: string) =>
  json(await call("GET", `/api/v1/orders/${orderId}`, { token }));

export async function adminRefund(orderId: string, organizer: string, body?: unknown) {
  const response = await call("POST", `/api/v1/admin/orders/${orderId}/refund`, {
    token: organizer,
    ...(body !== undefined && { body }),
  });
  return { status: response.status, body: await json(response) };
}

export async function fan() {
  return tokenFor(unique("fan"));
}

export { onSaleEvent };

/** Plays the customer at Stripe: e.g. pays an intent whose webhook then never arrives. */
export async function setIntent(paymentIntentId: string, fields: Record<string, unknown>) {
  const response = await fetch(`${env.STRIPE_API_BASE}/__intents/${paymentIntentId}`, {
    method: "POST",
    body: JSON.stringify(fields),
  });
  return response.json() as Promise<any>;
}

export async function retrieveIntent(paymentIntentId: string): Promise<any> {
  const response = await fetch(`${env.STRIPE_API_BASE}/v1/payment_intents/${paymentIntentId}?expand[]=latest_charge`, {
    headers: { authorization: "Bearer sk_test_local" },
  });
  return response.json();
}

/** The next `times` Stripe calls naming `match` fail with `status`, or answer `delayMs` late. */
export async function stripeFault(fault: { match: string; status?: number; delayMs?: number; times?: number }) {
  await fetch(`${env.STRIPE_API_BASE}/__faults`, { method: "POST", body: JSON.stringify(fault) });
}

export function refundEvent(
  type: "charge.refunded" | "refund.updated",
  paymentIntentId: string,
  amount: number,
  amountRefunded: number,
  total: number,
) {
  const id = `evt_test_${unique("r")}`;
  const object =
    type === "charge.refunded"
      ? {
          id: `ch_${paymentIntentId}`,
          object: "charge",
          payment_intent: paymentIntentId,
          amount: total,
          amount_refunded: amountRefunded,
          refunded: amountRefunded >= total,
        }
      : { id: `re_${unique("x")}`, object: "refund", payment_intent: paymentIntentId, status: "succeeded", amount };
  return { id, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } };
}

export async function scannerToken(eventIds?: string[]) {
  const claims: Record<string, unknown> = { roles: ["scanner"] };
  if (eventIds) claims.eventIds = eventIds;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(unique("gate"))
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(TEST_BINDINGS.AUTH_SECRET));
}

export const scan = async (token: string, body: Record<string, unknown>) =>
  json(await call("POST", "/api/v1/checkin", { token, body }));
