#!/usr/bin/env node
// `npm run bench:holds`: seat holds through `wrangler dev`, measured against the ceiling of the
// same edge path with a no-op room RPC (POST /api/v1/bench/events/:eventId/ping).
//
// Two maps, a fresh event per run: hot (5 x 40 x 50 = 10,000 seats, fills in seconds, mostly 409)
// and wide (26 x 20 x 500 = 260,000 seats, nearly every answer a 201). Each request asks for two
// adjacent random seats for one of 20,000 users, with a fresh Idempotency-Key. Load runs on the
// worker's own port (wrangler's proxy takes a core of its own) and, shorter, through the proxy.
// After every hold run it checks for oversold seats against the 201 bodies and GET .../seats.
//
// Knobs (environment): HOLDS_BENCH_SECONDS (10), HOLDS_BENCH_PROXY_SECONDS (5, 0 = skip),
// HOLDS_BENCH_CONNECTIONS (64), HOLDS_BENCH_QUIET_WAIT (30: seconds to wait at most for other
// processes to go quiet before measuring), HOLDS_BENCH_LIVE_SRC=1 (run wrangler dev on the source
// tree and the live wrangler.toml instead of a bundle and config copied at start: with those,
// edits others make during the run can neither reload nor crash the server).

import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  cores,
  createEvent,
  createVenue,
  foreignWorkerd,
  logger,
  machine,
  machineAtEnd,
  num,
  outputSummary,
  RESULTS,
  ROOT,
  round,
  summaryFooter,
  tokenSigner,
  waitForQuiet,
} from "./lib/harness.mjs";
import { loadHolds, seatCount, sectionIds, verify } from "./lib/holds-load.mjs";
import { snapshotConfig, startWranglerDev, wranglerAsync } from "./lib/wrangler-dev.mjs";

const SECONDS = num("HOLDS_BENCH_SECONDS", 10);
const PROXY_SECONDS = num("HOLDS_BENCH_PROXY_SECONDS", 5);
const CONNECTIONS = num("HOLDS_BENCH_CONNECTIONS", 64);
const LIVE_SRC = process.env.HOLDS_BENCH_LIVE_SRC === "1";
const USERS = 20_000;
const WARMUP_SECONDS = 2;
const WATCHDOG_MS = 6 * 60_000;
const GOALS = { hot: 0.9, wide: 0.75 };
/** Other processes using more than this many cores during a load make its figures suspect. */
const CONTENDED_CORES = 0.25;
const QUIET_WAIT_SECONDS = num("HOLDS_BENCH_QUIET_WAIT", 30);

const MAPS = {
  hot: { sections: 5, rows: 40, seatsPerRow: 50 },
  wide: { sections: 26, rows: 20, seatsPerRow: 500 },
};

const log = logger("holds");

// ------------------------------------------------------------------------------------ setup

async function signTokens(secret) {
  const sign = tokenSigner(secret);
  const users = new Array(USERS);
  for (let start = 0; start < USERS; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(USERS, start + 1000); i++) batch.push(sign(`bench-user-${i}`, ["customer"]));
    const signed = await Promise.all(batch);
    for (let j = 0; j < signed.length; j++) users[start + j] = signed[j];
  }
  return { organizer: await sign("bench-organizer", ["organizer"]), users };
}

const venueFor = (base, token, name, map) =>
  createVenue(
    base,
    token,
    name,
    sectionIds(map).map((id) => ({ id, rows: map.rows, seatsPerRow: map.seatsPerRow })),
  );
const eventFor = (base, token, venueId, map, title) =>
  createEvent(base, token, venueId, sectionIds(map), title, { limits: { perOrder: 8, perUser: 8 } });
const load = (args) => loadHolds({ connections: CONNECTIONS, ...args });

// ------------------------------------------------------------------------------------ main

