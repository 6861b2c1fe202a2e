import { Hono } from "hono";
import type { AppEnv } from "../context";

export const health = new Hono<AppEnv>().get("/healthz", (c) => c.json({ ok: true }));
