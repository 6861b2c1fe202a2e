import { z } from "zod";
import { ChallengeSolution } from "./routes/challenge";
import { Checkin, Since, Transfer } from "./routes/tickets";
import { CatalogQuery, EventCreate, EventPatch, HoldCreate, SeatsQuery, VenueCreate } from "./schemas";

interface Operation {
  summary: string;
  auth?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  success: number;
}

/** Every route of the contract with the schema it validates with; shapes come from zod, once. */
const ROUTES: Record<string, Partial<Record<"get" | "post" | "patch" | "delete", Operation>>> = {
  "/healthz": { get: { summary: "Liveness", success: 200 } },
  "/api/v1/events": { get: { summary: "Search published events", query: CatalogQuery, success: 200 } },
  "/api/v1/events/{eventId}": { get: { summary: "Event detail", success: 200 } },
  "/api/v1/events/{eventId}/seats": {
    get: { summary: "Live seat map and section availability", query: SeatsQuery, success: 200 },
  },
  "/api/v1/events/{eventId}/holds": {
    post: { summary: "Hold seats and/or GA tickets, all or nothing", auth: "customer", body: HoldCreate, success: 201 },
  },
  "/api/v1/holds/{holdId}": {
    get: { summary: "A hold (owner)", auth: "customer", success: 200 },
    delete: { summary: "Release a hold (owner)", auth: "customer", success: 200 },
  },
  "/api/v1/events/{eventId}/live": {
    get: { summary: "Live seat map: WebSocket upgrade (snapshot, then deltas; send resume)", success: 101 },
  },
  "/api/v1/events/{eventId}/queue": {
    post: { summary: "Join the waiting room (or present a queue token again as Bearer)", success: 201 },
    get: { summary: "Poll the waiting room with the queue token as Bearer", auth: "queue token", success: 200 },
  },
  "/api/v1/holds/{holdId}/checkout": {
    post: { summary: "Start payment: one order and one PaymentIntent per hold", auth: "customer", success: 201 },
  },
  "/api/v1/orders/{orderId}": { get: { summary: "An order with its tickets (owner)", auth: "customer", success: 200 } },
  "/api/v1/me/orders": { get: { summary: "My orders", auth: "customer", success: 200 } },
  "/api/v1/me/tickets": { get: { summary: "My valid tickets", auth: "customer", success: 200 } },
  "/api/v1/tickets/{ticketId}": { get: { summary: "A ticket (owner)", auth: "customer", success: 200 } },
  "/api/v1/tickets/{ticketId}/qr.svg": {
    get: { summary: "The ticket's code as a QR (SVG)", auth: "customer", success: 200 },
  },
  "/api/v1/tickets/{ticketId}/transfer": {
    post: { summary: "Give a ticket to someone: the old code is void", auth: "customer", body: Transfer, success: 201 },
  },
  "/api/v1/checkin": { post: { summary: "Scan a ticket at the venue", auth: "scanner", body: Checkin, success: 200 } },
  "/api/v1/events/{eventId}/revocations": {
    get: { summary: "Tickets voided since a time, for offline scanners", auth: "scanner", query: Since, success: 200 },
  },
  "/api/v1/admin/orders/{orderId}/refund": {
    post: { summary: "Refund through Stripe; the refund webhook returns the seats", auth: "organizer", success: 202 },
  },
  "/webhooks/stripe": { post: { summary: "Stripe's signed events (raw body, Stripe-Signature)", success: 200 } },
  "/.well-known/jwks.json": { get: { summary: "Public keys that verify ticket codes", success: 200 } },
  "/api/v1/challenge": {
    get: { summary: "A proof-of-work challenge, for clients that want one in advance", success: 200 },
    post: { summary: "Trade a solved challenge for a clearance (X-Clearance)", body: ChallengeSolution, success: 200 },
  },
  "/api/v1/holds/{holdId}/extend": { post: { summary: "Extend a hold (owner)", auth: "customer", success: 200 } },
  "/api/v1/admin/venues": {
    post: { summary: "Create a venue with its seat map", auth: "organizer", body: VenueCreate, success: 201 },
  },
  "/api/v1/admin/venues/{venueId}": { get: { summary: "A venue (owner)", auth: "organizer", success: 200 } },
  "/api/v1/admin/events": {
    get: { summary: "The organizer's events", auth: "organizer", success: 200 },
    post: { summary: "Create an event", auth: "organizer", body: EventCreate, success: 201 },
  },
  "/api/v1/admin/events/{eventId}": {
    get: { summary: "An event of the organizer, drafts included", auth: "organizer", success: 200 },
    patch: { summary: "Edit, publish, pause, resume or cancel", auth: "organizer", body: EventPatch, success: 200 },
  },
  "/api/v1/admin/events/{eventId}/stats": {
    get: {
      summary: "Live sales figures, the waiting room's length and admissions, sales over time",
      auth: "organizer",
      success: 200,
    },
  },
};

const ErrorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
      additionalProperties: true,
    },
  },
};

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

function queryParameters(schema: z.ZodType) {
  const json = schemaOf(schema) as { properties?: Record<string, unknown> };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: false,
    schema: property,
  }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(ROUTES)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      paths[path][method] = {
        summary: op.summary,
        parameters: [...pathParameters(path), ...(op.query ? queryParameters(op.query) : [])],
        ...(op.body && {
          requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body) } } },
        }),
        ...(op.auth && { security: [{ bearer: [] }], "x-role": op.auth }),
        responses: {
          [op.success]: { description: "Success" },
          default: { description: "Error", content: { "application/json": { schema: ErrorBody } } },
        },
      };
    }
  }
  cached = {
    openapi: "3.1.0",
    info: { title: "Edge ticketing API", version: "1.0.0" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
  return cached;
}
