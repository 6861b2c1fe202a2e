// `npm run bench:pricing`: a simulated on-sale through the room's own Inventory core (bundled from
// src/domain, as bench:domain does), minute by minute in simulated time: a demand curve in (fans
// arriving per minute: a rush at the on-sale, a lull, a second wave when a support act is
// announced), prices out. Each arrival holds 1-4 standing places at the price shown then; 70% pay,
// the rest let the hold expire. The room steps the dynamic price as it does in production
// (stepPrices before each decision and on its alarm). The run checks what the contract promises:
// the price never leaves [floor, ceiling], changes at most once per period and by at most
// maxStepPercent, and every hold keeps the price it was made at, to the end of the sale.
//
// No wall-clock measurement: the result is deterministic for a seed (PRICING_BENCH_SEED, default 1).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { bundleTs } from "./lib/bundle.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const MINUTE = 60_000;
const RULE = { floorCents: 4000, ceilingCents: 9000, maxStepPercent: 20, everyMinutes: 15 };
const CAPACITY = 9000;
const HOURS = 12;

/** Fans arriving in minute `m` of the sale: the demand curve. */
function arrivals(m) {
  const rush = 40 * Math.exp(-m / 30);
  const wave = m >= 360 && m < 480 ? 12 * Math.sin(((m - 360) / 120) * Math.PI) : 0;
  return rush + wave + 0.5;
}

/** A small deterministic generator (mulberry32), so a run can be repeated. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-pricing-"));
  const { Inventory, newHoldId } = await bundleTs(
    `export { Inventory } from "./src/domain/inventory"; export { newHoldId } from "./src/domain/ids";`,
    join(dir, "core.mjs"),
  );
  rmSync(dir, { recursive: true, force: true });
  const rand = random(Number(process.env.PRICING_BENCH_SEED ?? 1));
  const start = Date.UTC(2027, 0, 15, 10);
  const config = {
    eventId: "bench-pricing",
    currency: "EUR",
    sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: CAPACITY }],
    prices: { FLOOR: 5000 },
    fees: [{ name: "Service", kind: "per_ticket", amount: 300 }],
    holdSeconds: 600,
    extensions: 0,
    paymentGraceSeconds: 300,
    limits: { perOrder: 4, perUser: 4 },
    onSaleAt: start,
    salesEndAt: start + 24 * 60 * MINUTE,
    startsAt: start + 24 * 60 * MINUTE,
    state: "published",
    presales: [],
    dynamic: { FLOOR: RULE },
  };
  const inventory = new Inventory(config, { newHoldId: () => newHoldId("bench-pricing") });
  const held = [];
  const timeline = [];
  let fans = 0;
  let refused = 0;
  let carry = 0;
  for (let m = 0; m < HOURS * 60; m++) {
    const now = start + m * MINUTE;
    inventory.expireDue(now);
    inventory.stepPrices(now, 0);
    carry += arrivals(m);
    for (; carry >= 1; carry--) {
      const shown = inventory.sectionsView(now, "FLOOR", false)[0].priceCents;
      const hold = inventory.hold(
        { userId: `fan-${fans++}`, seatIds: [], ga: [{ sectionId: "FLOOR", quantity: 1 + Math.floor(rand() * 4) }] },
        now,
      );
      if (!hold.ok) {
        refused++;
        continue;
      }
      held.push({ holdId: hold.value.holdId, priceCents: hold.value.items[0].priceCents, shown });
      if (rand() < 0.7) inventory.sell(hold.value.holdId, now + 60_000);
    }
    if (m % 15 === 0) {
      const view = inventory.sectionsView(now, "FLOOR", false)[0];
      timeline.push({
        minute: m,
        arrivalsPerMinute: Number(arrivals(m).toFixed(2)),
        priceCents: view.priceCents,
        available: view.available,
      });
    }
  }
  const steps = inventory.priceLog();
  const end = start + HOURS * 60 * MINUTE;
  // The room forgets ended holds after a while; those still known must show the price they were made at.
  let heldChecked = 0;
  let heldChanged = 0;
  for (const h of held) {
    const now = inventory.getHold(h.holdId, end);
    if (!now) continue;
    heldChecked++;
    if (now.items[0].priceCents !== h.priceCents) heldChanged++;
  }
  const changes = steps.filter((s) => s.toCents !== s.fromCents);
  const gaps = steps.slice(1).map((s, i) => s.at - steps[i].at);
  const report = {
    benchmark: "pricing",
    note: "Simulated time through the Inventory core in Node: deterministic for a seed, no wall-clock numbers.",
    rule: RULE,
    capacity: CAPACITY,
    hours: HOURS,
    fans,
    refused,
    sold: CAPACITY - inventory.sectionsView(end, "FLOOR", false)[0].available,
    steps: steps.length,
    priceChanges: changes.length,
    baseCents: {
      min: Math.min(...steps.map((s) => s.toCents)),
      max: Math.max(...steps.map((s) => s.toCents)),
    },
    checks: {
      withinBounds: steps.every((s) => s.toCents >= RULE.floorCents && s.toCents <= RULE.ceilingCents),
      largestStepPercent: Math.max(0, ...changes.map((s) => (Math.abs(s.toCents - s.fromCents) / s.fromCents) * 100)),
      stepsWithinMaxPercent: changes.every(
        (s) => Math.abs(s.toCents - s.fromCents) <= Math.floor((s.fromCents * RULE.maxStepPercent) / 100),
      ),
      shortestMinutesBetweenSteps: gaps.length ? Math.min(...gaps) / MINUTE : null,
      holdsPaidThePriceShown: held.every((h) => h.priceCents === h.shown),
      heldPricesChecked: heldChecked,
      heldPricesChanged: heldChanged,
    },
    stepsLog: steps.map((s) => ({
      minute: (s.at - start) / MINUTE,
      fromCents: s.fromCents,
      toCents: s.toCents,
      score: Number(s.score.toFixed(3)),
      holdsPerMinute: Number(s.inputs.holdsPerMinute.toFixed(2)),
      available: s.inputs.available,
    })),
    timeline,
  };
  const ok =
    report.checks.withinBounds &&
    report.checks.stepsWithinMaxPercent &&
    report.checks.holdsPaidThePriceShown &&
    heldChanged === 0 &&
    (report.checks.shortestMinutesBetweenSteps ?? RULE.everyMinutes) >= RULE.everyMinutes;
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/pricing.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `[bench:pricing] ${fans} fans, ${report.sold} sold, ${steps.length} steps (${changes.length} changes), base ${report.baseCents.min}-${report.baseCents.max} in [${RULE.floorCents}, ${RULE.ceilingCents}], largest step ${report.checks.largestStepPercent.toFixed(1)}%, held prices changed: ${heldChanged}/${heldChecked} -> bench/results/pricing.json`,
  );
  if (!ok) {
    console.error("[bench:pricing] a check failed:", JSON.stringify(report.checks));
    process.exit(1);
  }
}

await main();
