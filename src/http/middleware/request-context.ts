import { createMiddleware } from "hono/factory";
import { logLevelFrom, settingsFrom } from "../../config";
import { type Logger, loggerFor } from "../../log";
import type { AppEnv } from "../context";

export type { Logger };

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id (a well-formed incoming `x-request-id` is kept, so traces join up),
 * a logger bound to it, and typed settings; echoes the id on the response and logs the outcome.
 */
export const requestContext = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    // The log level comes first, read on its own when another setting is bad, so that the bad setting is itself logged.
    const log = loggerFor(requestId, logLevelFrom(c.env));
    const started = Date.now();
    c.set("requestId", requestId);
    c.set("log", log);
    const settings = settingsFrom(c.env);
    c.set("settings", settings);
    c.set("user", undefined);
    await next();
    c.header("x-request-id", requestId);
    if (c.res.status >= 500 || settings.logRequests) {
      log(c.res.status >= 500 ? "error" : "info", "request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Date.now() - started,
      });
    }
  });
