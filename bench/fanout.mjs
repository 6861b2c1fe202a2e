#!/usr/bin/env node
// `npm run bench:fanout`: live seat-map fan-out through `wrangler dev`. Opens 1,000 WebSocket
// subscribers to one event (GET /api/v1/events/:eventId/live), then makes 100 one-seat holds one
// after another and records, for each, the time from just before the POST until the last of the
// 1,000 sockets has received a delta naming that seat (the fan-out, not the HTTP reply, which is
// recorded separately). Then checks that every subscriber's map (snapshot + deltas, applied in
// order) equals GET .../seats. Goal: p99 <= 50 ms. Results: bench/results/fanout.json.
//
// Three runs, each on its own event with its own 1,000 fresh sockets:
//   worker-port            the headline figures: sockets offer permessage-deflate, as browsers do
//                          (workerd accepts it, so every delta is compressed once per socket)
//   worker-port-no-deflate the same without compression, to show what compression costs
//   proxy-port             shorter, sockets and POSTs through wrangler's proxy port
// One Node process receives all 1,000 sockets: its own CPU time is part of every figure and is
// reported (cpu.loadGenCores, cpu.loadGenMsPerHold).
//
// Knobs (environment): FANOUT_BENCH_SUBSCRIBERS (1000), FANOUT_BENCH_HOLDS (100),
// FANOUT_BENCH_NO_DEFLATE_HOLDS (100, 0 = skip that run), FANOUT_BENCH_PROXY_HOLDS (30, 0 = skip),
// FANOUT_BENCH_QUIET_WAIT (20: seconds to wait at most for other processes to go quiet).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { cpuSince, cpuSnapshot } from "./lib/cpu.mjs";
import {
  api,
  cores,
  createEvent,
  createVenue,
  foreignWorkerd,
  logger,
  machine,
  machineAtEnd,
  num,
  percentile,
  RESULTS,
  round,
  sleep,
  summaryFooter,
  tokenSigner,
  unexpectedOutput,
  waitForQuiet,
  withWranglerDev,
} from "./lib/harness.mjs";
import { closeSubscribers, converge, OPEN_BATCH, openSubscribers } from "./lib/live-subscribers.mjs";

const SUBSCRIBERS = num("FANOUT_BENCH_SUBSCRIBERS", 1000);
const HOLDS = num("FANOUT_BENCH_HOLDS", 100);
const PROXY_HOLDS = num("FANOUT_BENCH_PROXY_HOLDS", 30);
const NO_DEFLATE_HOLDS = num("FANOUT_BENCH_NO_DEFLATE_HOLDS", 100);
const QUIET_WAIT_SECONDS = num("FANOUT_BENCH_QUIET_WAIT", 20);
const WARMUP_HOLDS = 5;
const HOLD_TIMEOUT_MS = 5_000;
const GOAL_P99_MS = 50;
const CONTENDED_CORES = 0.25;
const WATCHDOG_MS = 3 * 60_000;
const USERS = 4;
// 10 x 20 = 200 seats: measured holds take rows 1-5 in order, warm-ups row 10.
const SECTION = { id: "A", rows: 10, seatsPerRow: 20 };
const seatOf = (i) => `A-${1 + Math.floor(i / SECTION.seatsPerRow)}-${1 + (i % SECTION.seatsPerRow)}`;
const warmSeatOf = (i) => `A-10-${1 + i}`;

const log = logger("fanout");
const DELTA = Buffer.from('"type":"delta"');

// ------------------------------------------------------------------------------------ holds

let keyCounter = 0;

