/** Settings the workerd tests run with; tests sign their tokens with the same secrets. */
export const TEST_BINDINGS = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  TOKEN_SECRET: "test-token-secret-0123456789abcdef012345678",
  STRIPE_WEBHOOK_SECRET: "whsec_test_0123456789abcdefghijklmnopqrstu",
  METRICS_TOKEN: "test-metrics-token-0123456789abcdef",
  ENVIRONMENT: "test",
  BENCH_ROUTES: "on",
  LOG_REQUESTS: "off",
  LOG_LEVEL: "error",
  // The suite sends thousands of requests from one absent IP with no user agent or cookies:
  // edge protection is off here; test/worker/edge-protection.test.ts turns it on per request.
  RATE_LIMIT_MODE: "off",
  BOT_CHALLENGE: "off",
  // Tests change inventory behind the edge's back (a skewed room clock, alarms, webhooks) and read
  // the seat map anonymously at once; the 1-second edge copy is tested in edge-protection.test.ts.
  SEAT_MAP_CACHE_SECONDS: "0",
  // A browser front end on another origin that may call the non-public API (CORS).
  CORS_ORIGINS: "https://app.example, http://localhost:5173",
  // Accounts signed in by e-mail with this address are admins (they grant roles).
  ADMIN_EMAILS: "admin@example.com",
};
