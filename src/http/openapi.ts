import { z } from "zod";
import * as R from "../contract/responses";
import type { OpenApiDocument } from "./openapi-doc";
import { type HeaderName, ROUTES, type RouteSpec } from "./route-table";

/**
 * The OpenAPI 3.1 document, derived from the route table: request shapes from the zod schemas the
 * routes validate with, response bodies from the zod schemas the views are built to
 * (src/contract/responses.ts), both through zod's own z.toJSONSchema. Pages and assets are left out.
 */

type Json = Record<string, unknown>;

const DOCUMENTED = new Set(["json", "html", "svg", "websocket", "webhook", "text", "csv"]);
/**
 * What the published document (and so the typed client) describes: the API, not the operations that
 * exist only in local development or for the benchmarks (tag "Development"); CONTRIBUTING and the
 * README's Benchmarks section name those.
 */
export const documentedRoutes = (): RouteSpec[] =>
  ROUTES.filter((r) => DOCUMENTED.has(r.kind ?? "json") && r.tag !== "Development");

/** `/api/v1/events/:eventId` → `/api/v1/events/{eventId}`. */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, "{$1}");

function clean(schema: unknown): Json {
  const { $schema: _s, $id: _i, ...rest } = schema as Json;
  return rest;
}

const inputSchema = (schema: z.ZodType): Json => clean(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
/** Answers may grow fields (the contract allows it): objects stay open in the document. */
const open: NonNullable<Parameters<typeof z.toJSONSchema>[1]>["override"] = (ctx) => {
  if (ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties;
};
const outputSchema = (schema: z.ZodType): Json =>
  clean(z.toJSONSchema(schema, { io: "output", unrepresentable: "any", override: open }));

/** The response schemas by name, for components.schemas and $refs. */
function componentSchemas(): { schemas: Record<string, Json>; nameOf: Map<z.ZodType, string> } {
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(R)) {
    if (!(value instanceof z.ZodType) || registry.has(value)) continue;
    registry.add(value, { id: name });
    nameOf.set(value, name);
  }
  const out = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
    override: open,
  });
  const schemas = Object.fromEntries(Object.entries(out.schemas).map(([name, s]) => [name, clean(s)]));
  return { schemas, nameOf };
}

const HEADERS: Record<HeaderName, Json> = {
  "Idempotency-Key": {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description: "Retries with the same key and body get the first answer again; another body, 422.",
    schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,128}$" },
  },
  "X-Access-Token": {
    name: "X-Access-Token",
    in: "header",
    required: false,
    description: "The waiting room's access token, needed while the event's waiting room is active.",
    schema: { type: "string", maxLength: 4096 },
  },
  "X-Clearance": {
    name: "X-Clearance",
    in: "header",
    required: false,
    description: "A clearance from POST /api/v1/challenge: lets a non-browser client past the bot score.",
    schema: { type: "string", maxLength: 4096 },
  },
  "Stripe-Signature": {
    name: "Stripe-Signature",
    in: "header",
    required: true,
    description: "Stripe's signature of the raw body (t=...,v1=...).",
    schema: { type: "string" },
  },
  "If-Match": {
    name: "If-Match",
    in: "header",
    required: false,
    description: 'The event\'s version the edit was made from, e.g. "3": 412 when the event has moved on.',
    schema: { type: "string", maxLength: 32 },
  },
  "If-None-Match": {
    name: "If-None-Match",
    in: "header",
    required: false,
    description: "An ETag from an earlier answer: 304 when it still matches.",
    schema: { type: "string" },
  },
};
const headerRef = (name: HeaderName) => ({ $ref: `#/components/parameters/${name.replaceAll("-", "")}` });

function parameters(route: RouteSpec): Json[] {
  const path = route.params ? inputSchema(route.params) : undefined;
  const pathProps = (path?.properties ?? {}) as Record<string, Json>;
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const out: Json[] = names.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: pathProps[name] ?? { type: "string" },
  }));
  if (route.query) {
    const input = inputSchema(route.query);
    const output = outputSchema(route.query);
    const inProps = (input.properties ?? {}) as Record<string, Json>;
    const outProps = (output.properties ?? {}) as Record<string, Json>;
    const required = new Set((input.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(inProps)) {
      // The value the server works with (a number 1-100) says more than the string it arrives as.
      const typed = outProps[name] && "type" in outProps[name] ? outProps[name] : schema;
      out.push({ name, in: "query", required: required.has(name), schema: typed });
    }
  }
  for (const header of route.headers ?? []) out.push(headerRef(header));
  return out;
}

