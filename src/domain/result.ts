/**
 * Domain outcomes. Refusals are ordinary values, not exceptions: on a hot on-sale most answers
 * are refusals, and an Error with a stack trace costs more than the decision itself.
 */

import type { ErrorCode } from "./error-codes";

/** A refusal's code: any code of the one list (src/domain/error-codes.ts). */
export type DomainErrorCode = ErrorCode;

/** Details travel over RPC to the edge: plain, shallow JSON (a recursive type defeats RPC typing). */
export type Json = string | number | boolean | null | undefined | string[] | Array<Record<string, string | number>>;

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  [detail: string]: Json;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: DomainErrorCode, message: string, details?: Record<string, Json>): Result<T> => ({
  ok: false,
  error: { ...details, code, message },
});
