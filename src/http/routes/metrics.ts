import { Hono } from "hono";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { collectMetrics } from "../metrics/collect";
import { PROMETHEUS_CONTENT_TYPE } from "../metrics/prometheus";

const digest = async (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

/** Compares digests, so that neither the token's length nor its first wrong byte shows in the timing. */
async function tokenMatches(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** `GET /metrics`: the Prometheus text format, for a scraper holding METRICS_TOKEN as its bearer token. */
export const metrics = new Hono<AppEnv>().get("/metrics", async (c) => {
  const expected = c.var.settings.metrics.token;
  const given = /^Bearer (.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  if (!expected) throw new ApiError("UNAUTHENTICATED", "Metrics are off here: set METRICS_TOKEN to scrape them.");
  if (!given || !(await tokenMatches(given, expected))) {
    throw new ApiError("UNAUTHENTICATED", "GET /metrics needs the METRICS_TOKEN as a bearer token.");
  }
  const text = await collectMetrics(c.env, c.executionCtx as ExecutionContext);
  return c.body(text, 200, { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" });
});
