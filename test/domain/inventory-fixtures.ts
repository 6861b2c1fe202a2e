/** The inventory example tests' event (sections A, B and G), and a stand-in for the room's tables. */
import { type DirtySet, type IdempotencyEntry, Inventory, type InventoryCounters } from "../../src/domain/inventory";
import type { Result } from "../../src/domain/result";
import type { Hold, HoldRequest, InventoryConfig } from "../../src/domain/types";

export const T0 = Date.UTC(2030, 0, 1);
export const SEC = 1000;

/** Section A: rows 1-3 of 6 seats; section B: 2 x 3; GA of 5. */
export function config(overrides: Partial<InventoryConfig> = {}): InventoryConfig {
  return {
    eventId: "evt_1",
    currency: "EUR",
    sections: [
      {
        id: "A",
        name: "Stalls",
        kind: "seated",
        rows: [1, 2, 3].map((r) => ({ label: String(r), seats: 6 })),
      },
      {
        id: "B",
        name: "Balcony",
        kind: "seated",
        rows: [
          { label: "1", seats: 3 },
          { label: "2", seats: 3 },
        ],
      },
      { id: "G", name: "Standing", kind: "ga", capacity: 5 },
    ],
    prices: { A: 5000, B: 3000, G: 2000 },
    holdSeconds: 60,
    extensions: 2,
    paymentGraceSeconds: 30,
    limits: { perOrder: 4, perUser: 6 },
    onSaleAt: T0,
    salesEndAt: T0 + 7 * 24 * 3600 * SEC,
    startsAt: T0 + 8 * 24 * 3600 * SEC,
    state: "published",
    presales: [],
    ...overrides,
  };
}

export function inventory(c: InventoryConfig = config()): Inventory {
  let n = 0;
  return new Inventory(c, { newHoldId: () => `h${++n}` });
}

export const request = (userId: string, seatIds: string[], extra: Partial<HoldRequest> = {}): HoldRequest => ({
  userId,
  seatIds,
  ga: [],
  ...extra,
});

export function held(result: Result<Hold>): Hold {
  if (!result.ok) throw new Error(`expected a hold, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function refusal(result: Result<unknown>): Record<string, unknown> {
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

/** The shell's tables: rows applied in RoomStorage.write's order, upserts then deletes. */
export class FakeStorage {
  holds = new Map<string, string>();
  keys = new Map<string, string>();
  counters: InventoryCounters = {
    version: 0,
    holdsCreated: 0,
    holdsExpired: 0,
    holdsReleased: 0,
    holdsPurchased: 0,
    revenueCents: 0,
  };

  write(dirty: DirtySet | undefined): void {
    if (!dirty) return;
    for (const hold of dirty.holds) this.holds.set(hold.holdId, JSON.stringify(hold));
    for (const entry of dirty.idempotency) this.keys.set(entry.key, JSON.stringify(entry));
    for (const id of dirty.forgottenHolds) this.holds.delete(id);
    for (const key of dirty.forgottenKeys) this.keys.delete(key);
    this.counters = { ...dirty.counters };
  }

  restore(c: InventoryConfig, firstId: number): Inventory {
    let n = firstId;
    return Inventory.restore(
      c,
      [...this.holds.values()].map((row) => JSON.parse(row) as Hold),
      [...this.keys.values()].map((row) => JSON.parse(row) as IdempotencyEntry),
      this.counters,
      { newHoldId: () => `h${++n}` },
    );
  }
}
