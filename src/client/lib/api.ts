import * as z from "zod/mini";
import { type Args, OPERATIONS, type OperationId, type ResponseOf, urlFor } from "../../contract/client.gen";
import type { ErrorCode } from "../../domain/error-codes";
import { solveChallenge } from "./challenge";
import { ApiErrorBody, Challenge, Clearance } from "./schemas";
import { load, save } from "./storage";

/** A code of the one list (src/domain/error-codes.ts), or one of the page's own when no answer was read. */
export type FailureCode = ErrorCode | "UNKNOWN" | "NETWORK" | "BAD_RESPONSE";

export type ApiFailure = {
  ok: false;
  status: number;
  code: FailureCode;
  message: string;
  details: Record<string, unknown>;
  /** Seconds, from Retry-After (429). */
  retryAfter?: number;
};
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

export interface ApiOptions {
  body?: unknown;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** Solve a proof-of-work challenge and retry when the edge asks for one (default: yes). */
  solveChallenges?: boolean;
}

const CLEARANCE_KEY = "clearance";

/** The clearance from a solved challenge, kept for this tab while it lasts (the cookie may not be set over http). */
function storedClearance(): string | undefined {
  const kept = load(CLEARANCE_KEY, Clearance);
  return kept && Date.parse(kept.expiresAt) > Date.now() ? kept.clearance : undefined;
}

function failure(status: number, body: unknown, retryAfter?: number): ApiFailure {
  const parsed = ApiErrorBody.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      status,
      code: status >= 500 ? "INTERNAL" : "UNKNOWN",
      message: "Something went wrong.",
      details: {},
    };
  }
  const { code, message, ...details } = parsed.data.error;
  return { ok: false, status, code, message, details, retryAfter };
}

/**
 * Calls our JSON API from a page: same-origin, so the session cookie rides along and the browser
 * adds the Origin header that cookie-authenticated writes need. A 403 CHALLENGE_REQUIRED is
 * solved in a Web Worker (src/client/lib/challenge.ts) and the request sent once more with the
 * clearance; every other answer is returned, parsed: the data with `schema`, errors by code.
 */
export async function api<S extends z.ZodMiniType>(
  method: string,
  path: string,
  schema: S,
  options: ApiOptions = {},
): Promise<ApiResult<z.output<S>>> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    const clearance = storedClearance();
    if (clearance) headers["x-clearance"] = clearance;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: "same-origin",
      });
    } catch {
      return {
        ok: false,
        status: 0,
        code: "NETWORK",
        message: "We could not reach the server. Check your connection.",
        details: {},
      };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (response.ok) {
      const parsed = schema.safeParse(body);
      if (parsed.success) return { ok: true, status: response.status, data: parsed.data };
      return {
        ok: false,
        status: response.status,
        code: "BAD_RESPONSE",
        message: "The server's answer was not understood.",
        details: {},
      };
    }
    const retryAfter = Number(response.headers.get("retry-after")) || undefined;
    const error = failure(response.status, body, retryAfter);
    if (error.code !== "CHALLENGE_REQUIRED" || options.solveChallenges === false || attempt >= 2) return error;
    const challenge = Challenge.safeParse(error.details.challenge);
    if (!challenge.success) return error;
    const solved = await solveChallenge(challenge.data);
    if (!solved.ok) return { ...error, message: solved.message };
    save(CLEARANCE_KEY, { clearance: solved.clearance, expiresAt: solved.expiresAt });
  }
}

/** A fresh key for one logical write; retries of that write reuse it. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/**
 * A call by operationId, typed by the OpenAPI document through the generated client
 * (src/contract/client.gen.ts, what TypeScript integrators get): `call("getEvent", { params: { eventId } })`.
 * The same session cookie, challenge solving and error handling as `api`; the answer is typed by
 * the document, and `schema` (optional) checks it at run time as well.
 */
export function call<K extends OperationId>(
  operation: K,
  args: Args<K>,
  options: Omit<ApiOptions, "body"> = {},
): Promise<ApiResult<ResponseOf<K>>> {
  const [method] = OPERATIONS[operation];
  return api(method, urlFor(operation, args), z.custom<ResponseOf<K>>(), {
    ...options,
    headers: { ...args.headers, ...options.headers },
    body: args.body,
  });
}
