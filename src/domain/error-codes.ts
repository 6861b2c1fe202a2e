/**
 * The one list of error codes (docs/API.md, "Conventions"), each with the HTTP status it answers
 * with. The edge's ApiError, the room's refusals, the OpenAPI `enum` and the browser's switches all
 * take their codes from here, so a code that is not in this table cannot be sent or matched.
 * Plain data, no imports: browser code may import it too.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_SIGNATURE: 400,
  SPANS_ROOMS: 400,
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
  VOUCHER_INVALID: 409,
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
  // Only between a room and the edge: another room of an event split by section decides this, and
  // the edge asks there (src/http/room-split.ts); a client sees it only if the split keeps moving.
  WRONG_ROOM: 503,
} as const satisfies Record<
  string,
  400 | 401 | 403 | 404 | 405 | 409 | 410 | 412 | 413 | 415 | 422 | 426 | 429 | 500 | 503
>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every code, in the table's order (the OpenAPI `enum`). */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