/** One hold; resolves once the reply is in and every subscriber has seen the seat in a delta (or on timeout). */
async function measureHold({ base, eventId, token, seat, group }) {
  const needle = Buffer.from(`"${seat}"`);
  const n = group.subs.length;
  const seen = new Uint8Array(n);
  let remaining = n;
  let firstAt;
  let lastAt;
  let done;
  const allSeen = new Promise((resolve) => {
    done = resolve;
  });
  group.watch = (sub, at, data) => {
    if (seen[sub.index] || !data.includes(DELTA) || !data.includes(needle)) return;
    seen[sub.index] = 1;
    firstAt ??= at;
    lastAt = at;
    if (--remaining === 0) done();
  };
  const t0 = performance.now();
  const reply = api(base, "POST", `/api/v1/events/${eventId}/holds`, {
    token,
    body: { seatIds: [seat] },
    headers: { "idempotency-key": `fanout-${process.pid}-${++keyCounter}` },
  }).then(
    (res) => ({ ...res, at: performance.now() }),
    (error) => ({ status: 0, text: String(error), at: performance.now() }),
  );
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve("timeout"), HOLD_TIMEOUT_MS);
  });
  const [res, fanout] = await Promise.all([reply, Promise.race([allSeen.then(() => "ok"), timedOut])]);
  clearTimeout(timer);
  group.watch = undefined;
  const heldSeat = res.json?.items?.some((item) => item.seatId === seat);
  return {
    seat,
    status: res.status,
    ok: res.status === 201 && heldSeat && fanout === "ok",
    ...(res.status !== 201 ? { body: res.text?.slice(0, 300) } : {}),
    replyMs: round(res.at - t0, 2),
    firstMs: firstAt === undefined ? null : round(firstAt - t0, 2),
    allMs: fanout === "ok" ? round(lastAt - t0, 2) : null,
    missing: remaining,
  };
}

// ------------------------------------------------------------------------------------ one run

async function run({ label, server, port, eventId, users, organizer, holds, deflate }) {
  const base = `http://127.0.0.1:${port}`;
  const readBase = `http://127.0.0.1:${server.workerPort}`;
  const url = `ws://127.0.0.1:${port}/api/v1/events/${eventId}/live`;
  const mark = server.outputMark();
  const cpuOpen = cpuSnapshot(server.pgid);
  const group = await openSubscribers(url, SUBSCRIBERS, deflate);
  const openCpu = cpuSince(cpuOpen, server.pgid);
  log(
    `${label}: ${group.subs.length}/${SUBSCRIBERS} subscribers open in ${group.openSeconds} s, ` +
      `${group.snapshots} snapshots, extensions "${group.extensions}"` +
      (group.failures.length ? `, ${group.failures.length} failed (${[...new Set(group.failures)].join("; ")})` : ""),
  );
  const problems = [];
  if (group.subs.length !== SUBSCRIBERS || group.snapshots !== SUBSCRIBERS) {
    problems.push(`${label}: ${group.snapshots}/${SUBSCRIBERS} subscribers got a snapshot`);
  }
  const measured = [];
  const warm = [];
  let cpu;
  if (group.subs.length > 0) {
    for (let i = 0; i < WARMUP_HOLDS; i++) {
      warm.push(
        await measureHold({ base, eventId, token: users[i % users.length], seat: warmSeatOf(i), group: group }),
      );
    }
    const before = cpuSnapshot(server.pgid);
    for (let i = 0; i < holds; i++) {
      measured.push(await measureHold({ base, eventId, token: users[i % users.length], seat: seatOf(i), group }));
    }
    cpu = cpuSince(before, server.pgid);
    // CPU time per hold: server (wrangler's processes) and this process, which reads every socket.
    const seconds = (Date.now() - before.at) / 1000;
    cpu.seconds = round(seconds, 2);
    cpu.serverMsPerHold = round((cpu.serverCores * seconds * 1000) / holds, 1);
    cpu.loadGenMsPerHold = round((cpu.loadGenCores * seconds * 1000) / holds, 1);
  }
  await sleep(300); // anything still on the wire
  const convergence = await converge(readBase, organizer, eventId, group);
  await closeSubscribers(group);
  await sleep(500);
  const output = unexpectedOutput(server, mark);
  if (!server.alive()) problems.push(`${label}: wrangler dev died`);

  const bad = [...warm, ...measured].filter((h) => !h.ok);
  for (const h of bad.slice(0, 5)) {
    problems.push(
      `${label}: hold ${h.seat}: status ${h.status}, ${h.missing} subscribers never saw it${h.body ? ` (${h.body})` : ""}`,
    );
  }
  if (bad.length > 5) problems.push(`${label}: ${bad.length - 5} more failed holds`);
  if (!convergence.ok) {
    problems.push(
      `${label}: ${convergence.subscribers - convergence.converged} subscribers' maps differ from GET seats`,
    );
  }
  if (output.other.length) problems.push(`${label}: wrangler printed ${JSON.stringify(output.other)}`);

  const all = measured.filter((h) => h.allMs !== null).map((h) => h.allMs);
  const replies = measured.map((h) => h.replyMs);
  const firsts = measured.filter((h) => h.firstMs !== null).map((h) => h.firstMs);
  // After the reply: how long the last subscriber trailed the HTTP answer.
  const afterReply = measured.filter((h) => h.allMs !== null).map((h) => round(h.allMs - h.replyMs, 2));
  return {
    label,
    port,
    eventId,
    permessageDeflateOffered: deflate,
    subscribers: group.subs.length,
    snapshots: group.snapshots,
    openFailures: group.failures.length,
    openSeconds: group.openSeconds,
    openCpu,
    websocketExtensions: group.extensions,
    holds: measured.length,
    warmupHolds: warm.length,
    p50Ms: percentile(all, 50),
    p90Ms: percentile(all, 90),
    p99Ms: percentile(all, 99),
    maxMs: all.length ? Math.max(...all) : null,
    meanMs: all.length ? round(all.reduce((a, b) => a + b, 0) / all.length, 2) : null,
    replyP50Ms: percentile(replies, 50),
    replyP99Ms: percentile(replies, 99),
    firstSubscriberP50Ms: percentile(firsts, 50),
    lastAfterReplyP50Ms: percentile(afterReply, 50),
    lastAfterReplyP99Ms: percentile(afterReply, 99),
    failedHolds: bad.length,
    cpu,
    convergence,
    serverOutput: output,
    problems,
    samples: measured.map(({ seat, status, replyMs, firstMs, allMs, missing }) => ({
      seat,
      status,
      replyMs,
      firstMs,
      allMs,
      ...(missing ? { missing } : {}),
    })),
  };
}

