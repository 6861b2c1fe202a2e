#!/usr/bin/env node
// `npm run bench:edge`: what the edge's protection chain costs per request. GET /api/v1/events
// (the cached catalog) through three `wrangler dev` servers started side by side on fresh state,
// two with protection off (RATE_LIMIT_MODE=off, BOT_CHALLENGE=off) and one with it on (defaults:
// 300/min per IP, 100/min per user), measured in alternating rounds on each worker's own port:
//
//   off      protection off
//   on       protection on, each request from one of 5,000 addresses (CF-Connecting-IP), browser
//            headers: every request is counted, checked and served (200 with RateLimit-* headers)
//   flood    protection on, every request from one address: after 300, all are turned away (429)
//   control  the second server with protection off: off vs control is the noise floor
//
// Each round loads off and on at the same moment (and off and control, the noise floor): the two
// share the machine's drift, so the ratio of their throughputs is the ratio of their costs per
// request; then each load alone, for absolute figures.
//
// Before each load it waits (bounded) for the machine to be quiet; loads during which other
// processes used more than a quarter of a core are marked `contended` and left out of the summary
// when uncontended ones exist.
//
// Knobs (environment): EDGE_BENCH_SECONDS (6 per load), EDGE_BENCH_ROUNDS (5),
// EDGE_BENCH_CONNECTIONS (32), EDGE_BENCH_QUIET_WAIT (30 s). Results: bench/results/edge.json.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { SignJWT } from "jose";
import { api, BROWSER, seed } from "./lib/catalog-seed.mjs";
import { cpuSince, cpuSnapshot } from "./lib/cpu.mjs";
import { logger, machine, machineAtEnd, RESULTS, round, waitForQuiet } from "./lib/harness.mjs";
import { microbench } from "./lib/protection-micro.mjs";
import { snapshotConfig, startWranglerDev, wranglerAsync } from "./lib/wrangler-dev.mjs";

const num = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const SECONDS = num("EDGE_BENCH_SECONDS", 6);
const ROUNDS = num("EDGE_BENCH_ROUNDS", 5);
const CONNECTIONS = num("EDGE_BENCH_CONNECTIONS", 32);
const WARMUP_SECONDS = 2;
const ADDRESSES = 5000;
const EVENTS = 20;
const PATH = "/api/v1/events?limit=20";
const WATCHDOG_MS = 12 * 60_000;
/** Other processes using more than this many cores during a load make its figures suspect. */
const CONTENDED_CORES = 0.25;
const QUIET_WAIT_SECONDS = num("EDGE_BENCH_QUIET_WAIT", 30);

const log = logger("edge");
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const addresses = Array.from({ length: ADDRESSES }, (_, i) => `198.18.${(i >> 8) & 255}.${i & 255}`);

