import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { z } from "zod";
import { ErrorBody, Event, Venue } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { TEST_BINDINGS } from "../bindings";

export const BASE = "https://tickets.test";

export async function tokenFor(sub: string, roles: string[] = ["customer"], expiresIn = "1h"): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(TEST_BINDINGS.AUTH_SECRET));
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Other bindings than the test project's (a setting switched on for one call). */
  env?: Env;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  // The Worker's own fetch handler, in this isolate, with the real bindings: the pool's
  // SELF/exports loopback slows down sharply beyond a few dozen concurrent requests.
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${BASE}${path}`, { method, headers, body }),
    options.env ?? env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/**
 * A response's body, checked against the contract's schema for it (src/contract/responses.ts) and typed
 * by it. The body is returned as sent, so fields the schema does not list are kept; a body that does not
 * match fails the test here, naming the field, with the status and the start of the body.
 */
export async function json<S extends z.ZodType>(response: Response, schema: S): Promise<z.output<S>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${response.status}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  const checked = schema.safeParse(body);
  if (!checked.success) {
    throw new Error(
      `${response.status}: the body does not match the contract:\n${z.prettifyError(checked.error)}\n${text.slice(0, 500)}`,
    );
  }
  return body as z.output<S>;
}

/** An error answer's body (`{error: {code, message}}`), checked; with `code`, that code is required. */
export async function errorOf(response: Response, code?: string): Promise<z.output<typeof ErrorBody>> {
  const body = await json(response, ErrorBody);
  if (code !== undefined && body.error.code !== code) {
    throw new Error(`expected error ${code}, got ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

let counter = 0;
export const unique = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const HOUR = 3_600_000;

export interface Fixture {
  organizer: string;
  venueId: string;
  eventId: string;
}

/** A small venue: section A (3 rows × 10 seats), section B (2 × 5), GA floor of 50. */
export const SMALL_VENUE = {
  name: "Test Hall",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  sections: [
    { id: "A", name: "Section A", kind: "seated", rows: [1, 2, 3].map((r) => ({ label: String(r), seats: 10 })) },
    {
      id: "B",
      name: "Section B",
      kind: "seated",
      rows: [
        { label: "1", seats: 5 },
        { label: "2", seats: 5 },
      ],
    },
    { id: "FLOOR", name: "Floor", kind: "ga", capacity: 50 },
  ],
};

export async function createVenue(organizer: string, venue: unknown = SMALL_VENUE): Promise<string> {
  const response = await call("POST", "/api/v1/admin/venues", { token: organizer, body: venue });
  if (response.status !== 201) throw new Error(`venue: ${response.status} ${await response.text()}`);
  return (await json(response, Venue)).venueId;
}

export async function createEvent(
  organizer: string,
  venueId: string,
  overrides: Record<string, unknown> = {},
): Promise<z.output<typeof Event>> {
  const now = Date.now();
  const response = await call("POST", "/api/v1/admin/events", {
    token: organizer,
    body: {
      venueId,
      title: "Test Concert",
      category: "concert",
      artist: "The Testers",
      startsAt: new Date(now + 30 * 24 * HOUR).toISOString(),
      onSaleAt: new Date(now - HOUR).toISOString(),
      currency: "EUR",
      prices: { A: 5000, B: 3000, FLOOR: 2000 },
      publish: true,
      ...overrides,
    },
  });
  if (response.status !== 201) throw new Error(`event: ${response.status} ${await response.text()}`);
  return json(response, Event);
}

/** A fresh organizer, venue and published, on-sale event. */
export async function onSaleEvent(overrides: Record<string, unknown> = {}): Promise<Fixture> {
  const organizer = await tokenFor(unique("org"), ["organizer"]);
  const venueId = await createVenue(organizer);
  const event = await createEvent(organizer, venueId, overrides);
  return { organizer, venueId, eventId: event.eventId };
}

export function expectError(body: unknown, code: string): void {
  const checked = ErrorBody.safeParse(body);
  if (!checked.success || checked.data.error.code !== code) {
    throw new Error(`expected error ${code}, got ${JSON.stringify(body)}`);
  }
}
