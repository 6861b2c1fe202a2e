import fc from "fast-check";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorBody, HoldCreated } from "../../src/contract/responses";
import { hostileTemplates } from "../../src/http/route-table";
import { call, errorOf, json, onSaleEvent, SMALL_VENUE, tokenFor, unique } from "./helpers";
import { OwnedOrder } from "./money";
import { checkout, deliver, intentEvent, PendingCheckout } from "./payments";

/**
 * Hostile input across every route: wrong types, missing fields, huge strings, bad JSON, bad
 * tokens, unknown ids. Whatever a client sends, the answer is never a 5xx, and every error has
 * the contract's shape. Routes come from the route table; later issues add body TEMPLATES.
 */

interface Known {
  eventId: string;
  holdId: string;
  venueId: string;
  orderId: string;
  ticketId: string;
  code: string;
  customer: string;
  organizer: string;
  stranger: string;
  expired: string;
  forged: string;
}

let known: Known;

/**
 * [method, path template] for every route the Worker mounts, from the route table
 * (src/http/route-table.ts); `:event`, `:hold`, ... are filled with known, unknown or garbage ids.
 * Plus a method no route serves and a path no route has.
 */
const ROUTES: [string, string][] = [...hostileTemplates(), ["PUT", "/api/v1/events/:event"], ["GET", "/api/v1/:event"]];

/** Valid bodies to mutate, so that generated requests get past the first check. */
const TEMPLATES: Record<string, () => unknown> = {
  hold: () => ({ seatIds: ["A-1-1", "A-1-2"], ga: [{ sectionId: "FLOOR", quantity: 2 }], presaleCode: "X" }),
  venue: () => structuredClone(SMALL_VENUE),
  event: () => ({
    venueId: known.venueId,
    title: "Fuzz",
    category: "concert",
    startsAt: "2031-01-01T20:00:00Z",
    onSaleAt: "2030-01-01T20:00:00Z",
    currency: "EUR",
    prices: { A: 100, B: 200, FLOOR: 300 },
    limits: { perOrder: 2, perUser: 4 },
    waitingRoom: { mode: "off" },
    presales: [{ name: "p", code: "c", startsAt: "2029-01-01T00:00:00Z", endsAt: "2029-02-01T00:00:00Z" }],
    description: "Doors early.\n\nNo re-entry.",
    doorsAt: "2031-01-01T19:00:00Z",
    endsAt: "2031-01-01T23:00:00Z",
    ageRule: "18+",
  }),
  org: () => ({ name: "Team" }),
  member: () => ({ email: "member@example.com", role: "box_office" }),
  venuePatch: () => ({ name: "Hall", address: "1 Main St", lat: 52.5, lon: 13.4 }),
  patch: () => ({ action: "pause", title: "x", prices: { A: 100, B: 100, FLOOR: 100 } }),
  checkin: () => ({ eventId: known.eventId, code: known.code, scanId: "s1", deviceId: "d1" }),
  transfer: () => ({ toUserId: "friend" }),
  webhook: () => ({
    id: "evt_1",
    type: "payment_intent.succeeded",
    data: { object: { id: "pi_1", amount: 1, currency: "eur" } },
  }),
  pay: () => ({ result: "succeed" }),
  kill: () => ({ seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 1 }], reason: "production" }),
  comp: () => ({ seatIds: ["A-1-2"], email: "guest@example.com", reason: "house" }),
  challenge: () => ({ token: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", solution: "12345" }),
  signIn: () => ({ email: "fuzz@example.com", next: "/events" }),
  roles: () => ({ add: ["organizer"], remove: ["scanner"] }),
  typedHold: () => ({
    seats: [{ seatId: "A-1-3", ticketType: "adult" }],
    ga: [{ sectionId: "FLOOR", quantity: 1, ticketType: "child" }],
    voucher: "FUZZ1",
  }),
  pricing: () => ({
    ticketTypes: [{ id: "adult", name: "Adult", prices: { "*": 100 }, quota: 5, minPerOrder: 1, maxPerOrder: 4 }],
    fees: [{ name: "Service", kind: "percent", amount: 5 }],
    tax: { name: "VAT", ratePercent: 19, included: true },
    dynamic: { A: { floorCents: 100, ceilingCents: 200, maxStepPercent: 20, everyMinutes: 15 } },
  }),
  voucher: () => ({ code: "FUZZ1", kind: "percent", value: 10, maxUses: 5, ticketTypes: ["adult"], sections: ["A"] }),
  voucherPatch: () => ({ disabled: true }),
};

const weirdStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "%00",
    "' OR 1=1 --",
    "<script>",
    "\u0000",
    "☃".repeat(40),
  ),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => "x".repeat(n)),
);

