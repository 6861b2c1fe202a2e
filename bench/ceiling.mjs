#!/usr/bin/env node
// `npm run bench:ceiling`: what the pinned runtime itself allows, so that a runtime regression (a
// wrangler/miniflare bump: see VERSIONS in the README) shows as a number. A trivial Worker
// (bench/ceiling/worker.js) under `wrangler dev`, autocannon on the worker's own port: a no-op
// fetch and a no-op Durable Object RPC, alternated A B A B in one run.
//
// Knobs: CEILING_SECONDS (5 per load), CEILING_CONNECTIONS (64), CEILING_ROUNDS (2).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { cpuSince, cpuSnapshot } from "./lib/cpu.mjs";
import { logger, machine, num, RESULTS, ROOT, round } from "./lib/harness.mjs";
import { startWranglerDev } from "./lib/wrangler-dev.mjs";

const SECONDS = num("CEILING_SECONDS", 5);
const CONNECTIONS = num("CEILING_CONNECTIONS", 64);
const ROUNDS = num("CEILING_ROUNDS", 2);
const log = logger("ceiling");

async function load(port, path, pgid) {
  const before = cpuSnapshot(pgid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const cpu = cpuSince(before, pgid);
  return {
    path,
    requestsPerSecond: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    otherCores: round(cpu.otherCores, 2),
  };
}

const tmp = mkdtempSync(join(os.tmpdir(), "bench-ceiling-"));
const envFile = join(tmp, "empty.env");
writeFileSync(envFile, "");
let server;
try {
  server = await startWranglerDev({
    config: join(ROOT, "bench/ceiling/wrangler.toml"),
    persistTo: join(tmp, "state"),
    envFile,
    logPath: join(tmp, "wrangler.log"),
    vars: {},
  });
  log(`wrangler dev up: proxy :${server.port}, worker :${server.workerPort}`);
  await load(server.workerPort, "/rpc", server.pgid); // warm-up: isolate, object, JIT
  const runs = [];
  for (let round_ = 1; round_ <= ROUNDS; round_++) {
    for (const [name, path] of [
      ["fetch", "/"],
      ["rpc", "/rpc"],
    ]) {
      const run = { round: round_, name, ...(await load(server.workerPort, path, server.pgid)) };
      log(`${name} round ${round_}: ${run.requestsPerSecond} req/s, p99 ${run.p99Ms} ms`);
      runs.push(run);
    }
  }
  const best = (name) => Math.max(...runs.filter((r) => r.name === name).map((r) => r.requestsPerSecond));
  const worst = (name) => Math.min(...runs.filter((r) => r.name === name).map((r) => r.requestsPerSecond));
  const result = {
    benchmark: "ceiling",
    machine: machine(["wrangler", "miniflare", "workerd", "@cloudflare/vitest-pool-workers", "autocannon"]),
    settings: { seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS },
    summary: {
      noopFetchRps: { min: worst("fetch"), max: best("fetch") },
      noopRpcRps: { min: worst("rpc"), max: best("rpc") },
    },
    runs,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "ceiling.json"), `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/ceiling.json", JSON.stringify(result.summary));
} catch (error) {
  console.error(`[bench:ceiling] failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
