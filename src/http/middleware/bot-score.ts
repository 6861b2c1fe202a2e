import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { requireSecret } from "../../config";
import { scoreRequest } from "../../protection/bot-score";
import { base64url } from "../../protection/client";
import type { ProtectionConfig } from "../../protection/config";
import { POW_ALGORITHM } from "../../protection/pow";
import { protectionKey, signChallenge, verifyClearance } from "../../protection/tokens";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { clientOf, protectionOf } from "./edge-client";
import { type GuardOptions, isolateProtection } from "./protection-state";
import { ipPressure } from "./rate-limit";

/** A clearance travels back in this cookie (browsers) or this header (other clients). */
export const CLEARANCE_COOKIE = "__Host-clearance";
export const CLEARANCE_HEADER = "x-clearance";
export const CHALLENGE_PATH = "/api/v1/challenge";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The HMAC key for challenges and clearances, derived from TOKEN_SECRET. */
export function protectionKeyOf<E extends AppEnv>(c: Context<E>): Promise<Uint8Array> {
  return protectionKey(requireSecret(c.var.settings, "tokenSecret", "challenges and clearances cannot be signed"));
}

/** A fresh proof-of-work challenge for this client, as sent in CHALLENGE_REQUIRED. */
export async function newChallenge<E extends AppEnv>(c: Context<E>, config: ProtectionConfig, now: number) {
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const expiresAt = now + config.challengeTtlSeconds * 1000;
  const token = await signChallenge(await protectionKeyOf(c), {
    nonce,
    difficulty: config.powDifficulty,
    client: await clientOf(c).binding(),
    expiresAt,
  });
  return {
    algorithm: POW_ALGORITHM,
    nonce,
    difficulty: config.powDifficulty,
    expiresAt: new Date(expiresAt).toISOString(),
    token,
    solveUrl: CHALLENGE_PATH,
  };
}

export async function challengeRequired<E extends AppEnv>(
  c: Context<E>,
  config: ProtectionConfig,
  now: number,
  message: string,
): Promise<ApiError> {
  return new ApiError("CHALLENGE_REQUIRED", message, { challenge: await newChallenge(c, config, now) });
}

/**
 * Scores writes for automation (user agent, missing browser headers, no cookies, request rate,
 * failed challenges) and answers 403 CHALLENGE_REQUIRED, with a proof-of-work challenge, when the
 * score reaches the route class's threshold. A valid clearance (cookie or `X-Clearance`, bound to
 * this client's address and user agent) lets a client through without scoring. Reads pass;
 * BOT_CHALLENGE=off skips it. `state` holds the rate counters, failed challenges and the clock
 * (default: the isolate's).
 */
export const botScore = ({ routeClass, state = isolateProtection }: GuardOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.settings.botChallengeOn || SAFE_METHODS.has(c.req.method)) return next();
    const config = protectionOf(c);
    const threshold = config.thresholds[routeClass];
    if (threshold === undefined) return next();
    const client = clientOf(c);
    const now = state.now();
    const binding = await client.binding();
    const presented = c.req.header(CLEARANCE_HEADER)?.trim() || getCookie(c, CLEARANCE_COOKIE);
    let badClearance = false;
    if (presented) {
      const verdict = await verifyClearance(await protectionKeyOf(c), presented, binding, now);
      if (verdict.ok) return next();
      badClearance = verdict.reason !== "expired";
    }
    const { score, reasons } = scoreRequest({
      userAgent: client.userAgent,
      acceptLanguage: c.req.header("accept-language"),
      acceptEncoding: c.req.header("accept-encoding"),
      hasCookies: (c.req.header("cookie")?.trim() ?? "") !== "",
      isWrite: true,
      ratePressure: ipPressure(state, client.ipKey, config, now),
      failedChallenges: state.failedChallenges.count(binding, now),
      badClearance,
    });
    if (score < threshold) return next();
    if (c.var.settings.logRequests) {
      c.var.log("info", "challenged", { routeClass: routeClass, score, threshold, reasons });
    }
    throw await challengeRequired(
      c,
      config,
      now,
      badClearance
        ? "The clearance is not valid for this client. Solve the challenge and try again."
        : "Please prove you are not a bot: solve the challenge, then try again.",
    );
  });
