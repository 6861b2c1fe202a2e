// `npm run bench:waitlist`: what a waitlist of 100,000 fans costs the event's room, against 100.
// The room's own code (Inventory, Waitlist, SqlWaitlistStore from src/, bundled with esbuild) runs
// in Node on Node's SQLite (a file, as the Durable Object's storage is), without workerd: workerd
// exposes no heap figures, Node does. Measured per line length:
//   - joins: time per join (one SQLite insert each),
//   - heap: V8 heap used by the whole room (inventory + waitlist) after a full GC, and the entries
//     the waitlist holds in memory (line heads and outstanding offers),
//   - one offer: a hold released and offered to the next fan in line in the same pass (release +
//     expiry pass + the offer hold + its SQLite write), median and p99 over OFFERS offers,
//   - a position: `GET …/waitlist/me` for the last fan in line, the first time (it builds the line's
//     block counts) and then as polls do (200 fans along the line: block sums + one index count),
//   - a restart: rebuilding the waitlist from SQLite (per-line counts and outstanding offers).
// Knobs: WAITLIST_BENCH_SIZES=100,10000,100000   WAITLIST_BENCH_OFFERS=50
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DatabaseSync } from "node:sqlite";
import { bundleTs } from "./lib/bundle.mjs";
import { logger, machine, percentile, RESULTS, round } from "./lib/harness.mjs";

const log = logger("waitlist");
const SIZES = (process.env.WAITLIST_BENCH_SIZES ?? "100,10000,100000").split(",").map(Number);
const OFFERS = Number(process.env.WAITLIST_BENCH_OFFERS ?? 50);
const CAPACITY = OFFERS + 100;
const T0 = Date.UTC(2030, 0, 1);

if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc (npm run bench:waitlist does)");
  process.exit(2);
}

async function loadCore(dir) {
  return bundleTs(
    [
      'export { Inventory } from "./src/domain/inventory";',
      'export { Waitlist } from "./src/domain/waitlist";',
      'export { SqlWaitlistStore } from "./src/rooms/waitlist-store";',
    ].join("\n"),
    join(dir, "core.mjs"),
  );
}

/** Durable Object `sql.exec` on Node's SQLite: multi-statement scripts, cached prepared statements. */
function sqlOn(db) {
  const statements = new Map();
  return {
    exec(query, ...bindings) {
      if (bindings.length === 0 && query.includes(";")) {
        db.exec(query);
        return { toArray: () => [] };
      }
      let statement = statements.get(query);
      if (!statement) {
        statement = db.prepare(query);
        statements.set(query, statement);
      }
      if (/^\s*SELECT/i.test(query)) {
        const rows = statement.all(...bindings);
        return { toArray: () => rows };
      }
      statement.run(...bindings);
      return { toArray: () => [] };
    },
  };
}

const config = {
  eventId: "bench",
  currency: "EUR",
  sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: CAPACITY }],
  prices: { FLOOR: 2000 },
  holdSeconds: 600,
  extensions: 1,
  paymentGraceSeconds: 300,
  limits: { perOrder: 8, perUser: 8 },
  onSaleAt: T0 - 3_600_000,
  salesEndAt: T0 + 30 * 86_400_000,
  startsAt: T0 + 30 * 86_400_000,
  state: "published",
  presales: [],
  waitlistOfferMinutes: 15,
};

