import type { Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError, errorResponse } from "../errors";
import { allowedMethods, ROUTES, type RouteSpec, routesAt } from "../route-table";
import { botScore } from "./bot-score";
import { rateLimit } from "./rate-limit";

/** What a browser may send cross-origin (API.md, CORS), and read back. */
export const CORS_REQUEST_HEADERS = [
  "authorization",
  "content-type",
  "idempotency-key",
  "x-access-token",
  "x-clearance",
  "if-none-match",
  "x-request-id",
  "traceparent",
];
const EXPOSED_HEADERS = [
  "etag",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-policy",
  "www-authenticate",
  "allow",
  "x-request-id",
  "traceresponse",
  "x-cache",
].join(", ");
const PREFLIGHT_MAX_AGE_SECONDS = "600";
/** Bodies that Cloudflare compresses on the way out (its default content types). */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

const routeFor = (routes: readonly RouteSpec[], method: string): RouteSpec | undefined =>
  routes.find((r) => r.method === (method === "HEAD" ? "GET" : method));

/** Sets headers on the response, copying it first when its headers are immutable (a passed-through fetch). */
function withHeaders(c: Context<AppEnv>, set: (headers: Headers) => void): void {
  try {
    set(c.res.headers);
  } catch {
    const copy = new Response(c.res.body, c.res);
    set(copy.headers);
    c.res = undefined;
    c.res = copy;
  }
}

function appendVary(headers: Headers, name: string): void {
  const vary = headers.get("vary");
  if (!vary) headers.set("vary", name);
  else if (
    !vary
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(name.toLowerCase())
  )
    headers.set("vary", `${vary}, ${name}`);
}

function allowedOrigin(c: Context<AppEnv>): string | undefined {
  const origin = c.req.header("origin")?.toLowerCase();
  return origin && c.var.settings.corsOrigins.includes(origin) ? origin : undefined;
}

/**
 * The HTTP conventions of API.md, from the route table, around every request:
 * - CORS: public reads answer any origin (`*`, and `Cross-Origin-Resource-Policy: cross-origin`);
 *   everything else answers only the origins in CORS_ORIGINS, and always `Vary: Origin`.
 *   A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here, before auth,
 *   bot score and rate limits: 204 with the path's methods, the allowed headers and a max-age.
 * - `Cache-Control: private, no-store` on personal data (ticket codes, orders, holds).
 * - `Vary: Accept-Encoding` on bodies the edge compresses.
 */
export const httpSurface = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const routes = routesAt(c.req.path);
    const isPublic = routes.length > 0 && routes.every((r) => r.cors === "public");
    const origin = allowedOrigin(c);

    if (c.req.method === "OPTIONS" && routes.length > 0) {
      const allow = allowedMethods(routes).join(", ");
      const headers: Record<string, string> = { allow };
      const preflight = c.req.header("origin") && c.req.header("access-control-request-method");
      if (preflight && (isPublic || origin)) {
        headers["access-control-allow-origin"] = isPublic ? "*" : (origin ?? "");
        headers["access-control-allow-methods"] = allow;
        headers["access-control-allow-headers"] = CORS_REQUEST_HEADERS.join(", ");
        headers["access-control-max-age"] = PREFLIGHT_MAX_AGE_SECONDS;
      }
      if (!isPublic) headers.vary = "Origin";
      c.header("x-request-id", c.var.requestId);
      return c.body(null, 204, headers);
    }

    await next();

    const route = routeFor(routes, c.req.method);
    if (c.res.status === 101) return;
    withHeaders(c, (headers) => {
      if (isPublic) {
        headers.set("access-control-allow-origin", "*");
        headers.set("access-control-expose-headers", EXPOSED_HEADERS);
        headers.set("cross-origin-resource-policy", "cross-origin");
      } else if (routes.length > 0) {
        appendVary(headers, "Origin");
        if (origin) {
          headers.set("access-control-allow-origin", origin);
          headers.set("access-control-expose-headers", EXPOSED_HEADERS);
        }
      }
      if (route?.personal && !/no-store/.test(headers.get("cache-control") ?? "")) {
        headers.set("cache-control", "private, no-store");
      }
      if (COMPRESSIBLE.test(headers.get("content-type") ?? "")) appendVary(headers, "Accept-Encoding");
    });
  });

/**
 * Edge protection per route class, from the route table: the bot score on writes where the
 * table says so, then the class's rate limits; registered before any route.
 */
export function protectRoutes(app: Hono<AppEnv>): void {
  for (const route of ROUTES) {
    if (!route.protection) continue;
    const { class: routeClass, bot } = route.protection;
    const limit = rateLimit({ routeClass });
    if (bot) app.on(route.method, route.path, botScore({ routeClass }), limit);
    else app.on(route.method, route.path, limit);
  }
}

/** Unmatched requests: 405 with `Allow` on a known path, else the contract's 404. */
export function notFound(c: Context<AppEnv>): Response {
  const routes = routesAt(c.req.path);
  if (routes.length > 0) {
    const allow = allowedMethods(routes).join(", ");
    return errorResponse(
      c,
      new ApiError(
        "METHOD_NOT_ALLOWED",
        `${c.req.method} is not served at ${c.req.path}; use ${allow}.`,
        {},
        { allow },
      ),
    );
  }
  return errorResponse(c, new ApiError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`));
}
