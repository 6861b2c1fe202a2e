import type { z } from "zod";
import type { RouteClass } from "../protection/config";
import type { Role } from "./context";
import { ACCOUNT_ROUTES } from "./route-table/accounts";
import { BROWSE_ROUTES } from "./route-table/browse";
import { MANAGE_ROUTES } from "./route-table/manage";
import { ORGANIZE_ROUTES } from "./route-table/organize";
import { SHOP_ROUTES } from "./route-table/shop";

/**
 * Every route the Worker mounts, declared once: the OpenAPI document (openapi.ts), the edge
 * protection per route class, CORS, 405 with `Allow`, `Cache-Control: no-store` on personal data
 * and the hostile-input test's route list are all derived from this table, and
 * test/worker/route-table.test.ts fails when a mounted route is missing from it or vice versa.
 * The handlers stay plain Hono sub-apps in routes/; they validate with the same zod schemas.
 */

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type HeaderName =
  | "Idempotency-Key"
  | "X-Access-Token"
  | "X-Clearance"
  | "Stripe-Signature"
  | "If-Match"
  | "If-None-Match";

export interface RouteSpec {
  method: Method;
  /** Hono syntax, from the root: `/api/v1/events/:eventId`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** json (default): a JSON API route; the others are left out of the OpenAPI document or typed by media. */
  kind?: "json" | "html" | "page" | "asset" | "websocket" | "svg" | "redirect" | "webhook" | "text" | "csv";
  /** `user`: any signed-in user; roles: one of them (admin always); `queue`: the queue token as Bearer. */
  auth?: "user" | "queue" | "optional" | readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body is optional (an empty body is accepted). */
  bodyOptional?: boolean;
  /** The body is raw bytes of one of these media types (an image), not JSON; 413 and 415 as for JSON. */
  media?: readonly string[];
  /** The body is parsed as JSON whatever its content-type (no 415). */
  anyMediaType?: boolean;
  headers?: readonly HeaderName[];
  status: number;
  /** Another success status with the same body (joining again answers 200 instead of 201). */
  alsoStatus?: number;
  /** What `alsoStatus` means, when it is not "the same answer again" (readiness's 503). */
  alsoStatusMeans?: string;
  response?: z.ZodType;
  /** Acts on a hold that may have ended: 410 HOLD_EXPIRED once it expired or was released. */
  holdMayEnd?: boolean;
  /** Answers 304 to a matching If-None-Match (the edge caches tag every 200). */
  notModified?: boolean;
  /** Calls the event's room: 503 OVERLOADED (with Retry-After) when it is overloaded or unreachable. */
  room?: boolean;
  /** Needs the payment provider: 503 PAYMENTS_UNAVAILABLE (with Retry-After) when none is configured. */
  payments?: boolean;
  /** Edge protection: the route class's rate limits, and the bot score for writes when `bot`. */
  protection?: { class: RouteClass; bot?: boolean };
  /** `public`: any origin (`*`), not locked by CORP; `private` (default): only CORS_ORIGINS. */
  cors?: "public" | "private";
  /** The answer is someone's own data (ticket codes, orders): `Cache-Control: no-store`. */
  personal?: boolean;
  /** Exists only in local development or with a setting (404 elsewhere). */
  condition?: string;
}

export const ROUTES: readonly RouteSpec[] = [
  ...BROWSE_ROUTES,
  ...SHOP_ROUTES,
  ...MANAGE_ROUTES,
  ...ORGANIZE_ROUTES,
  ...ACCOUNT_ROUTES,
];

// ---------------------------------------------------------------- matching a request to its routes

interface Compiled {
  pattern: RegExp;
  routes: RouteSpec[];
}

let compiled: Compiled[] | undefined;

function compile(): Compiled[] {
  if (compiled) return compiled;
  const byPath = new Map<string, RouteSpec[]>();
  for (const route of ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const params = (path: string) => path.match(/:/g)?.length ?? 0;
  // Most specific (literal) paths first, once: every request looks its route up here.
  compiled = [...byPath]
    .sort(([a], [b]) => params(a) - params(b))
    .map(([path, routes]) => ({
      pattern: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/:\w+/g, "[^/]+")}$`),
      routes,
    }));
  return compiled;
}

/** The table's routes whose path matches (any method), the most specific (literal) path's. */
export function routesAt(path: string): RouteSpec[] {
  return compile().find((c) => c.pattern.test(path))?.routes ?? [];
}

/** The methods a path serves, as an `Allow` header: HEAD with GET, and OPTIONS (CORS). */
export function allowedMethods(routes: readonly RouteSpec[]): string[] {
  const methods = new Set(routes.map((r) => r.method));
  const allow: string[] = [...methods];
  if (methods.has("GET")) allow.push("HEAD");
  allow.push("OPTIONS");
  return allow;
}

/** The hostile-input test's templates: `:eventId` becomes `:event`, and so on. */
export function hostileTemplates(): [Method, string][] {
  return ROUTES.map((r) => [r.method, r.path.replace(/:(event|hold|venue|order|ticket)Id\b/g, ":$1")]);
}