async function main() {
  const startedAt = Date.now();
  const info = machine(["wrangler", "workerd", "autocannon"]);
  const tmp = mkdtempSync(join(os.tmpdir(), "bench-holds-"));
  const persistTo = join(tmp, "state");
  const envFile = join(tmp, "bench.env"); // keeps the developer's .dev.vars out of the run
  writeFileSync(envFile, "");
  const logPath = join(tmp, "wrangler.log");
  const secret = randomBytes(24).toString("hex");
  let server;
  let keepTmp = false;

  const watchdog = setTimeout(() => {
    console.error(`[bench:holds] watchdog: still running after ${WATCHDOG_MS / 1000} s; stopping`);
    server?.stopSync();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const onSignal = (signal) => {
    console.error(`[bench:holds] ${signal}: stopping wrangler dev`);
    server?.stopSync();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => server?.stopSync());

  try {
    log(`setup in ${tmp}: ${LIVE_SRC ? "source tree" : "bundle snapshot"}, migrations, ${USERS} user tokens`);
    const config = LIVE_SRC ? join(ROOT, "wrangler.toml") : snapshotConfig(tmp);
    const [, , tokens] = await Promise.all([
      LIVE_SRC
        ? null
        : wranglerAsync(["deploy", "--dry-run", "--config", config, "--outdir", join(tmp, "dist")], {
            timeoutMs: 60_000,
          }),
      wranglerAsync(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", persistTo], {
        timeoutMs: 60_000,
      }),
      signTokens(secret),
    ]);

    server = await startWranglerDev({
      config,
      script: LIVE_SRC ? undefined : join(tmp, "dist/edge.js"),
      persistTo,
      envFile,
      logPath,
      vars: {
        AUTH_SECRET: secret,
        AUTH_JWKS_URL: "",
        RATE_LIMIT_MODE: "off",
        BOT_CHALLENGE: "off",
        LOG_REQUESTS: "off",
        BENCH_ROUTES: "on",
        ENVIRONMENT: "development",
      },
    });
    const workerBase = `http://127.0.0.1:${server.workerPort}`;
    const foreign = foreignWorkerd(server.pgid);
    log(`wrangler dev up: proxy :${server.port}, worker :${server.workerPort} (${foreign} other workerd processes)`);

    const venues = {};
    for (const [name, map] of Object.entries(MAPS)) {
      venues[name] = await venueFor(workerBase, tokens.organizer, name, map);
    }

    const quiet = await waitForQuiet(server.pgid, { threshold: CONTENDED_CORES, maxSeconds: QUIET_WAIT_SECONDS });
    log(
      quiet.quiet
        ? `machine quiet (other processes ${quiet.otherCores} cores) after ${quiet.waitedSeconds} s`
        : `machine still busy after ${quiet.waitedSeconds} s (other processes ${quiet.otherCores} cores); measuring anyway`,
    );

    // Warm-up: JIT for both routes, on a scratch event, not measured.
    const warmEvent = await eventFor(workerBase, tokens.organizer, venues.hot, MAPS.hot, "bench warm-up");
    const warmArgs = {
      port: server.workerPort,
      server,
      eventId: warmEvent,
      map: MAPS.hot,
      users: tokens.users,
    };
    await load({ kind: "ping", seconds: WARMUP_SECONDS, ...warmArgs });
    await load({ kind: "holds", seconds: WARMUP_SECONDS, ...warmArgs });
    log("warm-up done");

    const problems = []; // correctness and crashes: the run fails
    const warnings = []; // unanswered requests: reported, the run still counts
    const contention = [];
    const check = (label, run) => {
      const bad = Object.keys(run.statusCounts).filter((s) => Number(s) >= 500 || ![201, 409, 422].includes(Number(s)));
      if (bad.length) problems.push(`${label}: unexpected statuses ${bad.map((s) => `${s}x${run.statusCounts[s]}`)}`);
      if (run.errors)
        warnings.push(`${label}: ${run.errors} connection errors (${run.timeouts} of them 10 s timeouts)`);
      // workerd prints "Uncaught Error: Network connection lost." when a client goes away mid-request
      // (the connections autocannon cuts at the end, those it drops after a timeout): once per cut
      // request, twice when the request was waiting on the room (edge and room RPC), even for /healthz.
      const out = run.serverOutput;
      const lines = [...(out.duringRun?.distinct ?? []).map((d) => d.line), ...out.afterStop.other];
      const unexplained = lines.filter(
        (l) => !l.includes("Network connection lost") && !l.includes("Logs were written"),
      );
      const disconnects =
        out.afterStop.disconnectErrors +
        (out.duringRun?.distinct ?? [])
          .filter((d) => d.line.includes("Network connection lost"))
          .reduce((n, d) => n + d.count, 0);
      if (unexplained.length) problems.push(`${label}: wrangler printed ${JSON.stringify(unexplained)}`);
      if (disconnects > 2 * (run.connections + run.errors)) {
        problems.push(`${label}: ${disconnects} "Network connection lost" errors, over 2 x (connections + errors)`);
      }
      if (!server.alive()) throw new Error(`wrangler dev died during ${label}; see ${logPath}`);
      if (run.cpu.otherCores > CONTENDED_CORES) {
        contention.push(`${label}: other processes used ${run.cpu.otherCores} cores`);
      }
    };
    const strip = ({ seats201, kind, port, ...rest }) => rest;

    const maps = {};
    for (const [name, map] of Object.entries(MAPS)) {
      const runSet = async (port, base, seconds, label) => {
        const eventId = await eventFor(workerBase, tokens.organizer, venues[name], map, `bench ${name} ${label}`);
        const args = { port, server, eventId, map, users: tokens.users, seconds };
        const ceiling = await load({ kind: "ping", ...args });
        check(`${name}/${label}/ceiling`, ceiling);
        log(`${name} ${label} ceiling: ${ceiling.decisionsPerSec}/s p50 ${ceiling.p50Ms} ms p99 ${ceiling.p99Ms} ms`);
        const holds = await load({ kind: "holds", ...args });
        check(`${name}/${label}/holds`, holds);
        const verification = await verify(
          base,
          tokens.organizer,
          eventId,
          map,
          holds.seats201,
          CONNECTIONS + holds.errors,
        );
        if (!verification.ok) problems.push(`${name}/${label}: verification failed ${JSON.stringify(verification)}`);
        log(
          `${name} ${label} holds: ${holds.decisionsPerSec}/s p50 ${holds.p50Ms} ms p99 ${holds.p99Ms} ms ` +
            `statuses ${JSON.stringify(holds.statusCounts)} oversold ${verification.oversold}`,
        );
        return { eventId, holds: strip(holds), ceiling: strip(ceiling), verification };
      };
      const direct = await runSet(server.workerPort, workerBase, SECONDS, "worker-port");
      const proxy = PROXY_SECONDS > 0 ? await runSet(server.port, workerBase, PROXY_SECONDS, "proxy-port") : undefined;
      const ratio = direct.holds.decisionsPerSec / direct.ceiling.decisionsPerSec;
      maps[name] = {
        map: { ...map, seats: seatCount(map) },
        eventId: direct.eventId,
        decisionsPerSec: direct.holds.decisionsPerSec,
        p50Ms: direct.holds.p50Ms,
        p99Ms: direct.holds.p99Ms,
        oversold: direct.verification.oversold,
        statusCounts: direct.holds.statusCounts,
        ceiling: {
          decisionsPerSec: direct.ceiling.decisionsPerSec,
          p50Ms: direct.ceiling.p50Ms,
          p99Ms: direct.ceiling.p99Ms,
          statusCounts: direct.ceiling.statusCounts,
        },
        ratioToCeiling: round(ratio, 3),
        goal: { ratioToCeiling: GOALS[name], met: ratio >= GOALS[name] },
        detail: { holds: direct.holds, ceiling: direct.ceiling, verification: direct.verification },
        ...(proxy
          ? {
              proxy: {
                eventId: proxy.eventId,
                decisionsPerSec: proxy.holds.decisionsPerSec,
                p50Ms: proxy.holds.p50Ms,
                p99Ms: proxy.holds.p99Ms,
                oversold: proxy.verification.oversold,
                statusCounts: proxy.holds.statusCounts,
                ceiling: {
                  decisionsPerSec: proxy.ceiling.decisionsPerSec,
                  p50Ms: proxy.ceiling.p50Ms,
                  p99Ms: proxy.ceiling.p99Ms,
                  statusCounts: proxy.ceiling.statusCounts,
                },
                ratioToCeiling: round(proxy.holds.decisionsPerSec / proxy.ceiling.decisionsPerSec, 3),
                detail: { holds: proxy.holds, ceiling: proxy.ceiling, verification: proxy.verification },
              },
            }
          : {}),
      };
    }

    const logText = readFileSync(logPath, "utf8");
    const results = {
      benchmark: "holds",
      machine: machineAtEnd(info, { otherWorkerdProcesses: foreign, quietBeforeStart: quiet }),
      config: {
        connections: CONNECTIONS,
        secondsPerLoad: SECONDS,
        proxySecondsPerLoad: PROXY_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        users: USERS,
        seatsPerRequest: 2,
        server: LIVE_SRC
          ? "wrangler dev (source tree, live wrangler.toml)"
          : "wrangler dev --no-bundle on a bundle (wrangler deploy --dry-run) and a wrangler.toml copied at start",
        measuredOn: "worker's own port (proxy figures under proxy)",
      },
      ok: problems.length === 0,
      hot: maps.hot,
      wide: maps.wide,
      problems,
      warnings,
      contention,
      wranglerOutput: (({ all, ...rest }) => ({
        ...rest,
        disconnectErrors: all.filter((l) => l.includes("Network connection lost")).length,
      }))(outputSummary(logText)),
      elapsedSeconds: round((Date.now() - startedAt) / 1000),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "holds.json"), `${JSON.stringify(results, null, 2)}\n`);
    // The server's output next to the results when something went wrong (*.log is git-ignored).
    if (problems.length) {
      copyFileSync(logPath, join(RESULTS, "holds-wrangler.log"));
      keepTmp = true;
    } else {
      rmSync(join(RESULTS, "holds-wrangler.log"), { force: true });
    }
    summary(results);
    if (problems.length) {
      console.error(`\nPROBLEMS:\n  ${problems.join("\n  ")}\nwrangler output: bench/results/holds-wrangler.log`);
      process.exitCode = 1;
    }
  } catch (error) {
    keepTmp = true;
    console.error(`[bench:holds] failed: ${error?.stack ?? error}`);
    try {
      mkdirSync(RESULTS, { recursive: true });
      copyFileSync(logPath, join(RESULTS, "holds-wrangler.log"));
      const tail = readFileSync(logPath, "utf8").split("\n").slice(-40).join("\n");
      if (tail.trim()) console.error(`--- wrangler dev output (last 40 lines, ${logPath}) ---\n${tail}`);
    } catch {}
    process.exitCode = 1;
  } finally {
    await server?.stop();
    clearTimeout(watchdog);
    if (!keepTmp) rmSync(tmp, { recursive: true, force: true });
  }
}