const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), weirdStrings, fc.constant(undefined));

/** Sets `value` at a random path of a template (or deletes the leaf). */
function mutate(template: unknown, pathSeed: number[], value: unknown, remove: boolean): unknown {
  const root = structuredClone(template);
  let node: unknown = root;
  for (let depth = 0; depth < pathSeed.length; depth++) {
    if (node === null || typeof node !== "object") break;
    const fields = node as Record<string, unknown>; // an object or an array, indexed by its keys
    const keys = Object.keys(fields);
    if (keys.length === 0) break;
    const key = keys[pathSeed[depth]! % keys.length]!;
    const child = fields[key];
    const last = depth === pathSeed.length - 1 || child === null || typeof child !== "object";
    if (last) {
      if (remove) delete fields[key];
      else fields[key] = value;
      break;
    }
    node = child;
  }
  return root;
}

const bodyArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...Object.keys(TEMPLATES)),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        jsonish,
        fc.boolean(),
      )
      .map(([t, path, value, remove]) => ({ json: mutate(TEMPLATES[t]!(), path, value, remove) })),
  },
  { weight: 2, arbitrary: jsonish.map((value) => ({ json: value })) },
  { weight: 1, arbitrary: weirdStrings.map((raw) => ({ raw })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("{", "[1,2", '{"a":}', "\u0000", "{}}", '{"seatIds": [', "true").map((raw) => ({ raw })),
  },
  { weight: 1, arbitrary: fc.constant({}) },
);

type IdKind = "event" | "hold" | "venue" | "order" | "ticket";

const idArb = (kind: IdKind) =>
  fc
    .oneof(
      fc.constant("KNOWN"),
      fc.constantFrom(
        "evt_unknown",
        "hld.evt_unknown.abc",
        "ven_unknown",
        "ord_unknown",
        "tkt_unknown",
        "hld..",
        "hld.evt_x",
        "%2e%2e",
        "a%20b",
        "🎟️",
      ),
      fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/),
      fc.integer({ min: 65, max: 300 }).map((n) => "e".repeat(n)),
    )
    .map((id) => (id === "KNOWN" ? known[`${kind}Id`] : id));

const tokenArb = fc.constantFrom(
  "customer",
  "organizer",
  "stranger",
  "expired",
  "forged",
  "none",
  "garbage",
  "basic",
  "empty",
);

function authHeader(choice: string): Record<string, string> {
  switch (choice) {
    case "customer":
    case "organizer":
    case "stranger":
    case "expired":
    case "forged":
      return { authorization: `Bearer ${known[choice]}` };
    case "garbage":
      return { authorization: "Bearer a.b.c" };
    case "basic":
      return { authorization: "Basic Zm9vOmJhcg==" };
    case "empty":
      return { authorization: "" };
    default:
      return {};
  }
}

const queryArb = fc.oneof(
  fc.constant(""),
  fc
    .dictionary(
      fc.constantFrom("q", "category", "city", "from", "to", "maxPriceCents", "page", "limit", "section", "x"),
      weirdStrings.filter((s) => s.length < 3000),
      { maxKeys: 4 },
    )
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);

const requestArb = fc.record({
  route: fc.constantFrom(...ROUTES),
  event: idArb("event"),
  hold: idArb("hold"),
  venue: idArb("venue"),
  order: idArb("order"),
  ticket: idArb("ticket"),
  query: queryArb,
  body: bodyArb,
  token: tokenArb,
  idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.constant("ok-key-1")), { nil: undefined }),
  contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", undefined),
});