function security(route: RouteSpec): Json[] {
  if (route.auth === undefined) return [];
  if (route.auth === "queue") return [{ queueToken: [] }];
  if (route.auth === "optional") return [{}, { bearer: [] }, { session: [] }];
  return [{ bearer: [] }, { session: [] }];
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

function responses(route: RouteSpec, nameOf: Map<z.ZodType, string>): Json {
  const kind = route.kind ?? "json";
  const success: Json = { description: route.summary };
  if (kind === "html") success.content = { "text/html": { schema: { type: "string" } } };
  else if (kind === "svg") success.content = { "image/svg+xml": { schema: { type: "string" } } };
  else if (kind === "text") success.content = { "text/plain": { schema: { type: "string" } } };
  else if (kind === "csv") success.content = { "text/csv": { schema: { type: "string" } } };
  else if (kind === "websocket") success.description = "Switching to the WebSocket protocol";
  else if (route.response) {
    const name = nameOf.get(route.response);
    const schema = name ? { $ref: `#/components/schemas/${name}` } : outputSchema(route.response);
    success.content = { "application/json": { schema } };
  }
  const out: Json = { [route.status]: success };
  if (route.alsoStatus)
    out[route.alsoStatus] = {
      ...success,
      description: route.alsoStatusMeans ?? `${route.summary} (again: the same answer)`,
    };
  if (route.notModified) out["304"] = { description: "Not modified: the If-None-Match ETag still matches" };
  if (route.params || route.query || route.body || route.media || kind === "webhook")
    out["400"] = errorRef("BadRequest");
  if (route.auth && route.auth !== "optional") out["401"] = errorRef("Unauthenticated");
  if (route.auth || route.protection?.bot) out["403"] = errorRef("Forbidden");
  if (route.params) out["404"] = errorRef("NotFound");
  if (route.method !== "GET" && route.method !== "DELETE") out["409"] = errorRef("Conflict");
  if (route.holdMayEnd) out["410"] = errorRef("Gone");
  if (route.headers?.includes("If-Match")) out["412"] = errorRef("PreconditionFailed");
  if (route.body || route.media) out["413"] = errorRef("PayloadTooLarge");
  if ((route.body && !route.anyMediaType) || route.media) out["415"] = errorRef("UnsupportedMediaType");
  // LIMIT_EXCEEDED and IDEMPOTENCY_MISMATCH come only from the idempotent writes (holds, checkout).
  if (route.headers?.includes("Idempotency-Key")) out["422"] = errorRef("Unprocessable");
  if (route.condition) out["404"] = errorRef("NotFound");
  if (route.protection) out["429"] = errorRef("RateLimited");
  if (route.room || route.payments) {
    out["503"] = errorRef(
      route.room && route.payments ? "Unavailable" : route.room ? "Overloaded" : "PaymentsUnavailable",
    );
  }
  if (!Object.keys(out).some((status) => status.startsWith("4"))) out["4XX"] = errorRef("ClientError");
  out.default = errorRef("Error");
  return out;
}

function operation(route: RouteSpec, nameOf: Map<z.ZodType, string>): Json {
  const op: Json = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: security(route),
    parameters: parameters(route),
  };
  if (Array.isArray(route.auth)) op["x-roles"] = route.auth;
  if (route.protection) op["x-protection"] = { routeClass: route.protection.class, botScore: !!route.protection.bot };
  if (route.condition) {
    op["x-condition"] = route.condition;
    op.description = `Only with ${route.condition}; 404 otherwise.`;
  }
  if (route.body) {
    op.requestBody = {
      required: !route.bodyOptional,
      content: { "application/json": { schema: inputSchema(route.body) } },
    };
  } else if (route.media) {
    const binary = { schema: { type: "string", format: "binary" } };
    op.requestBody = {
      required: true,
      description: "The image's bytes; its type is judged by them and must match `content-type`.",
      content: Object.fromEntries(route.media.map((type) => [type, binary])),
    };
  } else if (route.kind === "webhook") {
    op.requestBody = {
      required: true,
      description: "A Stripe event, verified byte for byte against Stripe-Signature.",
      content: { "application/json": { schema: { type: "object" } } },
    };
  }
  op.responses = responses(route, nameOf);
  return op;
}

const ERROR_CONTENT = { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } };
const errorResponse = (description: string, headers?: Json): Json => ({
  description,
  ...(headers && { headers }),
  content: ERROR_CONTENT,
});
const intHeader = (description: string) => ({ description, schema: { type: "integer" } });
const OVERLOADED = "OVERLOADED: the event's room is momentarily overloaded or unreachable; nothing was changed";
const PAYMENTS_UNAVAILABLE = "PAYMENTS_UNAVAILABLE: no payment provider is configured (outside local development)";

