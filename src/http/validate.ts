import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import type { AppEnv } from "./context";
import { ApiError, type Issue } from "./errors";

export function issuesOf(error: z.ZodError, prefix = ""): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== "").join("."),
    message: issue.message,
  }));
}

export function validationFailed(issues: Issue[]): ApiError {
  const first = issues[0];
  const message = first ? `${first.path || "request"}: ${first.message}` : "The request is not valid.";
  return new ApiError("VALIDATION_FAILED", message, { issues });
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(issuesOf(result.error, prefix));
  return result.data;
}

/** `application/json`, whatever its parameters (`; charset=utf-8`). */
const isJson = (contentType: string | undefined): boolean =>
  contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";

/** A JSON body: another content type is 415 UNSUPPORTED_MEDIA_TYPE; a body that is not JSON, MALFORMED_JSON. */
export const jsonBody = <S extends z.ZodType>(schema: S) =>
  createMiddleware<AppEnv & { Variables: { body: z.output<S> } }>(async (c, next) => {
    const bytes = await c.req.arrayBuffer();
    if (bytes.byteLength > 0 && !isJson(c.req.header("content-type"))) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON, with `content-type: application/json`.", {
        accepted: ["application/json"],
      });
    }
    const text = new TextDecoder().decode(bytes);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError("MALFORMED_JSON", "The request body is not valid JSON.");
    }
    c.set("body", parse(schema, value, ""));
    await next();
  });

export const queryParams = <S extends z.ZodType>(schema: S) =>
  createMiddleware<AppEnv & { Variables: { query: z.output<S> } }>(async (c, next) => {
    c.set("query", parse(schema, c.req.query(), "query"));
    await next();
  });

export const pathParams = <S extends z.ZodType>(schema: S) =>
  createMiddleware<AppEnv & { Variables: { params: z.output<S> } }>(async (c, next) => {
    c.set("params", parse(schema, c.req.param(), "params"));
    await next();
  });
