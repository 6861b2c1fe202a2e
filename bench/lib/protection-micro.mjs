// bench:edge's in-process figures: what the protection middleware itself computes per request.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundleTs } from "./bundle.mjs";
import { BROWSER } from "./catalog-seed.mjs";
import { ROOT, round } from "./harness.mjs";

/**
 * The pure pieces of the chain in this process (src/protection, bundled: Node cannot load its
 * extensionless imports): what the middleware itself computes per request, without the
 * runtime around it. Same V8 as workerd; Node's Web Crypto stands in for workerd's.
 */
export async function microbench(tmp, addresses) {
  const ADDRESSES = addresses.length;
  const p = await bundleTs(
    ["rate-counters", "config", "client", "bot-score", "pow", "tokens"]
      .map((m) => `export * from ${JSON.stringify(join(ROOT, "src/protection", `${m}.ts`))};`)
      .join("\n"),
    join(tmp, "protection.mjs"),
  );
  const time = async (n, fn) => {
    for (let i = 0; i < Math.min(n, 1000); i++) await fn(i); // warm-up
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    return round(((performance.now() - started) * 1000) / n, 2);
  };
  const counters = new p.RateCounters();
  const env = { RATE_LIMIT_RULES: p.PROTECTION_DEFAULTS.RATE_LIMIT_RULES };
  const key = await p.protectionKey("bench-secret");
  const now = Date.now();
  const clearance = await p.signClearance(key, "client", now + 600_000);
  const solution = await p.solvePow("bench-nonce", 16);
  const signals = {
    userAgent: BROWSER["user-agent"],
    acceptLanguage: "en",
    acceptEncoding: "gzip",
    hasCookies: true,
    isWrite: true,
    ratePressure: 0,
    failedChallenges: 0,
    badClearance: false,
  };
  return {
    rateLimitMicros: await time(200_000, (i) => {
      const { config } = p.protectionConfig(env);
      const ip = p.ipKey(addresses[i % ADDRESSES]);
      counters.take(
        [{ key: `browse:ip:${ip}`, limit: config.limits.browse.ip }],
        config.windowSeconds * 1000,
        Date.now(),
      );
      counters.dueIn(Date.now());
    }),
    botScoreMicros: await time(200_000, () => p.scoreRequest(signals)),
    clientBindingMicros: await time(20_000, (i) => p.clientBinding(addresses[i % ADDRESSES], BROWSER["user-agent"])),
    verifyClearanceMicros: await time(20_000, () => p.verifyClearance(key, clearance, "client", now)),
    verifyPowMicros: await time(20_000, () => p.verifyPow("bench-nonce", solution, 16)),
    solvePow16Millis: round((await time(4, (i) => p.solvePow(`nonce-${i}`, 16))) / 1000, 1),
  };
}