beforeAll(async () => {
  const fixture = await onSaleEvent();
  const customer = await tokenFor(unique("fan"));
  const hold = await json(
    await call("POST", `/api/v1/events/${fixture.eventId}/holds`, { token: customer, body: { seatIds: ["B-2-5"] } }),
    HoldCreated,
  );
  const buyer = await json(
    await call("POST", `/api/v1/events/${fixture.eventId}/holds`, { token: customer, body: { seatIds: ["B-2-4"] } }),
    HoldCreated,
  );
  const { body: order } = await checkout(buyer.holdId, customer, {}, PendingCheckout);
  await deliver(intentEvent("payment_intent.succeeded", order));
  const confirmed = await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: customer }), OwnedOrder);
  const ticket = confirmed.tickets[0]!;
  known = {
    orderId: order.orderId,
    ticketId: ticket.ticketId,
    code: ticket.code,
    eventId: fixture.eventId,
    venueId: fixture.venueId,
    holdId: hold.holdId,
    customer,
    organizer: fixture.organizer,
    stranger: await tokenFor(unique("fan"), ["customer", "scanner"]),
    expired: await tokenFor("old", ["admin"], "-5m"),
    forged: await new SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("x")
      .sign(new TextEncoder().encode("wrong")),
  };
});

describe("hostile input", () => {
  it("never answers 5xx and always uses the error shape, over 2,000 generated requests", {
    timeout: 120_000,
  }, async () => {
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const [method, template] = r.route;
        const path = template
          .replace(":event", encodeURIComponent(r.event))
          .replace(":hold", encodeURIComponent(r.hold))
          .replace(":venue", encodeURIComponent(r.venue))
          .replace(":order", encodeURIComponent(r.order))
          .replace(":ticket", encodeURIComponent(r.ticket));
        const headers: Record<string, string> = { ...authHeader(r.token) };
        if (r.idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(r.idempotencyKey))
          headers["idempotency-key"] = r.idempotencyKey;
        if (r.contentType) headers["content-type"] = r.contentType;
        const withBody = method !== "GET" && method !== "HEAD";
        const rawBody = !withBody
          ? undefined
          : "raw" in r.body
            ? r.body.raw
            : "json" in r.body
              ? JSON.stringify(r.body.json)
              : undefined;
        const response = await call(method, path + r.query, { headers, rawBody });
        sent++;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        expect(response.status, `${method} ${path}${r.query} -> ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(response.headers.get("x-request-id")).toBeTruthy();
        if (response.status >= 400) {
          // The contract's error shape: a string code and message (and well-formed issues, if any).
          expect(ErrorBody.safeParse(JSON.parse(text)).success, text).toBe(true);
          expect(text).not.toMatch(/\bat \w+ \(|node_modules|\.ts:\d+/);
        }
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100_000) },
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    // The generator must reach past the front door, not only bounce off auth and parsing.
    for (const status of [200, 400, 401, 403, 404])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });
});

describe("signed but malformed Stripe webhooks", () => {
  const valid = () => ({
    id: `evt_fuzz_${Math.random().toString(36).slice(2)}`,
    object: "event",
    type: "payment_intent.succeeded",
    data: {
      object: { id: "pi_fuzz_missing", object: "payment_intent", amount: 100, currency: "eur", metadata: {} },
    },
  });
  const known = ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded", "refund.updated"];

  it("answers 400 (never 5xx) to any JSON that is not a Stripe event, and 2xx/400 to mangled events", {
    timeout: 60_000,
  }, async () => {
    for (const payload of [true, false, 1, 0, -1, "event", null, [], [valid()], {}, { id: 1 }, { id: "e", type: 7 }]) {
      const response = await deliver(payload as object);
      expect(response.status, JSON.stringify(payload)).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ type: fc.constantFrom(...known), value: fc.jsonValue(), path: fc.integer({ min: 0, max: 6 }) }),
        ),
        async (input) => {
          let payload: unknown = input;
          if (input && typeof input === "object" && "path" in (input as object) && "value" in (input as object)) {
            const { type, value, path } = input as { type: string; value: unknown; path: number };
            const event = { ...valid(), type };
            const object = event.data.object;
            const targets: Array<[Record<string, unknown>, string]> = [
              [event, "id"],
              [event, "data"],
              [object, "id"],
              [object, "amount"],
              [object, "currency"],
              [object, "metadata"],
              [object, "payment_intent"],
            ];
            const [node, key] = targets[path]!;
            node[key] = value;
            payload = event;
          }
          const response = await deliver(payload as object);
          const text = await response.text();
          expect(response.status, `${JSON.stringify(payload).slice(0, 200)} -> ${text.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (response.status >= 400)
            expect(ErrorBody.parse(JSON.parse(text)).error.code).toMatch(/^(VALIDATION_FAILED|INVALID_SIGNATURE)$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
