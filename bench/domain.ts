// `npm run bench:domain`: hold decisions per second of the Inventory core alone (no HTTP, no RPC,
// no storage), with the request mix of bench/holds.mjs: two adjacent random seats (same row, n and
// n+1) for one of 20,000 users, a fresh idempotency key each, limits 8/8, holdSeconds 600.
//
// Maps: hot (5 x 40 x 50 = 10,000 seats; full after ~5,000 holds, then nearly every answer is a
// refusal) and wide (26 x 20 x 500 = 260,000 seats; mostly holds until users reach their limit).
// "mixed" is both runs together: all decisions over all measured time.
//
// Node's strip-types mode cannot load src/domain as it is (extensionless imports, parameter
// properties), so the core is bundled with esbuild into a temporary module first.
//
// Knobs (environment): DOMAIN_BENCH_SECONDS (3 s of CPU per map), DOMAIN_BENCH_WARMUP_SECONDS (1),
// DOMAIN_BENCH_MAPS=hot (only some maps; results/domain.json is then not written),
// DOMAIN_BENCH_KEEP_BUNDLE=1 (keep the bundled core, whose line numbers a profile refers to).
// Profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --experimental-strip-types bench/domain.ts
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Inventory, InventoryOptions } from "../src/domain/inventory.ts";
import type { HoldRequest, InventoryConfig } from "../src/domain/types.ts";
import { bundleTs } from "./lib/bundle.mjs";

type Core = {
  Inventory: new (config: InventoryConfig, options: InventoryOptions) => Inventory;
  newHoldId: (eventId: string) => string;
};

interface MapShape {
  sections: number;
  rows: number;
  seatsPerRow: number;
}

const ROOT = new URL("..", import.meta.url).pathname;
const num = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const SECONDS = num("DOMAIN_BENCH_SECONDS", 3);
const WARMUP_SECONDS = num("DOMAIN_BENCH_WARMUP_SECONDS", 1);
const ONLY = process.env.DOMAIN_BENCH_MAPS?.split(",");
const KEEP_BUNDLE = process.env.DOMAIN_BENCH_KEEP_BUNDLE === "1";
const USERS = 20_000;
const GOAL_HOT = 500_000;
/** Requests made ahead of each measured stretch, so that making them is not measured. */
const BATCH = 50_000;
/** Decisions between two drains of the dirty rows and Steps, as a group commit would. */
const COMMIT_EVERY = 256;
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MAPS: Record<string, MapShape> = {
  hot: { sections: 5, rows: 40, seatsPerRow: 50 },
  wide: { sections: 26, rows: 20, seatsPerRow: 500 },
};

async function loadCore(): Promise<{ core: Core; cleanup: () => void }> {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-domain-"));
  const outfile = join(dir, "core.mjs");
  const core = (await bundleTs(
    `export { Inventory } from "./src/domain/inventory"; export { newHoldId } from "./src/domain/ids";`,
    outfile,
  )) as Core;
  if (KEEP_BUNDLE) console.log(`[bench:domain] core bundled at ${outfile} (kept, for reading a profile)`);
  return { core, cleanup: () => KEEP_BUNDLE || rmSync(dir, { recursive: true, force: true }) };
}

function configFor(map: MapShape, now: number): InventoryConfig {
  const ids = [...LETTERS.slice(0, map.sections)];
  return {
    eventId: "bench",
    currency: "EUR",
    sections: ids.map((id) => ({
      id,
      name: `Section ${id}`,
      kind: "seated",
      rows: Array.from({ length: map.rows }, (_, r) => ({ label: String(r + 1), seats: map.seatsPerRow })),
    })),
    prices: Object.fromEntries(ids.map((id) => [id, 5000])),
    holdSeconds: 600,
    extensions: 2,
    paymentGraceSeconds: 300,
    limits: { perOrder: 8, perUser: 8 },
    onSaleAt: now - 3_600_000,
    salesEndAt: now + 30 * 86_400_000,
    startsAt: now + 30 * 86_400_000,
    state: "published",
    presales: [],
  };
}

const users = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);
const keyPrefix = randomBytes(6).toString("hex");
let keyCounter = 0;

function requests(map: MapShape, count: number): HoldRequest[] {
  const out = new Array<HoldRequest>(count);
  for (let i = 0; i < count; i++) {
    const section = LETTERS[(Math.random() * map.sections) | 0];
    const row = 1 + ((Math.random() * map.rows) | 0);
    const n = 1 + ((Math.random() * (map.seatsPerRow - 1)) | 0);
    out[i] = {
      userId: users[(Math.random() * USERS) | 0]!,
      seatIds: [`${section}-${row}-${n}`, `${section}-${row}-${n + 1}`],
      ga: [],
      idempotencyKey: `${keyPrefix}-${++keyCounter}`,
    };
  }
  return out;
}

interface RunResult {
  seats: number;
  decisions: number;
  /** Decisions over the wall time of the hold() calls: what the goal is about, on a quiet machine. */
  decisionsPerSec: number;
  /**
   * Decisions over the main thread's CPU time in those calls: steadier than the wall rate when
   * other processes share the machine (a room's decisions run on one thread too).
   */
  decisionsPerCpuSec: number;
  holdsOk: number;
  refusals: number;
  refusalsByCode: Record<string, number>;
  wallSeconds: number;
  cpuSeconds: number;
  /** Time in drainDirty() + drainSteps() every COMMIT_EVERY decisions; not counted above. */
  drainSeconds: number;
  /** Wall rates while the first 10,000 requests are decided (mostly holds), and after. */
  first10kPerSec: number;
  afterFirst10kPerSec: number | null;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const fmt = (x: number): string => x.toLocaleString("en-US");
const cpuNow = (): number => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1e6;
};

