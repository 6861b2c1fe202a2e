import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { expect } from "vitest";
import { z } from "zod";
import { CheckinResult, ErrorBody, HoldCreated, Order, Refund, SeatMap, Ticket } from "../../src/contract/responses";
import { TEST_BINDINGS } from "../bindings";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { checkout, deliver, intentEvent, outcomeOf, PendingCheckout } from "./payments";

/** Shared steps of the money tests: buy, read, refund, and drive the Stripe test server. */

export const stubFor = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

/** A seat's status in the seat map (`A-1-1` is in section A); fails if the map has no such seat. */
export async function seatStatus(eventId: string, seat: string): Promise<string> {
  const section = seat.split("-")[0];
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=${section}`), SeatMap);
  const found = body.sections[0]?.seats?.find((s) => s.id === seat);
  if (!found) throw new Error(`seat ${seat} is not in the seat map: ${JSON.stringify(body)}`);
  return found.status;
}

export async function floorAvailable(eventId: string): Promise<number> {
  const body = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=FLOOR`), SeatMap);
  const floor = body.sections[0];
  if (!floor) throw new Error(`no FLOOR section in the seat map: ${JSON.stringify(body)}`);
  return floor.available;
}

export async function hold(eventId: string, fan: string, body: Record<string, unknown>) {
  const response = await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body });
  if (response.status !== 201) expect(response.status, await response.text()).toBe(201);
  return json(response, HoldCreated);
}

/** A held and checked-out order awaiting its card payment (pending, with a PaymentIntent). */
export async function checkedOut(eventId: string, fan: string, body: Record<string, unknown>) {
  const held = await hold(eventId, fan, body);
  const { response, body: order } = await checkout(
    held.holdId,
    fan,
    { "idempotency-key": unique("co") },
    z.union([PendingCheckout, ErrorBody]),
  );
  expect(response.status, JSON.stringify(order)).toBe(201);
  if ("error" in order) throw new Error(`checkout refused: ${JSON.stringify(order)}`);
  return { hold: held, order };
}

/** An order none of whose tickets was given away: each ticket with its code, as its owner sees it. */
export const OwnedOrder = Order.extend({ tickets: z.array(Ticket.extend({ code: z.string() })) });
export type OwnedOrderView = z.output<typeof OwnedOrder>;

/** Hold, checkout and a delivered payment_intent.succeeded: a confirmed order. */
export async function bought(eventId: string, fan: string, body: Record<string, unknown>) {
  const { hold: held, order } = await checkedOut(eventId, fan, body);
  expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))).toBe("confirmed");
  const view = await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: fan }), OwnedOrder);
  return { hold: held, order, view };
}

export const orderOf = async (orderId: string, token: string) =>
  json(await call("GET", `/api/v1/orders/${orderId}`, { token }), Order);

export async function adminRefund(orderId: string, organizer: string, body?: unknown) {
  const response = await call("POST", `/api/v1/admin/orders/${orderId}/refund`, {
    token: organizer,
    ...(body !== undefined && { body }),
  });
  return { status: response.status, body: await json(response, z.union([Refund, ErrorBody])) };
}

export async function fan() {
  return tokenFor(unique("fan"));
}

export { onSaleEvent };

/** A PaymentIntent as the Stripe test server (test/stripe-server.ts) answers it; other fields kept. */
export const StripeIntent = z.looseObject({
  id: z.string(),
  object: z.literal("payment_intent"),
  status: z.string(),
  amount: z.number(),
  amount_received: z.number(),
  currency: z.string(),
});
/** Retrieved with `expand[]=latest_charge`: its charge, with what was refunded of it. */
export const StripeIntentWithCharge = StripeIntent.extend({
  latest_charge: z.looseObject({
    id: z.string(),
    amount: z.number(),
    amount_refunded: z.number(),
    refunded: z.boolean(),
  }),
});

/** Plays the customer at Stripe: e.g. pays an intent whose webhook then never arrives. */
export async function setIntent(paymentIntentId: string, fields: Record<string, unknown>) {
  const response = await fetch(`${env.STRIPE_API_BASE}/__intents/${paymentIntentId}`, {
    method: "POST",
    body: JSON.stringify(fields),
  });
  return json(response, StripeIntent);
}

export async function retrieveIntent(paymentIntentId: string) {
  const response = await fetch(`${env.STRIPE_API_BASE}/v1/payment_intents/${paymentIntentId}?expand[]=latest_charge`, {
    headers: { authorization: "Bearer sk_test_local" },
  });
  return json(response, StripeIntentWithCharge);
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
  json(await call("POST", "/api/v1/checkin", { token, body }), CheckinResult);
