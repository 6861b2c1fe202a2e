#!/usr/bin/env node
// `npm run bench:metrics`: what metrics cost the hold path, and whether a scrape taken under load is
// valid Prometheus text that counts every hold.
//
// Two `wrangler dev` servers side by side, one with METRICS=on and one with METRICS=off (the edge's
// counting and Analytics Engine data points off; the room's in-memory decision counts stay, they are
// a map increment). Holds load them in turn, on, off, on, off (A B A B in one run), two adjacent
// random seats per request on a wide map (26 x 20 x 500 seats, nearly every answer a 201), so that
// the ratio on/off of decisions per second and of latency is taken under the same machine load.
// During the first "on" run /metrics is scraped; after the runs it is scraped again. Both scrapes go
// through `promtool check metrics` (Debian's `prometheus` package) when it is installed, and the
// final scrape's tickets_holds_total must equal the hold decisions the loads saw (201, 409, 422),
// give or take the requests still in flight when a run was cut (at most one per connection).
//
// Knobs: METRICS_BENCH_SECONDS (5), METRICS_BENCH_CONNECTIONS (32), METRICS_BENCH_USERS (2000).

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  api,
  createEvent,
  createVenue,
  logger,
  machine,
  num,
  RESULTS,
  round,
  tokenSigner,
  withWranglerDev,
} from "./lib/harness.mjs";
import { loadHolds, sectionIds } from "./lib/holds-load.mjs";

const SECONDS = num("METRICS_BENCH_SECONDS", 5);
const CONNECTIONS = num("METRICS_BENCH_CONNECTIONS", 32);
const USERS = num("METRICS_BENCH_USERS", 2000);
const MAP = { sections: 26, rows: 20, seatsPerRow: 500 };
const TOKEN = "bench-metrics-token-0123456789abcdef";
const log = logger("metrics");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function prepare(server, secret) {
  const sign = tokenSigner(secret);
  const base = `http://127.0.0.1:${server.workerPort}`;
  const organizer = await sign("bench-organizer", ["organizer"]);
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await sign(`bench-user-${i}`, ["customer"]));
  const sections = sectionIds(MAP).map((id) => ({ id, rows: MAP.rows, seatsPerRow: MAP.seatsPerRow }));
  const venueId = await createVenue(base, organizer, "metrics", sections);
  const eventId = await createEvent(base, organizer, venueId, sectionIds(MAP), "bench metrics", {
    limits: { perOrder: 8, perUser: 8 },
  });
  return { base, users, eventId };
}

const scrape = async (base) => {
  const res = await api(base, "GET", "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.text.slice(0, 200)}`);
  return res.text;
};

/** `promtool check metrics` on a scrape: { ran, ok, output }, or ran: false when promtool is absent. */
function promtool(text) {
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (run.error) return { ran: false, ok: null, output: String(run.error.message) };
  return { ran: true, ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

const holdsTotal = (text) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("tickets_holds_total{"))
    .reduce((n, line) => n + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

const decided = (run) => ["201", "409", "422"].reduce((n, s) => n + (run.statusCounts[s] ?? 0), 0);

async function main() {
  const info = machine(["wrangler", "workerd", "autocannon"]);
  const vars = { METRICS_TOKEN: TOKEN };
  await withWranglerDev({ name: "metrics-on", watchdogMs: 10 * 60_000, vars: { ...vars, METRICS: "on" } }, (on) =>
    withWranglerDev(
      { name: "metrics-off", watchdogMs: 10 * 60_000, vars: { ...vars, METRICS: "off" } },
      async (off) => {
        const sides = {
          on: { server: on.server, ...(await prepare(on.server, on.secret)) },
          off: { server: off.server, ...(await prepare(off.server, off.secret)) },
        };
        log(`servers up: on :${on.server.workerPort}, off :${off.server.workerPort}; warming up`);
        for (const side of Object.values(sides)) {
          await loadHolds({
            kind: "holds",
            port: side.server.workerPort,
            eventId: side.eventId,
            map: MAP,
            users: side.users,
            seconds: 1,
            server: side.server,
            connections: CONNECTIONS,
          });
        }
        const before = holdsTotal(await scrape(sides.on.base));
        const runs = [];
        let midScrape;
        for (const label of ["on", "off", "on", "off"]) {
          const side = sides[label];
          const mid =
            label === "on" && !midScrape ? sleep((SECONDS * 1000) / 2).then(() => scrape(side.base)) : undefined;
          const run = await loadHolds({
            kind: "holds",
            port: side.server.workerPort,
            eventId: side.eventId,
            map: MAP,
            users: side.users,
            seconds: SECONDS,
            server: side.server,
            connections: CONNECTIONS,
          });
          if (mid) midScrape = await mid;
          log(
            `${label}: ${run.decisionsPerSec} decisions/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, statuses ${JSON.stringify(run.statusCounts)}`,
          );
          runs.push({ label, run });
        }
        await sleep(500);
        const finalScrape = await scrape(sides.on.base);
        const onRuns = runs.filter((r) => r.label === "on").map((r) => r.run);
        const offRuns = runs.filter((r) => r.label === "off").map((r) => r.run);
        const seen = onRuns.reduce((n, r) => n + decided(r), 0);
        const counted = holdsTotal(finalScrape) - before;
        const mean = (xs, pick) => xs.reduce((n, x) => n + pick(x), 0) / xs.length;
        const ratio = (pick) => round(mean(onRuns, pick) / mean(offRuns, pick), 3);
        const result = {
          benchmark: "metrics",
          machine: { ...info, shared: "2 cores shared with seven other engineers' tests: figures are contended" },
          seconds: SECONDS,
          connections: CONNECTIONS,
          map: MAP,
          runs: runs.map(({ label, run }) => ({
            label,
            decisionsPerSec: run.decisionsPerSec,
            p50Ms: run.p50Ms,
            p99Ms: run.p99Ms,
            statusCounts: run.statusCounts,
          })),
          onOverOff: {
            decisionsPerSec: ratio((r) => r.decisionsPerSec),
            p50Ms: ratio((r) => r.p50Ms),
            p99Ms: ratio((r) => r.p99Ms),
          },
          scrape: {
            holdsSeenByTheLoads: seen,
            holdsCountedByTheScrape: counted,
            difference: counted - seen,
            inFlightBound: CONNECTIONS * onRuns.length,
            promtoolDuringLoad: promtool(midScrape ?? ""),
            promtoolAfter: promtool(finalScrape),
          },
        };
        mkdirSync(RESULTS, { recursive: true });
        writeFileSync(join(RESULTS, "metrics.json"), `${JSON.stringify(result, null, 2)}\n`);
        log(`on/off: ${JSON.stringify(result.onOverOff)}; scrape counted ${counted} holds, the loads saw ${seen}`);
        log(
          `promtool during load: ${JSON.stringify(result.scrape.promtoolDuringLoad)}; after: ${JSON.stringify(result.scrape.promtoolAfter)}`,
        );
        const countOk = counted >= seen && counted - seen <= result.scrape.inFlightBound;
        const promOk = [result.scrape.promtoolDuringLoad, result.scrape.promtoolAfter].every((p) => p.ok !== false);
        if (!countOk || !promOk) process.exitCode = 1;
        return { failed: !countOk || !promOk };
      },
    ),
  );
}

await main();
