import { type ProtectionConfig, parseProtectionConfig } from "./protection/config";

/**
 * Every setting of the Worker (vars, secrets, `.dev.vars`), parsed once per environment object.
 * A malformed value is refused with a SettingsError that names the variable and what it accepts
 * (never a secret's value); the edge-protection numbers are the exception: src/protection/config.ts
 * keeps a default for a malformed one and reports it, so that a typo there cannot take sales down.
 */
export interface Settings {
  environment: string;
  /** ENVIRONMENT=development: simulated payments, the dev banner. */
  isDevelopment: boolean;
  /** ENVIRONMENT=development or test: dev sign-in and the outbox page. */
  devRoutes: boolean;
  authSecret: string | undefined;
  authJwksUrl: string | undefined;
  /** With a JWKS: the `iss` and `aud` every user token must carry. */
  authIssuer: string | undefined;
  authAudience: string | undefined;
  /** Single sign-on (AUTH_OIDC_*): all three set, or none (then the sign-in page offers e-mail only). */
  oidc: OidcSettings | undefined;
  tokenSecret: string | undefined;
  /** ADMIN_EMAILS: accounts (by verified e-mail, lower-cased) that are admins. */
  adminEmails: readonly string[];
  rateLimitsEnforced: boolean;
  botChallengeOn: boolean;
  benchRoutes: boolean;
  logRequests: boolean;
  logLevel: LogLevelSetting;
  /** Origins (scheme://host[:port]) allowed to call the non-public API from a browser (CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /** How many waiting-room shard Durable Objects (src/rooms/waiting-room-shard.ts) count an event's joins. */
  queueShards: number;
  /** How old the edge's copy of a room's taken seats may be to refuse a hold (0: never at the edge). */
  edgeRefusalMaxAgeMs: number;
  stripe: StripeSettings;
  tickets: { signingKey: string | undefined; verifyKeys: string | undefined };
  protection: ProtectionConfig;
  notify: NotifySettings;
  metrics: MetricsSettings;
}

/** An OpenID provider for single sign-on: authorization code + PKCE, a confidential client. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the sign-in page's button says after "Sign in with" (AUTH_OIDC_NAME, else the issuer's host). */
  name: string;
}

/** Metrics (README "Observability"): counting on or off (a benchmark's control), and the scraper's token. */
export interface MetricsSettings {
  on: boolean;
  /** The bearer token `GET /metrics` requires (METRICS_TOKEN); unset = /metrics refuses everyone. */
  token: string | undefined;
  /** Where alert mail goes (ALERT_EMAILS, comma-separated); empty = alerts only on the organizer page. */
  alertEmails: readonly string[];
}

export type LogLevelSetting = "debug" | "info" | "warn" | "error" | "silent";

export interface StripeSettings {
  secretKey: string | undefined;
  apiBase: string | undefined;
  /** One Stripe API request's time limit before it is retried. */
  timeoutMs: number;
  publishableKey: string | undefined;
  webhookSecret: string | undefined;
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
  /** TOKEN_SECRET: sign-in links and ticket links are derived with it, so D1 never holds them. */
  linkSecret: string | undefined;
}

/** A setting with a value it does not accept; the message names each one and what it takes. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** The secrets a feature cannot work without, by setting, with the variable that holds each. */
const SECRETS = {
  authSecret: "AUTH_SECRET",
  tokenSecret: "TOKEN_SECRET",
  stripeWebhookSecret: "STRIPE_WEBHOOK_SECRET",
} as const;
export type SecretName = keyof typeof SECRETS;

/**
 * The secret, or a SettingsError naming its variable: a configuration fault, not the client's,
 * so the error boundary answers a generic 500 and logs the name (never a value).
 */
