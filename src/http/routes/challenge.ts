import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { z } from "zod";
import { SOLUTION, verifyPow } from "../../protection/pow";
import { signClearance, verifyChallenge } from "../../protection/tokens";
import type { AppEnv } from "../context";
import { CLEARANCE_COOKIE, challengeRequired, newChallenge, protectionKeyOf } from "../middleware/bot-score";
import { clientOf, protectionOf } from "../middleware/edge-client";
import { isolateProtection } from "../middleware/protection-state";
import { jsonBody } from "../validate";

export const ChallengeSolution = z.object({
  token: z.string().min(1).max(2048),
  solution: z.string().regex(SOLUTION, "must be 1-64 printable ASCII characters, e.g. a decimal counter"),
});

const REASONS = {
  invalid: "That is not a challenge we issued. Solve this one instead.",
  expired: "The challenge has expired. Solve this one instead.",
  "other-client": "That challenge was issued to another client. Solve this one instead.",
  wrong: "The solution does not solve the challenge. Solve this one instead.",
} as const;

/**
 * The proof-of-work challenge: `GET` hands out one in advance (a page may solve it before the
 * on-sale); `POST {token, solution}` trades a solved one for a clearance, returned in the body
 * and as an HttpOnly cookie; other clients send it back in `X-Clearance`. Both are rate-limited
 * as the `challenge` class (the route table, applied in app.ts).
 */
export const challenge = new Hono<AppEnv>()
  .get("/challenge", async (c) => {
    return c.json({ challenge: await newChallenge(c, protectionOf(c), isolateProtection.now()) });
  })

  .post("/challenge", jsonBody(ChallengeSolution), async (c) => {
    const config = protectionOf(c);
    const { token, solution } = c.var.body;
    const key = await protectionKeyOf(c);
    const binding = await clientOf(c).binding();
    const now = isolateProtection.now();
    const verdict = await verifyChallenge(key, token, binding, now);
    const outcome = !verdict.ok
      ? verdict.reason
      : (await verifyPow(verdict.value.nonce, solution, verdict.value.difficulty))
        ? "solved"
        : "wrong";
    if (outcome !== "solved") {
      isolateProtection.failedChallenges.record(binding, now);
      throw await challengeRequired(c, config, now, REASONS[outcome]);
    }
    const expiresAt = now + config.clearanceTtlSeconds * 1000;
    const clearance = await signClearance(key, binding, expiresAt);
    setCookie(c, CLEARANCE_COOKIE, clearance, {
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
      maxAge: config.clearanceTtlSeconds,
    });
    return c.json({ clearance, expiresAt: new Date(expiresAt).toISOString(), header: "X-Clearance" });
  });
