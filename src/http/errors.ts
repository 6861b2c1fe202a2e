import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { DomainError, DomainErrorCode } from "../domain/result";

export type ErrorCode =
  | DomainErrorCode
  | "MALFORMED_JSON"
  | "UNAUTHENTICATED"
  | "QUEUE_REQUIRED"
  | "CHALLENGE_REQUIRED"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "METHOD_NOT_ALLOWED"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "UPGRADE_REQUIRED"
  | "INVALID_SIGNATURE"
  | "PAYMENTS_UNAVAILABLE"
  | "OVERLOADED"
  | "INTERNAL";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUEUE_REQUIRED: 403,
  PRESALE_CODE_REQUIRED: 403,
  CHALLENGE_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SEATS_UNAVAILABLE: 409,
  SOLD_OUT: 409,
  NOT_ON_SALE: 409,
  EXTENSION_LIMIT: 409,
  HOLD_NOT_ACTIVE: 409,
  CONFLICT: 409,
  HOLD_EXPIRED: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  LIMIT_EXCEEDED: 422,
  IDEMPOTENCY_MISMATCH: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PAYMENTS_UNAVAILABLE: 503,
  OVERLOADED: 503,
};

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
    this.status = STATUS[code];
  }

  static fromDomain(error: DomainError): ApiError {
    const { code, message, ...details } = error;
    if (code === "VALIDATION_FAILED" && !("issues" in details)) {
      return new ApiError(code, message, { issues: [{ path: "", message }] });
    }
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
  return c.json(errorBody(error.code, error.message, error.details), error.status);
}

/** Unwraps a domain Result or throws it as the matching ApiError. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: DomainError }): T {
  if (!result.ok) throw ApiError.fromDomain(result.error);
  return result.value;
}
