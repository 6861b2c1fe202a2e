import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import type { Json } from "miniflare";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/bindings.ts";
import { startEmailServer } from "./test/email-server.ts";
import { startOidcServer } from "./test/oidc-server.ts";
import { startStripeServer } from "./test/stripe-server.ts";

/** The stripe and oauth4webapi packages ship source maps without their sources; vitest warns ~200 times. */
const quietStripeSourceMaps = {
  name: "quiet-stripe-source-maps",
  load(id: string) {
    if (!/node_modules\/(stripe|oauth4webapi)\/.*\.js$/.test(id)) return null;
    return readFileSync(id.split("?")[0]!, "utf8").replace(/\/\/# sourceMappingURL=.*$/gm, "");
  },
};

const workersProject = (name: string, include: string[], bindings: Record<string, Json>) => ({
  plugins: [
    quietStripeSourceMaps,
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings },
    }),
  ],
  test: { name, include, setupFiles: ["./test/worker/setup.ts"] },
});

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const stripe = await startStripeServer();
  const email = await startEmailServer();
  const oidc = await startOidcServer();
  return {
    test: {
      projects: [
        {
          test: {
            name: "domain",
            include: ["test/domain/**/*.test.ts"],
            environment: "node",
          },
        },
        workersProject("workers", ["test/worker/**/*.test.ts"], {
          ...TEST_BINDINGS,
          STRIPE_SECRET_KEY: "sk_test_local",
          STRIPE_API_BASE: stripe.url,
          // The Resend-compatible test server (test/email-server.ts); tests pick the provider per call.
          EMAIL_API_BASE: email.url,
          // The OpenID test provider (test/oidc-server.ts); single sign-on tests set AUTH_OIDC_* from it per call.
          OIDC_TEST_ISSUER: oidc.url,
          // Short enough that a test can make Stripe time out (the test server answers late).
          STRIPE_TIMEOUT_MS: "2000",
          TEST_MIGRATIONS: migrations,
        }),
        // Notifications through the real queue with the HTTP provider: its retries and its
        // dead-letter queue as wrangler.toml declares them, without waiting out a backoff.
        workersProject("queues", ["test/queues/**/*.test.ts"], {
          ...TEST_BINDINGS,
          EMAIL_PROVIDER: "resend",
          EMAIL_API_KEY: "re_test_queues",
          EMAIL_API_BASE: email.url,
          NOTIFY_RETRY_BASE_SECONDS: "0",
          TEST_MIGRATIONS: migrations,
        }),
        // Local development's simulated payments: the same Worker with no Stripe key.
        workersProject("simulated", ["test/simulated/**/*.test.ts"], {
          ...TEST_BINDINGS,
          // Simulated payments exist only in local development.
          ENVIRONMENT: "development",
          STRIPE_SECRET_KEY: "",
          TEST_MIGRATIONS: migrations,
        }),
        // The pages in Debian's Chromium (playwright-core) against `wrangler dev`, which the global
        // setup starts on a fresh state; one file at a time, after the other projects (CPU: the
        // live-map test times a delta to one second).
        {
          test: {
            name: "browser",
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/browser/global-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
            sequence: { groupOrder: 1 },
          },
        },
      ],
    },
  };
});
