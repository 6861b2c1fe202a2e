import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { requireSecret, SettingsError, settingsFrom } from "../../src/config";

const ROOT = resolve(import.meta.dirname, "../..");
const envOf = (vars: Record<string, string>) => vars as Partial<Env> as Env;

/** `.dev.vars.example`: every variable the Worker reads, with its safe local default. */
function exampleVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(resolve(ROOT, ".dev.vars.example"), "utf8").split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

describe("settings", () => {
  it("reads every variable of .dev.vars.example, and each one changes the settings", () => {
    // Single sign-on's settings only count together: the example leaves them empty, so set all three.
    const sso = {
      AUTH_OIDC_ISSUER: "https://id.example",
      AUTH_OIDC_CLIENT_ID: "tickets",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
    };
    const vars: Record<string, string> = { ...exampleVars(), ...sso };
    expect(Object.keys(vars).length).toBeGreaterThan(25);
    const base = JSON.stringify(settingsFrom(envOf(vars)));
    const changed: Record<string, string> = {
      AUTH_JWKS_URL: "https://id.example/jwks",
      AUTH_OIDC_ISSUER: "https://other-id.example",
      STRIPE_API_BASE: "https://stripe.example",
      CORS_ORIGINS: "https://app.example",
      RATE_LIMIT_MODE: "off",
      BOT_CHALLENGE: "off",
      BENCH_ROUTES: "on",
      LOG_REQUESTS: "off",
      LOG_LEVEL: "warn",
      ENVIRONMENT: "test",
      EMAIL_PROVIDER: "resend",
      EMAIL_API_BASE: "https://mail.example",
      RATE_LIMIT_RULES: "ip=7",
      BOT_SCORE_THRESHOLDS: "hold=70",
      SEAT_MAP_CACHE_SECONDS: "0",
      PUBLIC_URL: "https://tickets.example",
      ADMIN_EMAILS: "ops@example.com",
      METRICS: "off",
      ALERT_EMAILS: "oncall@example.com",
    };
    for (const name of Object.keys(vars)) {
      const value =
        changed[name] ?? (/^\d+$/.test(vars[name]!) ? String(Number(vars[name]) + 1) : `${name.toLowerCase()}-x`);
      const other = settingsFrom(envOf({ ...vars, [name]: value }));
      expect(JSON.stringify(other), `${name} is not in Settings`).not.toBe(base);
    }
  });

  it("takes single sign-on's three settings together, an https issuer (http on localhost only)", () => {
    const sso = { AUTH_OIDC_ISSUER: "https://id.example", AUTH_OIDC_CLIENT_ID: "c", AUTH_OIDC_CLIENT_SECRET: "s" };
    expect(settingsFrom(envOf(sso)).oidc).toEqual({
      issuer: "https://id.example",
      clientId: "c",
      clientSecret: "s",
      name: "id.example",
    });
    expect(settingsFrom(envOf({})).oidc).toBeUndefined();
    expect(() => settingsFrom(envOf({ AUTH_OIDC_ISSUER: "https://id.example" }))).toThrow(/must be set together/);
    expect(() => settingsFrom(envOf({ ...sso, AUTH_OIDC_ISSUER: "http://id.example" }))).toThrow(
      /AUTH_OIDC_ISSUER must be an https URL/,
    );
    expect(settingsFrom(envOf({ ...sso, AUTH_OIDC_ISSUER: "http://127.0.0.1:9000" })).oidc?.issuer).toBe(
      "http://127.0.0.1:9000",
    );
    const error = (() => {
      try {
        settingsFrom(envOf({ AUTH_OIDC_CLIENT_SECRET: "do-not-print-me" }));
      } catch (e) {
        return String(e);
      }
    })();
    expect(error).toMatch(/must be set together/);
    expect(error).not.toContain("do-not-print-me");
  });

  it("refuses bad values with an error that names each variable and what it takes", () => {
    const bad = () =>
      settingsFrom(envOf({ RATE_LIMIT_MODE: "enforced", QUEUE_SHARDS: "eight", PUBLIC_URL: "localhost:8787" }));
    expect(bad).toThrow(SettingsError);
    expect(bad).toThrow(/RATE_LIMIT_MODE must be one of enforce, off \(got "enforced"\)/);
    expect(bad).toThrow(/QUEUE_SHARDS must be a whole number from 1 to 256 \(got "eight"\)/);
    expect(bad).toThrow(/PUBLIC_URL must be an http\(s\) URL/);
    expect(() => settingsFrom(envOf({ ENVIRONMENT: "Production!" }))).toThrow(/ENVIRONMENT must be a name/);
  });

  it("has safe defaults for what is not set, and parses once per environment object", () => {
    const env = envOf({});
    const settings = settingsFrom(env);
    expect(settings).toMatchObject({
      environment: "production",
      isDevelopment: false,
      devRoutes: false,
      rateLimitsEnforced: true,
      botChallengeOn: true,
      benchRoutes: false,
      queueShards: 8,
      stripe: { timeoutMs: 10_000 },
      notify: { provider: "outbox", retryBaseSeconds: 5 },
    });
    expect(settingsFrom(env)).toBe(settings);
  });

  it("requireSecret names the missing variable and never shows a secret", () => {
    const settings = settingsFrom(envOf({ TOKEN_SECRET: "s3cr3t-value", STRIPE_WEBHOOK_SECRET: "whsec_x" }));
    expect(requireSecret(settings, "tokenSecret")).toBe("s3cr3t-value");
    expect(requireSecret(settings, "stripeWebhookSecret")).toBe("whsec_x");
    expect(() => requireSecret(settings, "authSecret", "dev sign-in signs tokens")).toThrow(
      "AUTH_SECRET is not set: dev sign-in signs tokens",
    );
    expect(() => settingsFrom(envOf({ TOKEN_SECRET: "s3cr3t-value", LOG_LEVEL: "loud" }))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cr3t") }),
    );
  });
});
