import { Hono } from "hono";
import type { AppEnv } from "../context";
import { openApiDocument } from "../openapi";
import { referenceHtml } from "../reference";

/**
 * GET /docs: the API reference, rendered on the server from the OpenAPI document. No script at all
 * (nothing from a CDN), so its own Content-Security-Policy allows only its inline stylesheet.
 */
export const docs = new Hono<AppEnv>().get("/docs", (c) => {
  const nonce = crypto.randomUUID().replaceAll("-", "");
  const policy = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  c.header("content-security-policy", policy);
  c.header("cache-control", "public, max-age=300");
  return c.html(referenceHtml(openApiDocument(new URL(c.req.url).origin), nonce));
});
