#!/usr/bin/env node
// `npm run bench:sections`: the same wide load (two adjacent random seats per hold, 8 sections of
// 20 x 500 seats, 20,000 users) on one event split into 1, 2 and 4 rooms (`rooms`: "event", then
// groups of sections), in rounds A B C A B C on fresh events, through `wrangler dev`. Reports
// decisions/s and p99 per split, the server's CPU µs per decision, and from those a projection of
// what one event can take with 1-64 rooms on Cloudflare, where each room is its own thread with a soft
// limit of ~1,000 requests a second, including the ledger's two requests per hold (reserve, confirm)
// spread over its shards. Locally every room shares one workerd thread, so aggregate throughput
// cannot grow with rooms here: the local runs measure the cost per decision, not the scaling.
//
// Knobs: SECTIONS_BENCH_SECONDS (8), SECTIONS_BENCH_CONNECTIONS (64), SECTIONS_BENCH_ROUNDS (2).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createEvent,
  createVenue,
  logger,
  machine,
  machineAtEnd,
  num,
  RESULTS,
  round,
  tokenSigner,
  withWranglerDev,
} from "./lib/harness.mjs";
import { loadHolds, sectionIds } from "./lib/holds-load.mjs";

const SECONDS = num("SECTIONS_BENCH_SECONDS", 8);
const CONNECTIONS = num("SECTIONS_BENCH_CONNECTIONS", 64);
const ROUNDS = num("SECTIONS_BENCH_ROUNDS", 2);
const USERS = 20_000;
const MAP = { sections: 8, rows: 20, seatsPerRow: 500 };
const IDS = sectionIds(MAP);
const SPLITS = {
  1: "event",
  2: [IDS.slice(0, 4), IDS.slice(4)],
  4: [IDS.slice(0, 2), IDS.slice(2, 4), IDS.slice(4, 6), IDS.slice(6)],
};
/** Cloudflare's soft limit for one Durable Object, requests a second. */
const SOFT_LIMIT = 1000;
/** The ledger's shards per event (src/user-ledger/steps.ts LEDGER_SHARDS) and its requests per hold. */
const LEDGER_SHARDS = 8;
const LEDGER_REQUESTS_PER_HOLD = 2;
const log = logger("sections");

async function signUsers(secret) {
  const sign = tokenSigner(secret);
  const users = [];
  for (let start = 0; start < USERS; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(USERS, start + 1000); i++) batch.push(sign(`bench-user-${i}`, ["customer"]));
    users.push(...(await Promise.all(batch)));
  }
  return { organizer: await sign("bench-organizer", ["organizer"]), users };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function projection(roomMicros) {
  // One room's ceiling: the soft limit, or its own CPU per decision if that is lower.
  const perRoom = Math.min(SOFT_LIMIT, 1e6 / roomMicros);
  const ledgerCeiling = (LEDGER_SHARDS * SOFT_LIMIT) / LEDGER_REQUESTS_PER_HOLD;
  return [1, 2, 4, 8, 16, 32, 64].map((rooms) => {
    const roomsCeiling = rooms * perRoom;
    const holdsPerSec = rooms === 1 ? roomsCeiling : Math.min(roomsCeiling, ledgerCeiling);
    return {
      rooms,
      holdsPerSec: Math.round(holdsPerSec),
      limitedBy: rooms > 1 && ledgerCeiling < roomsCeiling ? `ledger (${LEDGER_SHARDS} shards)` : "rooms",
    };
  });
}

async function main() {
  const info = machine(["wrangler", "workerd", "autocannon"]);
  const outcome = await withWranglerDev({ name: "sections", watchdogMs: 10 * 60_000 }, async ({ server, secret }) => {
    const base = `http://127.0.0.1:${server.workerPort}`;
    const tokens = await signUsers(secret);
    const venueId = await createVenue(
      base,
      tokens.organizer,
      "sections",
      IDS.map((id) => ({ id, rows: MAP.rows, seatsPerRow: MAP.seatsPerRow })),
    );
    const eventFor = (rooms, title) =>
      createEvent(base, tokens.organizer, venueId, IDS, title, { rooms, limits: { perOrder: 8, perUser: 8 } });
    const load = (eventId, seconds) =>
      loadHolds({
        kind: "holds",
        port: server.workerPort,
        server,
        eventId,
        map: MAP,
        users: tokens.users,
        seconds,
        connections: CONNECTIONS,
      });
    for (const rooms of Object.keys(SPLITS)) await load(await eventFor(SPLITS[rooms], `warm-up ${rooms}`), 2);
    log("warm-up done");

    const runs = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const rooms of Object.keys(SPLITS)) {
        const eventId = await eventFor(SPLITS[rooms], `bench ${rooms} rooms round ${r + 1}`);
        const run = await load(eventId, SECONDS);
        const bad = Object.keys(run.statusCounts).filter((s) => ![201, 409, 422].includes(Number(s)));
        const micros = (run.cpu.serverCores * run.seconds * 1e6) / Math.max(1, run.decisions);
        runs.push({
          rooms: Number(rooms),
          round: r + 1,
          decisionsPerSec: run.decisionsPerSec,
          p50Ms: run.p50Ms,
          p99Ms: run.p99Ms,
          statusCounts: run.statusCounts,
          serverMicrosPerDecision: round(micros),
          cpu: run.cpu,
          ...(bad.length ? { unexpected: bad } : {}),
        });
        log(
          `${rooms} room(s), round ${r + 1}: ${run.decisionsPerSec}/s, p99 ${run.p99Ms} ms, ${round(micros)} µs/decision`,
        );
      }
    }
    return { runs };
  });
  if (outcome?.failed) return;
  const bySplit = Object.keys(SPLITS).map((rooms) => {
    const mine = outcome.runs.filter((r) => r.rooms === Number(rooms));
    return {
      rooms: Number(rooms),
      split: SPLITS[rooms],
      decisionsPerSec: median(mine.map((r) => r.decisionsPerSec)),
      p99Ms: median(mine.map((r) => r.p99Ms)),
      serverMicrosPerDecision: median(mine.map((r) => r.serverMicrosPerDecision)),
    };
  });
  // The split's own cost per hold (the ledger's two requests, the routing): the 2- and 4-room runs'
  // µs per decision over the 1-room run's, all on the same thread.
  const one = bySplit[0].serverMicrosPerDecision;
  const split = Math.max(...bySplit.slice(1).map((s) => s.serverMicrosPerDecision));
  const result = {
    name: "sections",
    at: new Date().toISOString(),
    note:
      "Local: every room (and the edge) shares one workerd thread, so decisions/s cannot grow with rooms here; " +
      "the machine was shared with other engineers' work (see machine). The projection assumes one thread per room " +
      `(Cloudflare), each under the ~${SOFT_LIMIT} req/s soft limit or its measured CPU per decision, and the ledger's ` +
      `${LEDGER_REQUESTS_PER_HOLD} requests per hold over ${LEDGER_SHARDS} shards.`,
    seconds: SECONDS,
    connections: CONNECTIONS,
    map: MAP,
    runs: outcome.runs,
    bySplit,
    splitCostRatio: round(split / one, 2),
    projected: projection(split),
    machine: machineAtEnd(info),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "sections.json"), `${JSON.stringify(result, null, 2)}\n`);
  log(`bench/results/sections.json written; projected: ${JSON.stringify(result.projected)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