function summary(r) {
  const line = (name, m) => {
    const p = m.proxy;
    return [
      `${name.padEnd(4)} ${String(m.map.seats).padStart(7)} seats: ${m.decisionsPerSec} decisions/s ` +
        `(p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms), ceiling ${m.ceiling.decisionsPerSec}/s, ` +
        `ratio ${m.ratioToCeiling} (goal >= ${m.goal.ratioToCeiling}: ${m.goal.met ? "met" : "NOT met"}), oversold ${m.oversold}`,
      `      statuses ${JSON.stringify(m.statusCounts)}; held ${m.detail.verification.heldSeats} seats, ` +
        `${m.detail.verification.seatsIn201} in 201 bodies; cores server/loadgen/other ` +
        `${cores(m.detail.holds.cpu)} (ceiling ${cores(m.detail.ceiling.cpu)}); connections never answered ` +
        `${m.detail.holds.perConnection.unanswered}/${m.detail.holds.connections} ` +
        `(ceiling ${m.detail.ceiling.perConnection.unanswered})`,
      p
        ? `      via proxy: ${p.decisionsPerSec} decisions/s (p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms), ` +
          `ceiling ${p.ceiling.decisionsPerSec}/s, ratio ${p.ratioToCeiling}, oversold ${p.oversold}, ` +
          `statuses ${JSON.stringify(p.statusCounts)}`
        : "      via proxy: skipped",
    ].join("\n");
  };
  console.log(
    `\nholds benchmark, ${r.machine.date}, ${r.machine.cpus} x ${r.machine.cpuModel}, ` +
      `${r.config.connections} connections, ${r.config.secondsPerLoad} s per load (worker port)`,
  );
  console.log(line("hot", r.hot));
  console.log(line("wide", r.wide));
  summaryFooter("holds", r);
}

await main();
