/** Settings the workerd tests run with; tests sign their tokens with the same secrets. */
export const TEST_BINDINGS = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  TOKEN_SECRET: "test-token-secret-0123456789abcdef012345678",
  STRIPE_WEBHOOK_SECRET: "whsec_test_0123456789abcdefghijklmnopqrstu",
  ENVIRONMENT: "test",
  BENCH_ROUTES: "on",
  LOG_REQUESTS: "off",
};
