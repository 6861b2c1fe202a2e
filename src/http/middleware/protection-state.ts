import { FailedChallenges } from "../../protection/bot-score";
import type { RouteClass } from "../../protection/config";
import { type CounterStore, RateCounters } from "../../protection/rate-counters";

/**
 * What the edge's protections remember and the clock they read. Production has one per isolate
 * (`isolateProtection`); a test makes its own, with a clock it sets and a Map for a store, and
 * passes it to `rateLimit({ state })` and `botScore({ state })`.
 */
export interface ProtectionState {
  /** This isolate's counters: exact here, shared with other isolates through `store`. */
  readonly counters: RateCounters;
  /** Challenges failed recently in this isolate, per client binding: a signal for the score. */
  readonly failedChallenges: FailedChallenges;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Where the counts are shared with other isolates (KV in production). */
  store: (env: Env) => CounterStore;
  /** How a flush loop waits for its next pass (off the request path). */
  wait: (ms: number) => Promise<void>;
  /** When the running flush loop started; 0 when none runs. */
  flushingSince: number;
}

export type ProtectionStateOptions = Partial<Omit<ProtectionState, "flushingSince">>;

export function protectionState(options: ProtectionStateOptions = {}): ProtectionState {
  return {
    counters: options.counters ?? new RateCounters(),
    failedChallenges: options.failedChallenges ?? new FailedChallenges(),
    now: options.now ?? (() => Date.now()),
    store: options.store ?? ((env) => env.RATE_LIMITS),
    wait: options.wait ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    flushingSince: 0,
  };
}

/** The one the Worker uses: lives as long as the isolate. */
export const isolateProtection = protectionState();

/** The options of `rateLimit` and `botScore`: which class of route they guard, with which state. */
export interface GuardOptions {
  routeClass: RouteClass;
  /** Default: the isolate's. */
  state?: ProtectionState;
}
