import { Hono } from "hono";
import { contentSecurityPolicy } from "../content-security-policy";
import type { AppEnv } from "../context";
import { openApiDocument } from "../openapi";
import { referenceHtml } from "../reference";

/**
 * GET /docs: the API reference, rendered on the server from the OpenAPI document. No script at all
 * (nothing from a CDN), so its own Content-Security-Policy allows only its inline stylesheet.
 */
export const docs = new Hono<AppEnv>().get("/docs", (c) => {
  const nonce = crypto.randomUUID().replaceAll("-", "");
  c.header("content-security-policy", contentSecurityPolicy({ "style-src": `'nonce-${nonce}'` }));
  c.header("cache-control", "public, max-age=300");
  return c.html(referenceHtml(openApiDocument(new URL(c.req.url).origin), nonce));
});
