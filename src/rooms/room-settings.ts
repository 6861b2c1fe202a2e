import type { InventoryConfig } from "../domain/types";

/** The waiting room's settings from the event's, with their defaults. */
export const queueSettings = (config: InventoryConfig) => ({
  mode: config.waitingRoom?.mode ?? "off",
  admitPerMinute: config.waitingRoom?.admitPerMinute ?? 600,
  maxActive: config.waitingRoom?.maxActive ?? 2000,
  prequeueMinutes: config.waitingRoom?.prequeueMinutes ?? 15,
  accessMinutes: config.waitingRoom?.accessMinutes ?? 10,
  opensAt: config.onSaleAt,
});

/** The earlier of two optional deadlines (null: none), for the room's one alarm. */
export function earliest(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined) return b ?? null;
  if (b === undefined) return a;
  return Math.min(a, b);
}