/** One autocannon load; `ip` fixed, or undefined to rotate through ADDRESSES. */
async function load(server, { seconds, ip }) {
  let next = 0;
  const statuses = {};
  const rateHeaders = { present: 0, absent: 0 };
  const before = cpuSnapshot(server.pgid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.workerPort}`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "GET",
        path: PATH,
        setupRequest: (req) => {
          req.headers = { ...req.headers, ...BROWSER, "cf-connecting-ip": ip ?? addresses[next++ % ADDRESSES] };
          return req;
        },
        onResponse: (status, _body, _context, headers) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          const has = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === "ratelimit-limit");
          rateHeaders[has ? "present" : "absent"]++;
        },
      },
    ],
  });
  const cpu = cpuSince(before, server.pgid);
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const rps = total / result.duration;
  return {
    seconds: result.duration,
    requestsPerSec: round(rps),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts: statuses,
    rateLimitHeaders: rateHeaders,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu,
    contended: cpu.otherCores > CONTENDED_CORES,
    serverCpuMicrosPerRequest: round((cpu.serverCores * 1e6) / rps),
  };
}

async function main() {
  const startedAt = Date.now();
  const info = machine(["wrangler", "workerd", "autocannon"]);
  const tmp = mkdtempSync(join(os.tmpdir(), "bench-edge-"));
  const envFile = join(tmp, "bench.env"); // keeps the developer's .dev.vars out of the run
  writeFileSync(envFile, "");
  const secret = randomBytes(24).toString("hex");
  const servers = {};
  const stopAll = () => {
    for (const server of Object.values(servers)) server.stopSync();
  };
  const watchdog = setTimeout(() => {
    console.error(`[bench:edge] watchdog: still running after ${WATCHDOG_MS / 1000} s; stopping`);
    stopAll();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      stopAll();
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  process.once("exit", stopAll);

  try {
    const micro = await microbench(tmp, addresses);
    log(
      `in-process (Node): rate limit ${micro.rateLimitMicros} µs, bot score ${micro.botScoreMicros} µs, ` +
        `client binding ${micro.clientBindingMicros} µs, clearance check ${micro.verifyClearanceMicros} µs, ` +
        `PoW check ${micro.verifyPowMicros} µs; solving difficulty 16: ${micro.solvePow16Millis} ms`,
    );
    log(`setup in ${tmp}: bundle, migrations`);
    const config = snapshotConfig(tmp);
    const base = join(tmp, "state-base");
    await Promise.all([
      wranglerAsync(["deploy", "--dry-run", "--config", config, "--outdir", join(tmp, "dist")], { timeoutMs: 90_000 }),
      wranglerAsync(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", base], {
        timeoutMs: 90_000,
      }),
    ]);
    const organizer = await new SignJWT({ roles: ["organizer"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("bench-organizer")
      .setExpirationTime("2h")
      .sign(new TextEncoder().encode(secret));

    const common = {
      AUTH_SECRET: secret,
      AUTH_JWKS_URL: "",
      TOKEN_SECRET: randomBytes(24).toString("hex"),
      LOG_REQUESTS: "off",
      ENVIRONMENT: "development",
    };
    const modes = {
      off: { RATE_LIMIT_MODE: "off", BOT_CHALLENGE: "off" },
      on: { RATE_LIMIT_MODE: "enforce", BOT_CHALLENGE: "on" },
      // A second server with protection off: the difference between two identical servers is
      // the noise floor of the on/off comparison.
      control: { RATE_LIMIT_MODE: "off", BOT_CHALLENGE: "off" },
    };
    for (const [name, vars] of Object.entries(modes)) {
      const persistTo = join(tmp, `state-${name}`);
      cpSync(base, persistTo, { recursive: true });
      servers[name] = await startWranglerDev({
        config,
        script: join(tmp, "dist/edge.js"),
        persistTo,
        envFile,
        logPath: join(tmp, `wrangler-${name}.log`),
        vars: { ...common, ...vars },
      });
      const workerBase = `http://127.0.0.1:${servers[name].workerPort}`;
      await seed(workerBase, organizer, EVENTS);
      const probe = await api(workerBase, "GET", PATH);
      if (probe.status !== 200 || probe.json?.data?.length !== EVENTS) {
        throw new Error(`${name}: catalog probe ${probe.status} ${JSON.stringify(probe.json)?.slice(0, 200)}`);
      }
      const limited = probe.headers.get("ratelimit-limit") !== null;
      if (limited !== (name === "on")) throw new Error(`${name}: RateLimit headers ${limited ? "present" : "absent"}`);
      log(`${name}: wrangler dev up (worker :${servers[name].workerPort}), ${EVENTS} events seeded`);
    }

    const loads = {
      off: { server: "off" },
      on: { server: "on" },
      // A fresh address per flood run: the previous one may still be inside its window.
      flood: { server: "on", ip: (run) => `203.0.113.${run}` },
    };
    for (const { server, ip } of Object.values(loads)) {
      await load(servers[server], { seconds: WARMUP_SECONDS, ip: ip?.(0) });
    }
    await load(servers.control, { seconds: WARMUP_SECONDS });
    log("warm-up done");

    const runs = { off: [], on: [], flood: [] };
    const pairs = { onVsOff: [], controlVsOff: [] };
    const logRun = (label, run) =>
      log(
        `${label} ${run.requestsPerSec} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ` +
          `server ${run.serverCpuMicrosPerRequest} µs CPU/request, statuses ${JSON.stringify(run.statusCounts)}` +
          (run.contended ? ` (contended: other processes ${run.cpu.otherCores} cores)` : ""),
      );
    for (let r = 0; r < ROUNDS; r++) {
      // Pairs: both servers loaded at the same moment share the machine's drift, so the ratio of
      // their throughputs is the ratio of their costs per request (the CPU is shared fairly).
      for (const [pair, [a, b]] of Object.entries({ onVsOff: ["off", "on"], controlVsOff: ["off", "control"] })) {
        await waitForQuiet(servers.off.pgid, { threshold: CONTENDED_CORES, maxSeconds: QUIET_WAIT_SECONDS });
        const [runA, runB] = await Promise.all([
          load(servers[a], { seconds: SECONDS }),
          load(servers[b], { seconds: SECONDS }),
        ]);
        // Everything but the two servers and this process (counted once).
        const otherCores = round(
          runA.cpu.machineCores - runA.cpu.serverCores - runB.cpu.serverCores - runA.cpu.loadGenCores,
          2,
        );
        const entry = {
          [a]: runA,
          [b]: runB,
          ratio: round(runB.requestsPerSec / runA.requestsPerSec, 3),
          addedServerCpuMicrosPerRequest: round(runB.serverCpuMicrosPerRequest - runA.serverCpuMicrosPerRequest),
          otherCores,
          contended: otherCores > CONTENDED_CORES,
        };
        pairs[pair].push(entry);
        log(
          `round ${r + 1} ${pair}: ${b}/${a} x${entry.ratio} (${runB.requestsPerSec} / ${runA.requestsPerSec} req/s, ` +
            `server CPU ${runB.serverCpuMicrosPerRequest} / ${runA.serverCpuMicrosPerRequest} µs/request)` +
            (entry.contended ? ` (contended: other processes ${otherCores} cores)` : ""),
        );
      }
      // Alone, for absolute figures; the order alternates so that drift favours neither.
      const order = r % 2 === 0 ? ["off", "on", "flood"] : ["flood", "on", "off"];
      for (const name of order) {
        const { server, ip } = loads[name];
        const quiet = await waitForQuiet(servers[server].pgid, {
          threshold: CONTENDED_CORES,
          maxSeconds: QUIET_WAIT_SECONDS,
        });
        const run = { ...(await load(servers[server], { seconds: SECONDS, ip: ip?.(r + 1) })), quietBefore: quiet };
        runs[name].push(run);
        logRun(`round ${r + 1} ${name.padEnd(7)}`, run);
      }
    }

    const problems = [];
    const ok = (list, status) => list.every((run) => Object.keys(run.statusCounts).every((s) => s === status));
    const all = (name) => [
      ...(runs[name] ?? []),
      ...Object.values(pairs).flatMap((list) => list.map((e) => e[name]).filter(Boolean)),
    ];
    for (const name of ["off", "on", "control"]) {
      if (!ok(all(name), "200")) problems.push(`${name}: statuses other than 200`);
    }
    for (const run of runs.flood) if ((run.statusCounts[429] ?? 0) === 0) problems.push("flood: never limited");
    for (const run of all("on"))
      if (run.rateLimitHeaders.absent > 0) problems.push("on: responses without RateLimit headers");
    for (const name of ["off", "on", "control", "flood"]) {
      for (const run of all(name)) if (run.errors) problems.push(`${name}: ${run.errors} connection errors`);
    }

    // Uncontended loads only, where there are any.
    const uncontended = (list) => (list.some((r) => !r.contended) ? list.filter((r) => !r.contended) : list);
    const rps = (name) => median(uncontended(runs[name]).map((r) => r.requestsPerSec));
    const cpu = (name) => median(uncontended(runs[name]).map((r) => r.serverCpuMicrosPerRequest));
    const paired = (pair, field) => median(uncontended(pairs[pair]).map((e) => e[field]));
    const summary = {
      // The headline: protection on vs off, loaded at the same moment (median over rounds), and
      // the same for two identical servers (both off), which is the noise floor.
      onVsOff: round(paired("onVsOff", "ratio"), 3),
      controlVsOff: round(paired("controlVsOff", "ratio"), 3),
      addedServerCpuMicrosPerRequest: round(paired("onVsOff", "addedServerCpuMicrosPerRequest")),
      controlAddedServerCpuMicrosPerRequest: round(paired("controlVsOff", "addedServerCpuMicrosPerRequest")),
      // Each load alone (medians): absolute figures, more exposed to drift.
      requestsPerSec: {
        off: round(rps("off")),
        on: round(rps("on")),
        flood: round(rps("flood")),
      },
      serverCpuMicrosPerRequest: {
        off: round(cpu("off")),
        on: round(cpu("on")),
        flood: round(cpu("flood")),
      },
      floodVsOff: round(rps("flood") / rps("off"), 3),
      loadsCounted: {
        ...Object.fromEntries(Object.keys(runs).map((name) => [name, uncontended(runs[name]).length])),
        ...Object.fromEntries(Object.keys(pairs).map((pair) => [pair, uncontended(pairs[pair]).length])),
      },
    };
    const results = {
      benchmark: "edge",
      machine: machineAtEnd(info),
      config: {
        path: PATH,
        connections: CONNECTIONS,
        secondsPerLoad: SECONDS,
        rounds: ROUNDS,
        warmupSeconds: WARMUP_SECONDS,
        addressesWhenOn: ADDRESSES,
        server: "two wrangler dev --no-bundle servers on one bundle (wrangler deploy --dry-run), fresh state each",
        measuredOn: "each worker's own port",
        loads: {
          off: "RATE_LIMIT_MODE=off BOT_CHALLENGE=off",
          control: "a second server like off: the noise floor",
          on: `protection on (defaults), ${ADDRESSES} rotating CF-Connecting-IP addresses, browser headers`,
          flood: "protection on, one address: 300 served per minute, the rest 429",
        },
      },
      ok: problems.length === 0,
      summary,
      inProcessMicros: micro,
      pairs,
      runs,
      problems,
      elapsedSeconds: round((Date.now() - startedAt) / 1000),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "edge.json"), `${JSON.stringify(results, null, 2)}\n`);
    log(
      `GET ${PATH}, loaded side by side: on/off x${summary.onVsOff} ` +
        `(+${summary.addedServerCpuMicrosPerRequest} µs server CPU per request); noise floor, off/off ` +
        `x${summary.controlVsOff} (${summary.controlAddedServerCpuMicrosPerRequest} µs). Alone: off ` +
        `${summary.requestsPerSec.off} req/s, on ${summary.requestsPerSec.on} req/s, flood (429s) ` +
        `${summary.requestsPerSec.flood} req/s -> bench/results/edge.json`,
    );
    if (problems.length) {
      console.error(`PROBLEMS:\n  ${problems.join("\n  ")}`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(`[bench:edge] failed: ${error?.stack ?? error}`);
    for (const name of Object.keys(servers)) {
      try {
        const tail = readFileSync(join(tmp, `wrangler-${name}.log`), "utf8")
          .split("\n")
          .slice(-20)
          .join("\n");
        if (tail.trim()) console.error(`--- wrangler dev (${name}), last lines ---\n${tail}`);
      } catch {}
    }
    process.exitCode = 1;
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    clearTimeout(watchdog);
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
