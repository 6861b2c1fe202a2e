import type { Context } from "hono";
import { flushSignals, hasPendingSignals, noteSignal } from "../../alerts/signals";
import { routesAt } from "../route-table";

/**
 * The edge's own counts. The edge is stateless and runs in many isolates at once, so these are
 * one isolate's (what `/metrics` shows of the edge locally, where one isolate serves everything);
 * in production every request is also one Analytics Engine data point (ANALYTICS binding), which
 * is the edge's truth across isolates. Schema (docs in README "Observability"):
 *   index1 = route class; blob1 = route class, blob2 = method, blob3 = status, blob4 = error code
 *   ("" if none), blob5 = cache result (x-cache, "" if none), blob6 = colo; double1 = 1 (count),
 *   double2 = duration in ms.
 */
export interface EdgeCounts {
  /** `class status` → count. */
  requests: Map<string, number>;
  /** Error code → count (RATE_LIMITED is a rate-limit refusal, CHALLENGE_REQUIRED a challenge...). */
  refusals: Map<string, number>;
  /** x-cache value (hit, miss, stale...) → count. */
  cache: Map<string, number>;
  /** Holds the edge refused from its copy of the taken stock (src/http/edge-refusals.ts), by code. */
  holdRefusals: Map<string, number>;
}

const counts: EdgeCounts = { requests: new Map(), refusals: new Map(), cache: new Map(), holdRefusals: new Map() };

export const edgeCounts = (): EdgeCounts => counts;

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** A hold decided at the edge (refused from its copy): the room never sees it, so the edge counts it. */
export const countEdgeHoldRefusal = (code: string): void => void bump(counts.holdRefusals, code);

/** The class a path counts under: its rate-limit class, else its kind (page, asset...), else api/unknown. */
export function routeClassOf(path: string): string {
  const route = routesAt(path)[0];
  if (!route) return "unmatched";
  return route.protection?.class ?? route.kind ?? (path.startsWith("/api/") ? "api" : "operations");
}

interface AnalyticsDataset {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Counts one answered request (after the route ran) and writes its Analytics Engine data point. */
export function countRequest(c: Context, errorCode: string | undefined, durationMs: number): void {
  const routeClass = routeClassOf(c.req.path);
  const status = c.res.status;
  bump(counts.requests, `${routeClass} ${status}`);
  if (errorCode) bump(counts.refusals, errorCode);
  // What the alert rules watch (src/http/alerts): noted here, added to KV after the answer.
  if (errorCode === "INVALID_SIGNATURE") noteSignal("webhook_signature_failed");
  if (errorCode === "OVERLOADED") noteSignal("room_unavailable");
  if (hasPendingSignals()) c.executionCtx.waitUntil(flushSignals((c.env as Env).RATE_LIMITS));
  const cache = c.res.headers.get("x-cache") ?? "";
  if (cache) bump(counts.cache, cache);
  const dataset = (c.env as { ANALYTICS?: AnalyticsDataset }).ANALYTICS;
  if (!dataset) return;
  const colo = (c.req.raw as { cf?: { colo?: unknown } }).cf?.colo;
  try {
    dataset.writeDataPoint({
      indexes: [routeClass],
      blobs: [routeClass, c.req.method, String(status), errorCode ?? "", cache, typeof colo === "string" ? colo : ""],
      doubles: [1, durationMs],
    });
  } catch {
    // Metrics must never fail the request they describe.
  }
}
