import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { readiness } from "../readiness";

/** 200 `{ok: true}` or 503 `{ok: false, failing: [...]}`; never cached (it is a probe). */
export async function readinessResponse(c: Context<AppEnv>): Promise<Response> {
  const ready = await readiness(c.env);
  if (!ready.ok) c.get("log")?.("warn", "not ready", { failing: ready.failing });
  c.header("cache-control", "no-store");
  return c.json(ready, ready.ok ? 200 : 503);
}

/** `/healthz` is liveness (the isolate answers); `/readyz` is readiness (it can serve a sale). */
export const health = new Hono<AppEnv>().get("/healthz", (c) => c.json({ ok: true })).get("/readyz", readinessResponse);
