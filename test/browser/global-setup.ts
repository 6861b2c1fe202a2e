import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { snapshotConfig, startWranglerDev, type WranglerDev, wranglerAsync } from "../../bench/lib/wrangler-dev.mjs";
import { provisionBrowser } from "../../scripts/browser.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** The site under test: `wrangler dev` with edge protection off. */
    baseUrl: string;
    /** A second one with the bot challenge on for every hold (proof of work of a few bits). */
    challengeUrl: string;
    authSecret: string;
    /** The Chromium to drive: CHROME_PATH, an installed one, or Debian's, installed (scripts/browser.mjs). */
    chromePath: string;
  }
}

/**
 * The browser project's server: `wrangler dev` on a fresh local state (D1 migrated first), on a
 * copy of wrangler.toml so that edits others make meanwhile cannot reload it, in its own process
 * group, stopped as a whole afterwards. Two of them, started side by side: the one most tests use
 * (RATE_LIMIT_MODE and BOT_CHALLENGE off) and one that challenges every hold.
 */
export default async function setup(project: TestProject) {
  // First, so that a machine without a browser fails in a second with what to do, not after wrangler.
  project.provide("chromePath", provisionBrowser());
  const tmp = mkdtempSync(join(os.tmpdir(), "edge-tickets-browser-"));
  const servers: WranglerDev[] = [];
  const stopAll = () => {
    for (const server of servers) server.stopSync();
  };
  process.once("exit", stopAll);
  try {
    const config = snapshotConfig(tmp);
    const base = join(tmp, "state-base");
    mkdirSync(base);
    await wranglerAsync(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", base], {
      timeoutMs: 90_000,
    });
    const authSecret = randomBytes(24).toString("hex");
    const common = {
      AUTH_SECRET: authSecret,
      AUTH_JWKS_URL: "",
      TOKEN_SECRET: randomBytes(24).toString("hex"),
      STRIPE_SECRET_KEY: "",
      STRIPE_PUBLISHABLE_KEY: "",
      STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString("hex")}`,
      ENVIRONMENT: "development",
      LOG_REQUESTS: "off",
      RATE_LIMIT_MODE: "off",
    };
    const start = (name: string, vars: Record<string, string>) => {
      const persistTo = join(tmp, `state-${name}`);
      cpSync(base, persistTo, { recursive: true });
      return startWranglerDev({
        config,
        persistTo,
        logPath: join(tmp, `wrangler-${name}.log`),
        vars: { ...common, ...vars },
        readyTimeoutMs: 90_000,
      });
    };
    const started = await Promise.allSettled([
      start("main", { BOT_CHALLENGE: "off" }),
      start("challenge", { BOT_CHALLENGE: "on", BOT_SCORE_THRESHOLDS: "hold=0", POW_DIFFICULTY: "12" }),
    ]);
    for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
    const [main, challenged] = started.map((result) => {
      if (result.status === "rejected") throw result.reason;
      return result.value;
    });
    if (!main || !challenged) throw new Error("wrangler dev did not start");
    project.provide("baseUrl", `http://127.0.0.1:${main.port}`);
    project.provide("challengeUrl", `http://127.0.0.1:${challenged.port}`);
    project.provide("authSecret", authSecret);
  } catch (error) {
    stopAll();
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  };
}
