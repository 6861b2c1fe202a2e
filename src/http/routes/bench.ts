import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth } from "../middleware/auth";
import { roomFor } from "../rooms";
import { BenchSoakBody, EventIdParam, HoldCreate } from "../schemas";
import { jsonBody, pathParams } from "../validate";

/**
 * The benchmark's ceiling: the hold route's whole edge path (auth, JSON, zod) and one RPC round
 * trip to the event's room that decides and stores nothing. Exists only when BENCH_ROUTES=on.
 */
const onlyWithBenchRoutes = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.settings.benchRoutes) throw new ApiError("NOT_FOUND", "No such route.");
  await next();
});

export const bench = new Hono<AppEnv>()
  .post(
    "/bench/events/:eventId/ping",
    onlyWithBenchRoutes,
    pathParams(EventIdParam),
    auth(),
    jsonBody(HoldCreate),
    async (c) => c.json({ version: await roomFor(c.env, c.var.params.eventId).ping() }, 201),
  )
  .post(
    "/bench/events/:eventId/soak",
    onlyWithBenchRoutes,
    pathParams(EventIdParam),
    jsonBody(BenchSoakBody),
    async (c) => {
      const { sectionId, count } = c.var.body;
      return c.json(await roomFor(c.env, c.var.params.eventId).soakForBench(sectionId, count));
    },
  )
  .post("/bench/events/:eventId/restart", onlyWithBenchRoutes, pathParams(EventIdParam), async (c) => {
    await roomFor(c.env, c.var.params.eventId)
      .restartForBench()
      .catch(() => {});
    return c.json({ restarted: true });
  });
