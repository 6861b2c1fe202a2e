import type { Inventory } from "../domain/inventory";
import { ok, type Result } from "../domain/result";

/** What bench:soak needs of the room: its decide-and-commit path and its clock. */
export interface SoakRoom {
  mutate<T>(decide: (inventory: Inventory, now: number) => Result<T>): Promise<Result<T>>;
  /** Moves the room's clock forward (the room's test clock skew). */
  advance(ms: number): void;
}

/**
 * bench:soak only (BENCH_ROUTES=on): `count` one-ticket holds on a GA section, one after another
 * through the real decide-and-commit path, each expired by moving the room's clock past it.
 */
export async function soakHolds(room: SoakRoom, inventory: Inventory, sectionId: string, count: number) {
  const step = inventory.settings.holdSeconds * 1000 + 1;
  const run = crypto.randomUUID().slice(0, 8);
  for (let i = 0; i < count; i++) {
    const user = `soak-${run}-${i}`;
    await room.mutate((inv, now) =>
      inv.hold({ userId: user, seatIds: [], ga: [{ sectionId, quantity: 1 }], idempotencyKey: user }, now),
    );
    room.advance(step);
  }
  await room.mutate((inv, now) => {
    inv.expireDue(now);
    return ok(null);
  });
  return { version: inventory.version, ...inventory.footprint() };
}
