/** Typed settings read from the Worker's environment (vars, secrets, `.dev.vars`). */
export interface Settings {
  authSecret: string | undefined;
  authJwksUrl: string | undefined;
  tokenSecret: string | undefined;
  rateLimitsEnforced: boolean;
  botChallengeOn: boolean;
  isDevelopment: boolean;
  benchRoutes: boolean;
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;

export function settingsFrom(env: Env): Settings {
  // Secrets that were never set are absent at run time, whatever the generated type says.
  return {
    authSecret: nonEmpty(env.AUTH_SECRET),
    authJwksUrl: nonEmpty(env.AUTH_JWKS_URL),
    tokenSecret: nonEmpty(env.TOKEN_SECRET),
    rateLimitsEnforced: nonEmpty(env.RATE_LIMIT_MODE) !== "off",
    botChallengeOn: nonEmpty(env.BOT_CHALLENGE) !== "off",
    isDevelopment: nonEmpty(env.ENVIRONMENT) === "development",
    benchRoutes: nonEmpty(env.BENCH_ROUTES) === "on",
  };
}
