import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Inventory } from "../../src/domain/inventory";
import { currentBase } from "../../src/domain/pricing-live";
import type { Hold, InventoryConfig } from "../../src/domain/types";
import { config, FakeStorage, inventory, SEC, T0 } from "./inventory-fixtures";

const MINUTE = 60 * SEC;
const RULE = { floorCents: 1500, ceilingCents: 2600, maxStepPercent: 10, everyMinutes: 5 };

const Command = fc.oneof(
  fc.record({ kind: fc.constant("hold" as const), quantity: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("wait" as const), minutes: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant("sell" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("restart" as const) }),
);

/**
 * Against a reference: every hold keeps the prices it was made at, through price steps and
 * restarts from what the room stored; the section's base never leaves the bounds, changes at most
 * once per period and by at most maxStepPercent of itself.
 */
describe("dynamic prices (property)", () => {
  it("a hold's price never changes; the base stays in bounds and steps at most once per period", () => {
    fc.assert(
      fc.property(fc.array(Command, { minLength: 1, maxLength: 60 }), (commands) => {
        const start: InventoryConfig = config({
          sections: [{ id: "G", name: "Standing", kind: "ga", capacity: 400 }],
          prices: { G: 2000 },
          holdSeconds: 3600,
          limits: { perOrder: 4, perUser: 400 },
          dynamic: { G: RULE },
        });
        let inv: Inventory = inventory(start);
        let stored = start;
        const storage = new FakeStorage();
        const persist = () => {
          const dirty = inv.drainDirty();
          if (dirty?.config) stored = dirty.config;
          storage.write(dirty);
        };
        let now = T0;
        let users = 0;
        let restarts = 0;
        const made = new Map<string, number[]>();
        const bases: { at: number; cents: number }[] = [];
        const observe = () => {
          inv.stepPrices(now, 0);
          const cents = currentBase(inv.settings, "G")!;
          expect(cents).toBeGreaterThanOrEqual(RULE.floorCents);
          expect(cents).toBeLessThanOrEqual(RULE.ceilingCents);
          const last = bases.at(-1);
          if (!last || last.cents !== cents) bases.push({ at: now, cents });
        };
        for (const command of commands) {
          observe();
          if (command.kind === "hold") {
            const result = inv.hold(
              { userId: `u${users++}`, seatIds: [], ga: [{ sectionId: "G", quantity: command.quantity }] },
              now,
            );
            if (result.ok) {
              const shown = inv.sectionsView(now, "G", false)[0]!.priceCents;
              expect(result.value.items[0]!.priceCents).toBe(shown);
              made.set(
                result.value.holdId,
                result.value.items.map((i) => i.priceCents),
              );
            }
          } else if (command.kind === "wait") now += command.minutes * MINUTE;
          else if (command.kind === "sell") {
            const ids = [...made.keys()];
            if (ids.length > 0) inv.sell(ids[command.pick % ids.length]!, now);
          } else {
            persist();
            inv = storage.restore(stored, 1000 * ++restarts);
          }
          persist();
          for (const [holdId, prices] of made) {
            const hold: Hold | undefined = inv.getHold(holdId, now);
            if (hold) expect(hold.items.map((i) => i.priceCents)).toEqual(prices);
          }
        }
        for (let i = 1; i < bases.length; i++) {
          const [before, after] = [bases[i - 1]!, bases[i]!];
          expect(after.at - before.at).toBeGreaterThanOrEqual(RULE.everyMinutes * MINUTE);
          expect(Math.abs(after.cents - before.cents)).toBeLessThanOrEqual(
            Math.floor((before.cents * RULE.maxStepPercent) / 100),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