function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function run(core, dir, size) {
  const db = new DatabaseSync(join(dir, `room-${size}.sqlite`));
  db.exec("PRAGMA journal_mode = WAL");
  // No fsync per write: the room's durability is its group commit (one per batch, measured by
  // bench:holds), not this benchmark's subject; this measures the offer's own work, SQLite included.
  db.exec("PRAGMA synchronous = OFF");
  const sql = sqlOn(db);
  let ids = 0;
  const before = heapUsed();
  const inventory = new core.Inventory(config, { newHoldId: () => `hld_${++ids}` });
  // Sold out: one ticket per buyer, so each release gives back exactly one place.
  const bought = [];
  for (let i = 0; i < CAPACITY; i++) {
    const hold = inventory.hold({ userId: `buyer-${i}`, seatIds: [], ga: [{ sectionId: "FLOOR", quantity: 1 }] }, T0);
    bought.push(hold.value.holdId);
  }
  inventory.drainDirty();
  inventory.drainSteps();
  const store = new core.SqlWaitlistStore(sql);
  let waitlist = new core.Waitlist(store);
  inventory.setSettleHook((now) => waitlist.offerFreed(inventory, now, 900));
  const baseline = heapUsed();

  const joinStart = performance.now();
  db.exec("BEGIN");
  for (let i = 0; i < size; i++) {
    waitlist.join({ userId: `fan-${i}`, sectionId: "FLOOR", quantity: 1 }, T0 + i, () => `wl_${i}`);
    // The room commits in groups; a transaction per 1,000 joins stands in for that.
    if (i % 1000 === 999) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
  }
  db.exec("COMMIT");
  const joinMs = performance.now() - joinStart;
  const afterJoins = heapUsed();
  const inMemoryAfterJoins = waitlist.memoryEntries();

  const offerMs = [];
  const offers = Math.min(OFFERS, size);
  for (let i = 0; i < offers; i++) {
    const now = T0 + 1000 + i;
    const start = performance.now();
    inventory.release(bought[i], `buyer-${i}`, now);
    inventory.expireDue(now);
    offerMs.push(performance.now() - start);
    inventory.drainDirty();
    inventory.drainSteps();
    waitlist.drainNotices();
  }
  const offered = waitlist.counters.offersMade;
  const afterOffers = heapUsed();
  const inMemoryAfterOffers = waitlist.memoryEntries();

  const last = waitlist.get(`fan-${size - 1}`);
  const positionStart = performance.now();
  const position = waitlist.position(last);
  const positionMs = performance.now() - positionStart;
  // The first position asked builds the line's block counts; every later one (a fan's poll) reads them.
  const pollMs = [];
  for (let i = 0; i < 200; i++) {
    const fan = waitlist.get(`fan-${Math.floor(((i + 0.5) / 200) * size)}`);
    const start = performance.now();
    waitlist.position(fan);
    pollMs.push(performance.now() - start);
  }

  const restartStart = performance.now();
  waitlist = new core.Waitlist(new core.SqlWaitlistStore(sql));
  const restartMs = performance.now() - restartStart;
  db.close();

  const result = {
    entries: size,
    joinMicrosEach: round((joinMs * 1000) / size, 2),
    roomHeapBytes: afterOffers - before,
    waitlistHeapBytes: afterJoins - baseline,
    inMemoryEntries: { afterJoins: inMemoryAfterJoins, afterOffers: inMemoryAfterOffers },
    offers: offered,
    oneOfferMillis: { median: round(percentile(offerMs, 50), 3), p99: round(percentile(offerMs, 99), 3) },
    positionOfLast: position,
    positionMillis: round(positionMs, 3),
    positionPollMillis: { median: round(percentile(pollMs, 50), 3), p99: round(percentile(pollMs, 99), 3) },
    restartMillis: round(restartMs, 2),
  };
  log(JSON.stringify(result));
  return result;
}

const dir = mkdtempSync(join(os.tmpdir(), "bench-waitlist-"));
try {
  const core = await loadCore(dir);
  const runs = [];
  for (const size of SIZES) runs.push(await run(core, dir, size));
  const small = runs.find((r) => r.entries === Math.min(...SIZES));
  const large = runs.find((r) => r.entries === Math.max(...SIZES));
  const output = {
    benchmark: "waitlist",
    at: new Date().toISOString(),
    machine: machine([]),
    method:
      "The room's Inventory + Waitlist + SqlWaitlistStore in Node 22 on node:sqlite (file, WAL, synchronous=OFF: durability is the room's group commit, measured elsewhere); heap = V8 heapUsed after full GC. One offer = release of a one-ticket hold + the expiry pass that offers it to the next fan (hold + SQLite write).",
    runs,
    comparison: small &&
      large &&
      small !== large && {
        entriesRatio: large.entries / small.entries,
        waitlistHeapRatio: round(large.waitlistHeapBytes / Math.max(1, small.waitlistHeapBytes), 2),
        oneOfferMedianRatio: round(large.oneOfferMillis.median / Math.max(0.001, small.oneOfferMillis.median), 2),
      },
  };
  writeFileSync(join(RESULTS, "waitlist.json"), `${JSON.stringify(output, null, 2)}\n`);
  log(`wrote bench/results/waitlist.json`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