const TAGS: [string, string][] = [
  ["Catalog", "Published events, cached at the edge"],
  ["Inventory", "The event's live seats, from its room"],
  ["Waiting room", "Queue tokens and admission"],
  ["Holds", "Seats and GA tickets held for a while, all or nothing"],
  ["Orders", "Checkout, payment and orders"],
  ["Tickets", "Tickets, transfers and check-in"],
  ["Waitlist", "Seats that come back, offered in join order"],
  ["Edge protection", "The proof-of-work challenge behind 403 CHALLENGE_REQUIRED"],
  ["Organizer", "Venues, events, stats and refunds (organizer role)"],
  ["Accounts", "E-mail sign-in, sessions, the signed-in user and granted roles"],
  ["Operations", "Health, this document and its reference page"],
];

const cached = new Map<string, OpenApiDocument>();

/** The document, with `servers` naming the origin it is served from. */
export function openApiDocument(origin = "http://localhost:8787"): OpenApiDocument {
  const hit = cached.get(origin);
  if (hit) return hit;
  const { schemas, nameOf } = componentSchemas();
  const paths: Record<string, Json> = {};
  for (const route of documentedRoutes()) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, nameOf) };
  }
  const rateHeaders = {
    "Retry-After": intHeader("Seconds until the window resets"),
    "RateLimit-Limit": intHeader("Requests allowed per window"),
    "RateLimit-Remaining": intHeader("Requests left in this window"),
    "RateLimit-Reset": intHeader("Seconds until the window resets"),
  };
  const retryAfter = { "Retry-After": intHeader("Seconds to wait before retrying") };
  const document: Json = {
    openapi: "3.1.0",
    info: {
      title: "Edge tickets API",
      version: "1.0.0",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
      description:
        "Ticketing at the edge: catalog, live seat maps, waiting rooms, holds, checkout, tickets and check-in. " +
        'Every 4xx and 5xx answers `{"error": {"code", "message", ...details}}`; money is integer minor units with a currency.',
    },
    servers: [{ url: origin, description: "The origin that served this document" }],
    security: [{ bearer: [] }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A user token (`sub`, `roles`)" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "session",
          description: "Same-origin pages only; a write must carry a same-origin Origin",
        },
        queueToken: { type: "http", scheme: "bearer", description: "The queue token from joining the waiting room" },
      },
      parameters: Object.fromEntries(Object.entries(HEADERS).map(([name, p]) => [name.replaceAll("-", ""), p])),
      schemas,
      responses: {
        BadRequest: errorResponse("VALIDATION_FAILED (with `issues`), MALFORMED_JSON, or INVALID_SIGNATURE (webhook)"),
        Unauthenticated: errorResponse("UNAUTHENTICATED: missing, malformed, expired or badly signed token", {
          "WWW-Authenticate": { description: "Bearer", schema: { type: "string" } },
        }),
        Forbidden: errorResponse("FORBIDDEN, QUEUE_REQUIRED, PRESALE_CODE_REQUIRED or CHALLENGE_REQUIRED"),
        NotFound: errorResponse("NOT_FOUND"),
        Conflict: errorResponse(
          "SEATS_UNAVAILABLE, SOLD_OUT, NOT_ON_SALE, EXTENSION_LIMIT, HOLD_NOT_ACTIVE or CONFLICT (e.g. refunding an order that is not confirmed)",
        ),
        Gone: errorResponse("HOLD_EXPIRED: the hold has expired or was released (`status` says which)"),
        PreconditionFailed: errorResponse(
          "PRECONDITION_FAILED: the If-Match (or body `version`) is not the event's current version (`version` has it)",
        ),
        PayloadTooLarge: errorResponse("PAYLOAD_TOO_LARGE: the body is over 64 KiB"),
        UnsupportedMediaType: errorResponse("UNSUPPORTED_MEDIA_TYPE: a body that is not application/json"),
        Unprocessable: errorResponse("LIMIT_EXCEEDED or IDEMPOTENCY_MISMATCH"),
        RateLimited: errorResponse("RATE_LIMITED", rateHeaders),
        Overloaded: errorResponse(OVERLOADED, retryAfter),
        PaymentsUnavailable: errorResponse(PAYMENTS_UNAVAILABLE, retryAfter),
        Unavailable: errorResponse(`${OVERLOADED}; or ${PAYMENTS_UNAVAILABLE}`, retryAfter),
        ClientError: errorResponse("A request this operation cannot serve (405 with Allow, 413)"),
        Error: errorResponse("Any other error: 405 METHOD_NOT_ALLOWED (with Allow), 5xx"),
      },
    },
  };
  // Only the 503 answers some operation names (Redocly warns about unused components).
  const used = JSON.stringify(paths);
  const defined = (document.components as { responses: Json }).responses;
  for (const name of ["Overloaded", "PaymentsUnavailable", "Unavailable"]) {
    if (!used.includes(`"#/components/responses/${name}"`)) delete defined[name];
  }
  // Built from loose JSON Schema pieces; what comes out has the document's shape (test/worker/openapi.test.ts
  // validates it with Redocly's rules and real answers against it).
  const typed = document as unknown as OpenApiDocument;
  cached.set(origin, typed);
  return typed;
}
