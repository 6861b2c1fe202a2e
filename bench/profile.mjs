#!/usr/bin/env node
// `npm run bench:profile`: where a hold's CPU time goes. Runs the hot-map hold load (the peer's
// generator, 64 connections) against `wrangler dev` while workerd's inspector takes a CPU profile
// of the Worker (edge and room share one isolate locally), then sums self time by stage: runtime,
// middleware, token, validation, RPC, decision, commit, response. Writes bench/results/profile.json.
//
// Knobs: PROFILE_SECONDS (8), PROFILE_MAP (hot | wide).
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
import { cdp, workerTarget } from "./lib/inspector.mjs";
import { generate as generateWith, preparePeer } from "./lib/pg-peer.mjs";

const SECONDS = num("PROFILE_SECONDS", 8);
const MAPS = { hot: { sections: 5, rows: 40, seatsPerRow: 50 }, wide: { sections: 26, rows: 20, seatsPerRow: 500 } };
const MAP = MAPS[process.env.PROFILE_MAP ?? "hot"] ?? MAPS.hot;
const generate = (url, secret) => generateWith(url, secret, MAP, { seconds: SECONDS, connections: 64 });
const log = logger("profile");
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Stages, first match wins, by function name and script url of the sampled frame or its callers. */
const STAGES = [
  ["commit (SQLite, group commit)", /group-commit|room-storage|transactionSync|\bexec\b|flush/],
  ["decision (inventory)", /domain\/|inventory|seat-map|deadline-heap/],
  ["token (jose, HMAC)", /jose|jwtVerify|verifyUserToken|hmac|subtle/i],
  ["validation (zod)", /zod|safeParse|validate\.ts|schemas/],
  [
    "middleware (hono, headers, protection)",
    /hono|middleware|secure-headers|bot-score|rate-limit|request-context|protection\//,
  ],
  ["response (views, JSON)", /views\.ts|stringify|holdView/],
  ["RPC (room stub, serialization)", /rooms\/|event-room|stub|rpc/i],
];

/** Self time per node, attributed to the first stage matching the node or one of its callers. */
function breakdown(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (deltas[i] ?? 0));
  }
  const totals = new Map();
  const functions = new Map();
  let total = 0;
  for (const [id, micros] of self) {
    total += micros;
    const node = byId.get(id);
    const name = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").slice(-2).join("/")}:${node.callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    let stage = node.callFrame.functionName === "(idle)" ? "idle" : undefined;
    if (!stage && ["(program)", "(garbage collector)"].includes(node.callFrame.functionName))
      stage = `runtime ${node.callFrame.functionName}`;
    for (let cur = id; !stage && cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur).callFrame;
      const text = `${frame.functionName} ${frame.url}`;
      for (const [label, re] of STAGES)
        if (re.test(text)) {
          stage = label;
          break;
        }
    }
    stage ??= "other (runtime glue, native)";
    totals.set(stage, (totals.get(stage) ?? 0) + micros);
  }
  const busy = total - (totals.get("idle") ?? 0);
  const stages = [...totals]
    .filter(([s]) => s !== "idle")
    .sort((a, b) => b[1] - a[1])
    .map(([stage, micros]) => ({ stage, ms: round(micros / 1000, 1), shareOfBusy: round((100 * micros) / busy, 1) }));
  const top = [...functions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([fn, micros]) => ({ fn, ms: round(micros / 1000, 1) }));
  return { busyMs: round(busy / 1000, 0), idleMs: round((totals.get("idle") ?? 0) / 1000, 0), stages, top };
}

preparePeer();
await withWranglerDev({ name: "profile", watchdogMs: 5 * 60_000 }, async ({ server, secret }) => {
  const base = `http://127.0.0.1:${server.workerPort}`;
  const organizer = await tokenSigner(secret)("bench-organizer", ["organizer"]);
  const ids = [...LETTERS.slice(0, MAP.sections)];
  const venue = await createVenue(
    base,
    organizer,
    "profile",
    ids.map((id) => ({ id, rows: MAP.rows, seatsPerRow: MAP.seatsPerRow })),
  );
  const warm = await createEvent(base, organizer, venue, ids, "profile warm-up");
  await generate(`${base}/api/v1/events/${warm}/holds`, secret);
  const eventId = await createEvent(base, organizer, venue, ids, "profile");
  const target = await workerTarget(server.inspectorPort);
  log(`profiling ${target.title ?? target.id}`);
  const inspector = cdp(target.webSocketDebuggerUrl);
  await inspector.open;
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: 200 });
  await inspector.send("Profiler.start");
  const load = await generate(`${base}/api/v1/events/${eventId}/holds`, secret);
  const { result } = await inspector.send("Profiler.stop");
  inspector.close();
  const holds = (load.holdsOk ?? 0) + (load.conflicts ?? 0);
  const parts = breakdown(result.profile);
  const report = {
    benchmark: "profile",
    machine: machine(["wrangler", "miniflare", "workerd"]),
    map: MAP,
    load,
    decisions: holds,
    busyMicrosPerDecision: round((parts.busyMs * 1000) / holds, 1),
    stages: parts.stages.map((s) => ({ ...s, microsPerDecision: round((s.ms * 1000) / holds, 1) })),
    busyMs: parts.busyMs,
    idleMs: parts.idleMs,
    top: parts.top,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "profile.json"), `${JSON.stringify(report, null, 2)}\n`);
  log(`decisions ${holds}, busy µs/decision ${report.busyMicrosPerDecision}`);
  for (const s of report.stages) log(`${s.stage}: ${s.microsPerDecision} µs (${s.shareOfBusy}%)`);
  for (const t of report.top.slice(0, 15)) log(`  ${t.ms} ms ${t.fn}`);
});
