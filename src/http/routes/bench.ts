import { Hono } from "hono";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth } from "../middleware/auth";
import { roomFor } from "../rooms";
import { EventIdParam, HoldCreate } from "../schemas";
import { jsonBody, pathParams } from "../validate";

/**
 * The benchmark's ceiling: the hold route's whole edge path (auth, JSON, zod) and one RPC round
 * trip to the event's room that decides and stores nothing. Exists only when BENCH_ROUTES=on.
 */
export const bench = new Hono<AppEnv>().post(
  "/bench/events/:eventId/ping",
  async (c, next) => {
    if (!c.var.settings.benchRoutes) throw new ApiError("NOT_FOUND", "No such route.");
    await next();
  },
  pathParams(EventIdParam),
  auth(),
  jsonBody(HoldCreate),
  async (c) => c.json({ version: await roomFor(c.env, c.var.params.eventId).ping() }, 201),
);
