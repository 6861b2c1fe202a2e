import { createMiddleware } from "hono/factory";
import { logLevelFrom, settingsFrom } from "../../config";
import { type Logger, loggerFor, newTraceId, parseTraceparent, traceparentFor } from "../../log";
import type { AppEnv } from "../context";
import { countRequest } from "../metrics/edge-counters";

export type { Logger };

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id and a W3C trace id, a logger bound to both, and typed settings; echoes
 * the request id (and, as `traceresponse`, the trace) on the response and logs the outcome. A
 * well-formed incoming `x-request-id` is kept; without one, an incoming `traceparent`'s trace id is
 * the request id too, so that one id finds every line of the request (edge and queue consumer).
 */
export const requestContext = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const trace = parseTraceparent(c.req.header("traceparent"));
    const traceId = trace?.traceId ?? newTraceId();
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : (trace?.traceId ?? crypto.randomUUID());
    // The log level comes first, read on its own when another setting is bad, so that the bad setting is itself logged.
    const log = loggerFor(requestId, logLevelFrom(c.env), traceId);
    const started = Date.now();
    c.set("requestId", requestId);
    c.set("log", log);
    const settings = settingsFrom(c.env);
    c.set("settings", settings);
    c.set("user", undefined);
    await next();
    c.header("x-request-id", requestId);
    c.header("traceresponse", traceparentFor(traceId, trace?.flags));
    if (settings.metrics.on) countRequest(c, c.get("errorCode"), Date.now() - started);
    if (c.res.status >= 500 || settings.logRequests) {
      log(c.res.status >= 500 ? "error" : "info", "request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Date.now() - started,
      });
    }
  });
