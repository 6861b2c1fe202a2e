import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { HtmlEscapedString } from "hono/utils/html";
import { settingsFrom } from "../config";
import { contentSecurityPolicy } from "../http/content-security-policy";
import type { AppEnv, User } from "../http/context";
import { ApiError, errorResponse } from "../http/errors";
import { optionalUser } from "../http/middleware/auth";

export const STRIPE_JS = "https://js.stripe.com";

/**
 * Headers for HTML pages only (the JSON API keeps its own): a Content-Security-Policy that allows
 * our own scripts, styles, workers and sockets and nothing inline, plus Stripe's origins on the
 * one page that may load Stripe.js. Pages show who is signed in, so they are never cached.
 */
export const pageHeaders = (options: { stripe?: (env: Env) => boolean } = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const { host, protocol } = new URL(c.req.url);
    const socket = `${protocol === "https:" ? "wss" : "ws"}://${host}`;
    const withStripe = options.stripe?.(c.env) ?? false;
    const stripe = withStripe ? ` ${STRIPE_JS}` : "";
    const policy = contentSecurityPolicy({
      "default-src": "'self'",
      "script-src": `'self'${stripe}`,
      "style-src": "'self'",
      "connect-src": `'self' ${socket}${withStripe ? " https://api.stripe.com" : ""}`,
      "worker-src": "'self'",
      "frame-src": withStripe ? `${STRIPE_JS} https://hooks.stripe.com` : "'none'",
      "form-action": "'self'",
    });
    c.header("content-security-policy", policy);
    c.header("cache-control", "private, no-store");
    c.header("vary", "cookie");
  });

/**
 * Who is signed in, for pages: the `session` cookie (or a bearer token, for scripts); a missing or
 * bad one is just nobody.
 */
export function pageUser(c: Context<AppEnv>): Promise<User | undefined> {
  return optionalUser(c);
}

/**
 * A page that cannot be shown: an HTML page for browsers (which ask for text/html), the contract's
 * JSON error for everyone else, so that every 4xx keeps the API's error shape for API clients.
 */
export function pageError(
  c: Context<AppEnv>,
  code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND",
  page: () => HtmlEscapedString | Promise<HtmlEscapedString>,
  message: string,
): Response | Promise<Response> {
  const error = new ApiError(code, message);
  if (!(c.req.header("accept") ?? "").includes("text/html")) return errorResponse(c, error);
  return c.html(page(), error.status);
}

/** Stripe's Payment Element is used (and Stripe.js allowed) only with a publishable key. */
export const stripePublishableKey = (env: Env): string | undefined => settingsFrom(env).stripe.publishableKey;

export const devLoginEnabled = (env: Env): boolean => settingsFrom(env).devRoutes;

/**
 * Where to sign in and come back to `next`: the sign-in page, everywhere (it offers `/dev/login`
 * beside its form in local development). `_role` is kept for callers that name the role they need.
 */
export function signInUrl(_env: Env, next: string, _role = "customer"): string | undefined {
  return `/signin?${new URLSearchParams({ next })}`;
}
