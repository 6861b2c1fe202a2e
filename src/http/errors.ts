import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERROR_STATUS, type ErrorCode } from "../domain/error-codes";
import type { DomainError } from "../domain/result";

export type { ErrorCode } from "../domain/error-codes";

export interface Issue {
  path: string;
  message: string;
}

/** The one error type the edge throws; `onError` turns it into the contract's error body. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    // An ApiError is an answer, not a fault: it is never logged with a stack, and capturing one
    // cost ~35 µs per refused hold (the commonest answer of a hot on-sale).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.status = ERROR_STATUS[code];
  }

  static fromDomain(error: DomainError): ApiError {
    const { code, message, ...details } = error;
    if (code === "VALIDATION_FAILED" && !("issues" in details)) {
      return new ApiError(code, message, { issues: [{ path: "", message }] });
    }
    // The contract names `details.reason`; the error body also carries it at the top, like every detail.
    if (code === "VOUCHER_INVALID")
      return new ApiError(code, message, { ...details, details: { reason: details.reason } });
    return new ApiError(code, message, details);
  }
}

export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { error: { ...details, code, message } };
}

export function errorResponse(c: Context, error: ApiError): Response {
  // RFC 9110: a 401 names its scheme; a token that was sent and refused is an invalid_token (RFC 6750).
  if (error.status === 401) {
    c.header("www-authenticate", c.req.header("authorization") ? `Bearer error="invalid_token"` : "Bearer");
  }
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  // The edge's metrics count refusals by code (src/http/metrics/edge-counters.ts).
  c.set("errorCode", error.code);
  return c.json(errorBody(error.code, error.message, error.details), error.status);
}

/** Unwraps a domain Result or throws it as the matching ApiError. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: DomainError }): T {
  if (!result.ok) throw ApiError.fromDomain(result.error);
  return result.value;
}
