/** Typed settings read from the Worker's environment (vars, secrets, `.dev.vars`). */
export interface Settings {
  authSecret: string | undefined;
  authJwksUrl: string | undefined;
  /** With a JWKS: the `iss` and `aud` every user token must carry. */
  authIssuer: string | undefined;
  authAudience: string | undefined;
  tokenSecret: string | undefined;
  rateLimitsEnforced: boolean;
  botChallengeOn: boolean;
  isDevelopment: boolean;
  benchRoutes: boolean;
  /** Origins (scheme://host[:port]) allowed to call the non-public API from a browser (CORS_ORIGINS). */
  corsOrigins: readonly string[];
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;

/** `https://a.example, https://b.example` → both; anything that is not an origin is left out. */
function originsOf(value: unknown): string[] {
  return (nonEmpty(value) ?? "")
    .split(/[\s,]+/)
    .filter((origin) => /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin))
    .map((origin) => origin.toLowerCase());
}

/** Parsed once per environment object (one per isolate in production), not once per request. */
const parsed = new WeakMap<Env, Settings>();

export function settingsFrom(env: Env): Settings {
  let settings = parsed.get(env);
  if (!settings) {
    settings = parseSettings(env);
    parsed.set(env, settings);
  }
  return settings;
}

function parseSettings(env: Env): Settings {
  // Secrets that were never set are absent at run time, whatever the generated type says.
  return {
    authSecret: nonEmpty(env.AUTH_SECRET),
    authJwksUrl: nonEmpty(env.AUTH_JWKS_URL),
    authIssuer: nonEmpty(env.AUTH_ISSUER),
    authAudience: nonEmpty(env.AUTH_AUDIENCE),
    tokenSecret: nonEmpty(env.TOKEN_SECRET),
    rateLimitsEnforced: nonEmpty(env.RATE_LIMIT_MODE) !== "off",
    botChallengeOn: nonEmpty(env.BOT_CHALLENGE) !== "off",
    isDevelopment: nonEmpty(env.ENVIRONMENT) === "development",
    benchRoutes: nonEmpty(env.BENCH_ROUTES) === "on",
    corsOrigins: originsOf(env.CORS_ORIGINS),
  };
}

/** Notification settings (src/notify): the provider, its key and sender, and where links point. */
export interface NotifySettings {
  provider: "outbox" | "resend";
  apiKey: string | undefined;
  apiBase: string;
  from: string;
  publicUrl: string;
  retryBaseSeconds: number;
  isDevelopment: boolean;
}

export function notifySettingsFrom(env: Env): NotifySettings {
  const provider = nonEmpty(env.EMAIL_PROVIDER)?.trim().toLowerCase() ?? "outbox";
  const retryBase = Number(nonEmpty(env.NOTIFY_RETRY_BASE_SECONDS) ?? 5);
  return {
    provider: provider === "resend" ? "resend" : "outbox",
    apiKey: nonEmpty(env.EMAIL_API_KEY),
    apiBase: (nonEmpty(env.EMAIL_API_BASE) ?? "https://api.resend.com").replace(/\/+$/, ""),
    from: nonEmpty(env.EMAIL_FROM) ?? "Edge Tickets <tickets@localhost>",
    publicUrl: (nonEmpty(env.PUBLIC_URL) ?? "http://localhost:8787").replace(/\/+$/, ""),
    retryBaseSeconds: Number.isFinite(retryBase) && retryBase >= 0 ? retryBase : 5,
    isDevelopment: ["development", "test"].includes(nonEmpty(env.ENVIRONMENT) ?? ""),
  };
}
