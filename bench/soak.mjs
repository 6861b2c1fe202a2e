#!/usr/bin/env node
// `npm run bench:soak`: does the room's memory grow with history? One room makes SOAK_HOLDS
// one-ticket holds one after another through its real decide-and-commit path, each expired (the
// room's clock moved past it), and the isolate's heap (workerd's inspector, after a full GC) is
// read after the first 1,000 and after all of them; then the room is restarted (its memory
// dropped, as by an eviction) and the time to its first answer is measured.
// Writes bench/results/soak.json. Knobs: SOAK_HOLDS (200000).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, logger, machine, num, RESULTS, round, tokenSigner, withWranglerDev } from "./lib/harness.mjs";
import { cdp, workerTarget } from "./lib/inspector.mjs";

const HOLDS = num("SOAK_HOLDS", 200_000);
const CHUNK = num("SOAK_CHUNK", 10_000);
const log = logger("soak");

/**
 * workerd handles inspector messages only while its isolate runs something: an idle Worker never
 * answers. So the heap is read while a trickle of /healthz requests keeps it awake.
 */
async function heapMiB(inspector, base) {
  const poke = setInterval(() => fetch(`${base}/healthz`).catch(() => {}), 20);
  try {
    await inspector.send("HeapProfiler.collectGarbage");
    await inspector.send("HeapProfiler.collectGarbage");
    const { result } = await inspector.send("Runtime.getHeapUsage");
    return round(result.usedSize / 2 ** 20, 2);
  } finally {
    clearInterval(poke);
  }
}

await withWranglerDev({ name: "soak", watchdogMs: 30 * 60_000 }, async ({ server, secret }) => {
  const base = `http://127.0.0.1:${server.workerPort}`;
  const organizer = await tokenSigner(secret)("bench-organizer", ["organizer"]);
  const venue = await api(base, "POST", "/api/v1/admin/venues", {
    token: organizer,
    body: {
      name: "Soak Hall",
      city: "Berlin",
      country: "DE",
      timezone: "Europe/Berlin",
      sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: 1000 }],
    },
  });
  if (venue.status !== 201) throw new Error(`create venue: ${venue.status} ${venue.text}`);
  const venueId = venue.json.venueId;
  const now = Date.now();
  // Far enough ahead that the room's clock, moved ~30 s per hold, stays inside the sales window.
  const startsAt = new Date(now + 20 * 365 * 86_400_000).toISOString();
  const created = await api(base, "POST", "/api/v1/admin/events", {
    token: organizer,
    body: {
      venueId,
      title: "soak",
      category: "concert",
      startsAt,
      salesEndAt: startsAt,
      onSaleAt: new Date(now - 3_600_000).toISOString(),
      currency: "EUR",
      prices: { FLOOR: 1000 },
      holdSeconds: 30,
      publish: true,
    },
  });
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${created.text}`);
  const eventId = created.json.eventId;
  const soak = async (count) => {
    const res = await api(base, "POST", `/api/v1/bench/events/${eventId}/soak`, {
      body: { sectionId: "FLOOR", count },
      timeoutMs: 600_000,
    });
    if (res.status !== 200) throw new Error(`soak: ${res.status} ${res.text}`);
    return res.json;
  };

  const target = await workerTarget(server.inspectorPort);
  log(`inspector target: ${target.title ?? target.id}`);
  const inspector = cdp(target.webSocketDebuggerUrl);
  await inspector.open;
  const heapBefore = await heapMiB(inspector, base);
  const started = Date.now();
  const first = await soak(1000);
  const heapAfter1k = await heapMiB(inspector, base);
  log(`after 1,000 holds: heap ${heapAfter1k} MiB, in memory ${JSON.stringify(first)}`);
  let made = 1000;
  let last = first;
  while (made < HOLDS) {
    const count = Math.min(CHUNK, HOLDS - made);
    last = await soak(count);
    made += count;
    log(`${made} holds made and expired`);
  }
  const soakSeconds = (Date.now() - started) / 1000;
  const heapAfterAll = await heapMiB(inspector, base);
  log(`after ${made} holds: heap ${heapAfterAll} MiB, in memory ${JSON.stringify(last)}`);

  await api(base, "POST", `/api/v1/bench/events/${eventId}/restart`, { body: {} });
  const restartStarted = performance.now();
  const seats = await api(base, "GET", `/api/v1/events/${eventId}/seats?minVersion=${last.version}`);
  const restartMs = round(performance.now() - restartStarted, 1);
  if (seats.status !== 200) throw new Error(`after restart: ${seats.status} ${seats.text}`);
  const heapAfterRestart = await heapMiB(inspector, base);
  inspector.close();
  log(`restart: first answer after ${restartMs} ms; heap ${heapAfterRestart} MiB`);

  const growth = round((100 * (heapAfterAll - heapAfter1k)) / heapAfter1k, 1);
  const result = {
    benchmark: "soak",
    machine: machine(["wrangler", "miniflare", "workerd"]),
    holds: made,
    holdsPerSecond: round(made / soakSeconds, 0),
    heapMiB: { before: heapBefore, after1000: heapAfter1k, afterAll: heapAfterAll, afterRestart: heapAfterRestart },
    heapGrowthPercent: growth,
    goal: "afterAll within 10% of after1000",
    meetsGoal: Math.abs(growth) <= 10,
    inMemory: { after1000: first, afterAll: last },
    restartMs,
    note: "Heap of the whole isolate (edge and room share it under wrangler dev), after two full GCs.",
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "soak.json"), `${JSON.stringify(result, null, 2)}\n`);
  log("wrote bench/results/soak.json", JSON.stringify({ heap: result.heapMiB, growth, restartMs }));
  return result;
});