/** Decides holds against a fresh inventory until `seconds` of the thread's CPU time are spent. */
function run(core: Core, map: MapShape, seconds: number): RunResult {
  const start = Date.now();
  const config = configFor(map, start);
  const inventory = new core.Inventory(config, { newHoldId: () => core.newHoldId(config.eventId) });
  const refusalsByCode: Record<string, number> = {};
  let ok = 0;
  let decisions = 0;
  let wall = 0;
  let cpu = 0;
  let drain = 0;
  let first10k = 0;
  let first10kDecisions = 0;
  while (cpu < seconds) {
    const batch = requests(map, BATCH);
    for (let i = 0; i < BATCH; i += COMMIT_EVERY) {
      const end = Math.min(BATCH, i + COMMIT_EVERY);
      const now = start + Math.round(wall * 1000);
      const c0 = cpuNow();
      const t0 = performance.now();
      for (let j = i; j < end; j++) {
        const result = inventory.hold(batch[j]!, now);
        if (result.ok) ok++;
        else refusalsByCode[result.error.code] = (refusalsByCode[result.error.code] ?? 0) + 1;
      }
      const t1 = performance.now();
      cpu += cpuNow() - c0;
      inventory.drainDirty();
      inventory.drainSteps();
      drain += (performance.now() - t1) / 1000;
      wall += (t1 - t0) / 1000;
      decisions += end - i;
      if (decisions <= 10_000) {
        first10k = wall;
        first10kDecisions = decisions;
      }
    }
  }
  const seats = map.sections * map.rows * map.seatsPerRow;
  // Every ok was two seats, none sold twice: the decisions measured were real ones.
  const stats = inventory.stats(start + Math.round(wall * 1000));
  if (stats.held !== 2 * ok || stats.available !== seats - stats.held) {
    throw new Error(`inconsistent inventory after the run: ${JSON.stringify(stats)} for ${ok} holds`);
  }
  return {
    seats,
    decisions,
    decisionsPerSec: Math.round(decisions / wall),
    decisionsPerCpuSec: Math.round(decisions / cpu),
    holdsOk: ok,
    refusals: decisions - ok,
    refusalsByCode,
    wallSeconds: round(wall, 3),
    cpuSeconds: round(cpu, 3),
    drainSeconds: round(drain, 3),
    first10kPerSec: Math.round(first10kDecisions / first10k),
    afterFirst10kPerSec:
      decisions > first10kDecisions ? Math.round((decisions - first10kDecisions) / (wall - first10k)) : null,
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const { core, cleanup } = await loadCore();
  try {
    const maps: Record<string, RunResult> = {};
    for (const [name, map] of Object.entries(MAPS)) {
      if (ONLY && !ONLY.includes(name)) continue;
      run(core, map, WARMUP_SECONDS);
      const r = run(core, map, SECONDS);
      maps[name] = r;
      console.log(
        `[bench:domain] ${name.padEnd(5)} ${fmt(r.decisionsPerSec).padStart(9)} decisions/s wall,` +
          ` ${fmt(r.decisionsPerCpuSec).padStart(9)}/s of CPU; ${fmt(r.decisions)} decisions: ${fmt(r.holdsOk)} ok,` +
          ` ${fmt(r.refusals)} refused ${JSON.stringify(r.refusalsByCode)}; first 10k at ${fmt(r.first10kPerSec)}/s,` +
          ` then ${fmt(r.afterFirst10kPerSec ?? 0)}/s`,
      );
    }
    const all = Object.values(maps);
    const decisions = all.reduce((n, r) => n + r.decisions, 0);
    const mixed = Math.round(decisions / all.reduce((n, r) => n + r.wallSeconds, 0));
    const mixedCpu = Math.round(decisions / all.reduce((n, r) => n + r.cpuSeconds, 0));
    const hot = maps.hot?.decisionsPerSec ?? 0;
    // The thread was off the CPU for part of the measured wall time: other work shared the machine.
    const onCpu = all.reduce((n, r) => n + r.cpuSeconds, 0) / all.reduce((n, r) => n + r.wallSeconds, 0);
    console.log(
      `[bench:domain] mixed ${fmt(mixed).padStart(9)} decisions/s wall, ${fmt(mixedCpu).padStart(9)}/s of CPU` +
        " (hot and wide together)",
    );
    console.log(
      `[bench:domain] goal ${fmt(GOAL_HOT)} decisions/s on hot: ${hot >= GOAL_HOT ? "met" : "MISSED"}` +
        ` (on CPU ${Math.round(onCpu * 100)}% of the measured time, load average before ${loadBefore.toFixed(2)}` +
        ` on ${os.cpus().length} CPUs${onCpu < 0.9 ? ": the machine was busy, wall rates are low" : ""})`,
    );

    if (ONLY) return;
    const dir = join(ROOT, "bench/results");
    mkdirSync(dir, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      loadAverageBefore: round(loadBefore, 2),
      onCpuShare: round(onCpu, 3),
      settings: {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        users: USERS,
        seatsPerRequest: 2,
        commitEvery: COMMIT_EVERY,
      },
      maps,
      mixed: {
        decisionsPerSec: mixed,
        decisionsPerCpuSec: mixedCpu,
        definition: "all decisions of the hot and wide runs over their measured time",
      },
      goal: { hotDecisionsPerSec: GOAL_HOT, met: hot >= GOAL_HOT },
    };
    writeFileSync(join(dir, "domain.json"), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    cleanup();
  }
}

await main();
