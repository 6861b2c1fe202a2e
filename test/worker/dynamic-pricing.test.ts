import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PriceStepList } from "../../src/contract/pricing-responses";
import { SeatMap } from "../../src/contract/responses";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { hold, stubFor } from "./money";

const MINUTE = 60_000;
/** The floor moves by demand: from €20 by at most 20% per 5 minutes, between €16 and €30 (holds last an hour). */
const DYNAMIC = {
  holdSeconds: 3600,
  limits: { perOrder: 10, perUser: 50 },
  dynamic: { FLOOR: { floorCents: 1600, ceilingCents: 3000, maxStepPercent: 20, everyMinutes: 5 } },
};

/** Moves the room's clock to `minutes` after now and runs its alarm (a step when one is due). */
async function atMinute(eventId: string, minutes: number) {
  const stub = stubFor(eventId);
  await runInDurableObject(stub, (room) => room.skewClockForTests(minutes * MINUTE));
  await runDurableObjectAlarm(stub);
}

async function floor(eventId: string) {
  const result = await runInDurableObject(stubFor(eventId), (room) => room.seats("FLOOR"));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.sections[0]!;
}

const floorHold = (eventId: string, fan: string, quantity: number) =>
  hold(eventId, fan, { ga: [{ sectionId: "FLOOR", quantity }] });

describe("dynamic prices within bounds", { timeout: 30_000 }, () => {
  it("steps at most once a period by at most maxStepPercent, toward demand, and a hold keeps its price", async () => {
    const { eventId } = await onSaleEvent(DYNAMIC);
    const fan = await tokenFor(unique("fan"));
    const first = await floorHold(eventId, fan, 1);
    expect(first.items[0]?.priceCents).toBe(2000);
    const started = await floor(eventId);
    expect(started.priceCents).toBe(2000);
    expect(started.priceChangedAt).toEqual(expect.any(String));
    const map = await json(await call("GET", `/api/v1/events/${eventId}/seats?minVersion=${first.version}`), SeatMap);
    expect(map.sections.find((s) => s.id === "FLOOR")?.priceChangedAt).toBe(started.priceChangedAt);
    // A non-dynamic section shows no price time.
    expect(map.sections.find((s) => s.id === "A")?.priceChangedAt).toBeUndefined();

    // Ten places in the period, a month before the show: far ahead of pace, so up one full step.
    await floorHold(eventId, fan, 10);
    await atMinute(eventId, 3);
    expect((await floor(eventId)).priceCents).toBe(2000);
    await atMinute(eventId, 5);
    const raised = await floor(eventId);
    expect(raised.priceCents).toBe(2400);
    expect(Date.parse(raised.priceChangedAt!)).toBeGreaterThan(Date.parse(started.priceChangedAt!));

    // A later hold pays the new price; the earlier one keeps its own, through a restart too.
    const later = await floorHold(eventId, fan, 1);
    expect(later.items[0]?.priceCents).toBe(2400);
    await evictDurableObject(stubFor(eventId));
    expect((await floor(eventId)).priceCents).toBe(2400);
    const kept = await call("GET", `/api/v1/holds/${first.holdId}`, { token: fan });
    expect(((await kept.json()) as { items: { priceCents: number }[] }).items[0]?.priceCents).toBe(2000);

    // Demand keeps up: the ceiling holds the price (2400 → 2880 → 3000, never above).
    const seen: number[] = [];
    // (The restart reset the test clock: the last step was at +5 minutes.)
    for (const minutes of [10, 15, 20]) {
      await floorHold(eventId, fan, 8);
      await atMinute(eventId, minutes);
      seen.push((await floor(eventId)).priceCents);
    }
    expect(seen).toEqual([2880, 3000, 3000]);
  });

  it("steps down without demand, never below the floor, and logs each step with its inputs", async () => {
    const { eventId, organizer } = await onSaleEvent(DYNAMIC);
    await floor(eventId);
    const seen: number[] = [];
    for (const minutes of [5, 10, 15]) {
      await atMinute(eventId, minutes);
      seen.push((await floor(eventId)).priceCents);
    }
    // 2000 → 1600 (20% of 2000 is 400) → the floor, twice.
    expect(seen).toEqual([1600, 1600, 1600]);
    const steps = await call("GET", `/api/v1/admin/events/${eventId}/price-steps`, { token: organizer });
    const log = (await json(steps, PriceStepList)).data;
    expect(log.map((s) => [s.sectionId, s.fromCents, s.toCents])).toEqual([
      ["FLOOR", 2000, 1600],
      ["FLOOR", 1600, 1600],
      ["FLOOR", 1600, 1600],
    ]);
    expect(log[0]).toMatchObject({ score: -1, inputs: { available: 50, capacity: 50, holdsPerMinute: 0 } });
  });
});