export function requireSecret(settings: Settings, name: SecretName, purpose?: string): string {
  const value = name === "stripeWebhookSecret" ? settings.stripe.webhookSecret : settings[name];
  if (!value) throw new SettingsError(`${SECRETS[name]} is not set${purpose ? `: ${purpose}` : ""}`);
  return value;
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

/** The notification part of the settings (src/notify's consumer takes only these). */
export const notifySettingsFrom = (env: Env): NotifySettings => settingsFrom(env).notify;

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/**
 * The log level for a logger made outside a request (queue consumer, cron, notices): the settings'
 * one, or, when another setting is bad, LOG_LEVEL on its own (info if it is bad too), so that the
 * SettingsError can itself be logged.
 */
export function logLevelFrom(env: Env): LogLevelSetting {
  try {
    return settingsFrom(env).logLevel;
  } catch {
    return new Reader(env as unknown as Vars).choice("LOG_LEVEL", LOG_LEVELS, "info");
  }
}

type Vars = Partial<Record<string, unknown>>;

/** Reads variables, collecting what is wrong with them instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly vars: Vars) {}

  /** A non-blank string, else undefined (secrets that were never set are absent at run time). */
  text(name: string): string | undefined {
    const value = this.vars[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      this.problems.push(`${name} must be a string`);
      return undefined;
    }
    return value.trim() === "" ? undefined : value;
  }

  choice<const T extends string>(name: string, options: readonly T[], fallback: T): T {
    const value = this.text(name)?.trim().toLowerCase();
    if (value === undefined) return fallback;
    if ((options as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${options.join(", ")} (got ${shown(value)})`);
    return fallback;
  }

  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.text(name)?.trim();
    if (value === undefined) return fallback;
    const n = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
    if (n >= min && n <= max) return n;
    this.problems.push(`${name} must be a whole number from ${min} to ${max} (got ${shown(value)})`);
    return fallback;
  }

  /** An http(s) URL; a base (`{ base: true }`) without its trailing slashes. */
  url(name: string, options: { base?: boolean } = {}): string | undefined {
    const value = this.text(name)?.trim();
    if (value === undefined) return undefined;
    if (/^https?:\/\/[^\s/?#]+/.test(value) && URL.canParse(value)) {
      return options.base ? value.replace(/\/+$/, "") : value;
    }
    this.problems.push(`${name} must be an http(s) URL (got ${shown(value)})`);
    return undefined;
  }

  /** `a@example.com, b@example.com`: addresses, lower-cased, separated by commas or spaces. */
  emails(name: string): string[] {
    const entries = (this.text(name) ?? "").split(/[\s,]+/).filter(Boolean);
    const bad = entries.filter((email) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email));
    if (bad.length > 0) this.problems.push(`${name} must list e-mail addresses (got ${shown(bad[0]!)})`);
    return entries.filter((email) => !bad.includes(email)).map((email) => email.toLowerCase());
  }

  /** `https://a.example, https://b.example`: origins, separated by commas or spaces. */
  origins(name: string): string[] {
    const entries = (this.text(name) ?? "").split(/[\s,]+/).filter(Boolean);
    const bad = entries.filter((origin) => !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin));
    if (bad.length > 0)
      this.problems.push(`${name} must list origins like https://app.example (got ${shown(bad[0]!)})`);
    return entries.filter((origin) => !bad.includes(origin)).map((origin) => origin.toLowerCase());
  }
}

const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** Plain http only on this machine (a local provider, the tests' one); everywhere else https. */
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;

function oidcSettings(read: Reader): OidcSettings | undefined {
  const issuer = read.url("AUTH_OIDC_ISSUER");
  const clientId = read.text("AUTH_OIDC_CLIENT_ID")?.trim();
  const clientSecret = read.text("AUTH_OIDC_CLIENT_SECRET")?.trim();
  const given = [issuer, clientId, clientSecret].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3 || !issuer || !clientId || !clientSecret) {
    read.problems.push("AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET must be set together");
    return undefined;
  }
  if (!issuer.startsWith("https://") && !LOOPBACK.test(issuer)) {
    read.problems.push(`AUTH_OIDC_ISSUER must be an https URL (http only for localhost; got ${shown(issuer)})`);
    return undefined;
  }
  const name = read.text("AUTH_OIDC_NAME")?.trim() || new URL(issuer).hostname;
  return { issuer, clientId, clientSecret, name: name.slice(0, 60) };
}

function parseSettings(env: Env): Settings {
  const vars = env as unknown as Vars;
  const read = new Reader(vars);
  const environment = read.text("ENVIRONMENT")?.trim() ?? "production";
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(environment)) {
    read.problems.push(`ENVIRONMENT must be a name such as production, staging, development or test`);
  }
  const onOff = (name: string, fallback: "on" | "off") => read.choice(name, ["on", "off"], fallback) === "on";
  const isDevelopment = environment === "development";
  const settings: Settings = {
    environment,
    isDevelopment,
    devRoutes: isDevelopment || environment === "test",
    authSecret: read.text("AUTH_SECRET"),
    authJwksUrl: read.url("AUTH_JWKS_URL"),
    authIssuer: read.text("AUTH_ISSUER"),
    authAudience: read.text("AUTH_AUDIENCE"),
    oidc: oidcSettings(read),
    tokenSecret: read.text("TOKEN_SECRET"),
    adminEmails: read.emails("ADMIN_EMAILS"),
    rateLimitsEnforced: read.choice("RATE_LIMIT_MODE", ["enforce", "off"], "enforce") === "enforce",
    botChallengeOn: onOff("BOT_CHALLENGE", "on"),
    benchRoutes: onOff("BENCH_ROUTES", "off"),
    logRequests: onOff("LOG_REQUESTS", "on"),
    logLevel: read.choice("LOG_LEVEL", LOG_LEVELS, "info"),
    corsOrigins: read.origins("CORS_ORIGINS"),
    queueShards: read.integer("QUEUE_SHARDS", 1, 256, 8),
    edgeRefusalMaxAgeMs: read.integer("EDGE_REFUSAL_MAX_AGE_MS", 0, 10_000, 1000),
    stripe: {
      secretKey: read.text("STRIPE_SECRET_KEY")?.trim(),
      apiBase: read.url("STRIPE_API_BASE"),
      timeoutMs: read.integer("STRIPE_TIMEOUT_MS", 100, 120_000, 10_000),
      publishableKey: read.text("STRIPE_PUBLISHABLE_KEY")?.trim(),
      webhookSecret: read.text("STRIPE_WEBHOOK_SECRET")?.trim(),
    },
    tickets: {
      signingKey: read.text("TICKET_SIGNING_KEY")?.trim(),
      verifyKeys: read.text("TICKET_VERIFY_KEYS")?.trim(),
    },
    protection: parseProtectionConfig(vars).config,
    notify: {
      provider: read.choice("EMAIL_PROVIDER", ["outbox", "resend"], "outbox"),
      apiKey: read.text("EMAIL_API_KEY"),
      apiBase: read.url("EMAIL_API_BASE", { base: true }) ?? "https://api.resend.com",
      from: read.text("EMAIL_FROM") ?? "Edge Tickets <tickets@localhost>",
      publicUrl: read.url("PUBLIC_URL", { base: true }) ?? "http://localhost:8787",
      retryBaseSeconds: read.integer("NOTIFY_RETRY_BASE_SECONDS", 0, 86_400, 5),
      isDevelopment: isDevelopment || environment === "test",
      linkSecret: read.text("TOKEN_SECRET"),
    },
    metrics: {
      on: onOff("METRICS", "on"),
      token: read.text("METRICS_TOKEN")?.trim(),
      alertEmails: read.emails("ALERT_EMAILS"),
    },
  };
  if (read.problems.length > 0) throw new SettingsError(`Bad settings: ${read.problems.join("; ")}.`);
  return settings;
}