// ------------------------------------------------------------------------------------ main

async function main() {
  const startedAt = Date.now();
  const info = machine(["wrangler", "workerd", "ws"]);
  const outcome = await withWranglerDev({ name: "fanout", watchdogMs: WATCHDOG_MS }, async ({ server, secret }) => {
    const sign = tokenSigner(secret);
    const organizer = await sign("bench-organizer", ["organizer"]);
    const users = await Promise.all(Array.from({ length: USERS }, (_, i) => sign(`fanout-user-${i}`, ["customer"])));
    const workerBase = `http://127.0.0.1:${server.workerPort}`;
    const foreign = foreignWorkerd(server.pgid);
    log(`wrangler dev up: proxy :${server.port}, worker :${server.workerPort} (${foreign} other workerd processes)`);

    const venueId = await createVenue(workerBase, organizer, "fanout", [SECTION]);
    const eventBody = { limits: { perOrder: 8, perUser: 1000 }, holdSeconds: 600 };
    const plans = [
      { label: "worker-port", port: server.workerPort, holds: HOLDS, deflate: true },
      { label: "worker-port-no-deflate", port: server.workerPort, holds: NO_DEFLATE_HOLDS, deflate: false },
      { label: "proxy-port", port: server.port, holds: PROXY_HOLDS, deflate: true },
    ].filter((plan) => plan.holds > 0);
    for (const plan of plans) {
      plan.eventId = await createEvent(
        workerBase,
        organizer,
        venueId,
        [SECTION.id],
        `bench fanout ${plan.label}`,
        eventBody,
      );
    }

    const quiet = await waitForQuiet(server.pgid, { threshold: CONTENDED_CORES, maxSeconds: QUIET_WAIT_SECONDS });
    log(
      quiet.quiet
        ? `machine quiet (other processes ${quiet.otherCores} cores) after ${quiet.waitedSeconds} s`
        : `machine still busy after ${quiet.waitedSeconds} s (other processes ${quiet.otherCores} cores); measuring anyway`,
    );

    const runs = {};
    for (const plan of plans) {
      const r = await run({ ...plan, server, users, organizer });
      runs[plan.label] = r;
      log(
        `${plan.label}: fan-out p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms max ${r.maxMs} ms; ` +
          `reply p50 ${r.replyP50Ms} ms; converged ${r.convergence.converged}/${r.subscribers}`,
      );
    }
    const direct = runs["worker-port"];
    const noDeflate = runs["worker-port-no-deflate"];
    const proxy = runs["proxy-port"];

    const problems = Object.values(runs).flatMap((r) => r.problems);
    const contention = [];
    for (const r of Object.values(runs)) {
      if (r.cpu && r.cpu.otherCores > CONTENDED_CORES) {
        contention.push(`${r.label}: other processes used ${r.cpu.otherCores} cores during the holds`);
      }
    }
    const strip = ({ problems: _p, ...rest }) => rest;
    const brief = (r) =>
      r && {
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        maxMs: r.maxMs,
        replyP50Ms: r.replyP50Ms,
        holds: r.holds,
        converged: r.convergence.ok,
      };
    const results = {
      benchmark: "fanout",
      date: info.date,
      ok: problems.length === 0,
      subscribers: direct.subscribers,
      holds: direct.holds,
      p50Ms: direct.p50Ms,
      p99Ms: direct.p99Ms,
      maxMs: direct.maxMs,
      replyP50Ms: direct.replyP50Ms,
      replyP99Ms: direct.replyP99Ms,
      goal: { p99Ms: GOAL_P99_MS, met: direct.p99Ms !== null && direct.p99Ms <= GOAL_P99_MS },
      withoutDeflate: brief(noDeflate) ?? null,
      viaProxy: brief(proxy) ?? null,
      converged: Object.values(runs).every((r) => r.convergence.ok),
      contention,
      machine: machineAtEnd(info, { otherWorkerdProcesses: foreign, quietBeforeStart: quiet }),
      config: {
        subscribers: SUBSCRIBERS,
        holds: HOLDS,
        noDeflateHolds: NO_DEFLATE_HOLDS,
        proxyHolds: PROXY_HOLDS,
        warmupHoldsPerRun: WARMUP_HOLDS,
        openBatch: OPEN_BATCH,
        holdTimeoutMs: HOLD_TIMEOUT_MS,
        venue: `${SECTION.rows} x ${SECTION.seatsPerRow} seats, one section`,
        server: "wrangler dev --no-bundle on a bundle (wrangler deploy --dry-run) and a wrangler.toml copied at start",
        measuredOn: "worker's own port, sockets offering permessage-deflate (other runs under runs)",
        clock:
          "from just before the POST until the last subscriber's socket delivered a delta naming the seat; " +
          "one Node process receives all sockets, so its own processing is included",
      },
      runs: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, strip(r)])),
      problems,
      elapsedSeconds: round((Date.now() - startedAt) / 1000),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "fanout.json"), `${JSON.stringify(results, null, 2)}\n`);
    summary(results);
    return { failed: problems.length > 0, results };
  });
  if (outcome?.failed) {
    if (outcome.results) console.error(`\nPROBLEMS:\n  ${outcome.results.problems.join("\n  ")}`);
    process.exitCode = 1;
  }
}

function summary(r) {
  const line = (m) =>
    `${m.label}: ${m.subscribers} subscribers, ${m.holds} holds: fan-out p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, ` +
    `max ${m.maxMs} ms (first subscriber p50 ${m.firstSubscriberP50Ms} ms); HTTP reply p50 ${m.replyP50Ms} ms, ` +
    `p99 ${m.replyP99Ms} ms; converged ${m.convergence.converged}/${m.subscribers}\n    ` +
    `cores server/loadgen/other ${cores(m.cpu)}; CPU ms per hold server ${m.cpu?.serverMsPerHold}, ` +
    `loadgen ${m.cpu?.loadGenMsPerHold}; websocket extensions "${m.websocketExtensions}"`;
  console.log(`\nfan-out benchmark, ${r.machine.date}, ${r.machine.cpus} x ${r.machine.cpuModel}`);
  for (const m of Object.values(r.runs)) console.log(`  ${line(m)}`);
  console.log(
    `goal p99 <= ${r.goal.p99Ms} ms (worker port, deflate offered): ${r.goal.met ? "met" : "NOT met"} (p99 ${r.p99Ms} ms)`,
  );
  summaryFooter("fanout", r);
}

await main();
