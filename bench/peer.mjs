#!/usr/bin/env node
// `npm run bench:peer`: the project's hold route against the Postgres design a team would build
// instead (../shared/pg-peer, or PEER_DIR: a Node server doing SELECT ... FOR UPDATE NOWAIT), with
// the peer's own generator (load.mjs: 20,000 users, two adjacent random seats, a fresh
// Idempotency-Key each) for both sides, alternated A B A B on fresh maps in one run.
// Writes bench/results/peer.json: both sides' decisions/s, p50/p99, oversold, false conflicts.
//
// Knobs: PEER_SECONDS (10), PEER_CONNECTIONS (64), PEER_ROUNDS (2), PEER_DIR (../shared/pg-peer).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
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
import { generate as generateWith, PEER, preparePeer, peerRun as run } from "./lib/pg-peer.mjs";

const SECONDS = num("PEER_SECONDS", 10);
const CONNECTIONS = num("PEER_CONNECTIONS", 64);
const ROUNDS = num("PEER_ROUNDS", 2);
const PEER_PORT = 8790;
const PEER_SECRET = "bench-secret-bench-secret-bench-secret";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MAPS = {
  hot: { sections: 5, rows: 40, seatsPerRow: 50 },
  wide: { sections: 26, rows: 20, seatsPerRow: 500 },
};
const GOALS = { hot: 1.25, wide: 1.75 };
const log = logger("peer");
const generate = (url, secret, map) => generateWith(url, secret, map, { seconds: SECONDS, connections: CONNECTIONS });

const summary = (r) => ({
  decisionsPerSec: r.decisionsPerSec,
  p50Ms: r.latencyMs.p50,
  p99Ms: r.latencyMs.p99,
  maxMs: r.latencyMs.max,
  holdsOk: r.holdsOk,
  conflicts: r.conflicts,
  oversold: r.oversold,
  falseConflicts: r.falseConflicts,
  other: r.other,
  errors: r.errors,
  timeouts: r.timeouts,
});

let peerServer;
const stopPeer = () => {
  try {
    peerServer?.kill("SIGKILL");
  } catch {}
  spawnSync("bash", ["./stop-pg.sh"], { cwd: PEER, stdio: "ignore" });
};
process.once("exit", stopPeer);

preparePeer();
run("bash", ["./start-pg.sh"]);
peerServer = spawn(process.execPath, [join(PEER, "server.mjs")], {
  cwd: PEER,
  env: { ...process.env, AUTH_SECRET: PEER_SECRET, PORT: String(PEER_PORT) },
  stdio: ["ignore", "ignore", "inherit"],
});
for (let i = 0; i < 100; i++) {
  try {
    await fetch(`http://127.0.0.1:${PEER_PORT}/`);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}

const outcome = await withWranglerDev({ name: "peer", watchdogMs: 25 * 60_000 }, async ({ server, secret }) => {
  const base = `http://127.0.0.1:${server.workerPort}`;
  const sign = tokenSigner(secret);
  const organizer = await sign("bench-organizer", ["organizer"]);
  const venues = {};
  for (const [name, map] of Object.entries(MAPS)) {
    const sections = [...LETTERS.slice(0, map.sections)].map((id) => ({
      id,
      rows: map.rows,
      seatsPerRow: map.seatsPerRow,
    }));
    venues[name] = await createVenue(base, organizer, name, sections);
  }
  const runs = [];
  // Warm-up on a throwaway event: isolate, JIT, the room's first load.
  const warm = await createEvent(base, organizer, venues.hot, [...LETTERS.slice(0, 5)], "peer warm-up");
  await generate(`${base}/api/v1/events/${warm}/holds`, secret, MAPS.hot);
  for (let r = 1; r <= ROUNDS; r++) {
    for (const [name, map] of Object.entries(MAPS)) {
      const eventId = `evt_${name}_${r}`;
      run(process.execPath, [
        join(PEER, "seed.mjs"),
        eventId,
        String(map.sections),
        String(map.rows),
        String(map.seatsPerRow),
      ]);
      // The peer at its best: the previous run's dead rows vacuumed away before each load.
      run("psql", ["-h", "127.0.0.1", "-p", "55432", "-U", "postgres", "-q", "-c", "VACUUM ANALYZE"]);
      const peer = summary(
        await generate(`http://127.0.0.1:${PEER_PORT}/api/v1/events/${eventId}/holds`, PEER_SECRET, map),
      );
      log(`${name} round ${r} peer: ${peer.decisionsPerSec}/s p99 ${peer.p99Ms} ms`);
      runs.push({ round: r, map: name, side: "peer", ...peer });
      const projectEvent = await createEvent(
        base,
        organizer,
        venues[name],
        [...LETTERS.slice(0, map.sections)],
        `peer ${name} ${r}`,
        {
          limits: { perOrder: 8, perUser: 8 },
        },
      );
      const ours = summary(await generate(`${base}/api/v1/events/${projectEvent}/holds`, secret, map));
      log(`${name} round ${r} project: ${ours.decisionsPerSec}/s p99 ${ours.p99Ms} ms`);
      runs.push({ round: r, map: name, side: "project", ...ours });
    }
  }
  const maps = {};
  for (const name of Object.keys(MAPS)) {
    const side = (s) => runs.filter((x) => x.map === name && x.side === s);
    const mean = (xs, f) => round(xs.reduce((a, x) => a + f(x), 0) / xs.length, 1);
    const peer = side("peer");
    const ours = side("project");
    const ratio = round(mean(ours, (x) => x.decisionsPerSec) / mean(peer, (x) => x.decisionsPerSec), 2);
    maps[name] = {
      peerDecisionsPerSec: mean(peer, (x) => x.decisionsPerSec),
      projectDecisionsPerSec: mean(ours, (x) => x.decisionsPerSec),
      ratio,
      goal: GOALS[name],
      meetsGoal: ratio >= GOALS[name],
      peerP99Ms: Math.max(...peer.map((x) => x.p99Ms)),
      projectP99Ms: Math.max(...ours.map((x) => x.p99Ms)),
      oversold: ours.reduce((a, x) => a + x.oversold, 0) + peer.reduce((a, x) => a + x.oversold, 0),
      projectFalseConflicts: ours.reduce((a, x) => a + x.falseConflicts, 0),
      projectNon2xx409: ours.reduce((a, x) => a + Object.values(x.other).reduce((b, n) => b + n, 0), 0),
    };
  }
  const result = {
    benchmark: "peer",
    machine: machine(["wrangler", "miniflare", "workerd", "autocannon"]),
    settings: {
      seconds: SECONDS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      generator: "pg-peer/load.mjs",
      port: "worker's own",
    },
    maps,
    runs,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "peer.json"), `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/peer.json", JSON.stringify(maps));
  return result;
});
stopPeer();
process.exit(outcome?.failed ? 1 : 0);
