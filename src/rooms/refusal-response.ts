import { ERROR_STATUS } from "../domain/error-codes";
import type { DomainError, Result } from "../domain/result";

/**
 * A refusal from the one table (src/domain/refusals.ts) as an HTTP answer in the contract's error
 * shape with its code's status, for the room's own HTTP endpoint (the live seat map's WebSocket);
 * everything else reaches the edge over RPC and leaves through ApiError.
 */
export function refusalResponse(refusal: Result<never>): Response {
  // A `refuse.*` result is always a failure; Result<never> still names the success side.
  const { error } = refusal as { ok: false; error: DomainError };
  return Response.json({ error }, { status: ERROR_STATUS[error.code] });
}
