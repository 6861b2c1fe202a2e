/**
 * The per-user limit over three rooms. Random holds, releases, extensions, checkouts,
 * expiries, payments (late ones too), refunds, ledger steps lost to crashes and ledger evictions,
 * played through three Inventory cores (one per section, as the split event's rooms) and the
 * UserLedger, with the steps src/user-ledger/steps.ts takes, in that order. After every step the
 * reference (what the rooms granted) must show no user past the limit and no seat sold twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Inventory } from "../../src/domain/inventory";
import type { Hold, InventoryConfig } from "../../src/domain/types";
import { type LedgerEntry, UserLedger } from "../../src/domain/user-ledger";
import { config, SEC, T0 } from "./inventory-fixtures";

const PER_USER = 4;
const ROOMS = ["A", "B", "G"] as const;
const USERS = ["u1", "u2", "u3"];

function roomConfig(section: string): InventoryConfig {
  const base = config({ limits: { perOrder: 4, perUser: PER_USER } });
  return { ...base, sections: base.sections.filter((s) => s.id === section), roomKey: section };
}

type Op =
  | { kind: "hold"; user: number; room: number; count: number; crash: "none" | "afterReserve" | "afterHold" }
  | { kind: "release" | "extend" | "checkout" | "pay" | "refund"; pick: number; crash: boolean }
  | { kind: "time"; seconds: number }
  | { kind: "evictLedger" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      user: fc.nat(USERS.length - 1),
      room: fc.nat(ROOMS.length - 1),
      count: fc.integer({ min: 1, max: 4 }),
      crash: fc.constantFrom("none" as const, "none" as const, "afterReserve" as const, "afterHold" as const),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "release" as const,
        "extend" as const,
        "checkout" as const,
        "pay" as const,
        "refund" as const,
      ),
      pick: fc.nat(50),
      crash: fc.boolean(),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("time" as const), seconds: fc.integer({ min: 1, max: 120 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("evictLedger" as const) }), weight: 1 },
);

interface Made {
  hold: Hold;
  room: number;
}

function play(ops: Op[]): void {
  let now = T0 + 60 * SEC;
  let n = 0;
  const rooms = ROOMS.map(
    (section) => new Inventory(roomConfig(section), { newHoldId: () => `hld.evt_1.h${++n}.${section}` }),
  );
  const settings = { perUser: PER_USER, holdMs: 60 * SEC, graceMs: 30 * SEC };
  const stored = new Map<string, LedgerEntry>();
  let ledger = new UserLedger(settings);
  const persist = () => {
    for (const [id, entry] of ledger.drainDirty()) {
      if (entry === null) stored.delete(id);
      else stored.set(id, entry);
    }
  };
  const made: Made[] = [];
  const nextSeat = [0, 0];

  const seatsFor = (room: number, count: number) => {
    const section = ROOMS[room]!;
    if (section === "G") return { seatIds: [], ga: [{ sectionId: "G", quantity: count }] };
    const rows = section === "A" ? 3 : 2;
    const perRow = section === "A" ? 6 : 3;
    const seatIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const k = (nextSeat[room]! + i) % (rows * perRow);
      seatIds.push(`${section}-${Math.floor(k / perRow) + 1}-${(k % perRow) + 1}`);
    }
    nextSeat[room] = (nextSeat[room]! + count) % (rows * perRow);
    return { seatIds, ga: [] };
  };

  /** The hold as its room has it (an ended one may have left memory: then as last answered). */
  const current = (m: Made) => {
    m.hold = rooms[m.room]!.getHold(m.hold.holdId, now) ?? m.hold;
    return m.hold;
  };

  for (const step of ops) {
    switch (step.kind) {
      case "hold": {
        const userId = USERS[step.user]!;
        const reserved = ledger.reserve({ reservationId: `r${++n}`, userId, tickets: step.count }, now);
        persist();
        if (!reserved.ok || step.crash === "afterReserve") break;
        const result = rooms[step.room]!.hold({ userId, ...seatsFor(step.room, step.count) }, now);
        if (result.ok) made.push({ hold: result.value, room: step.room });
        if (step.crash === "afterHold") break;
        if (result.ok) ledger.confirm(reserved.value.reservationId, result.value.holdId);
        else ledger.cancel(reserved.value.reservationId);
        persist();
        break;
      }
      case "time":
        now += step.seconds * SEC;
        break;
      case "evictLedger":
        ledger = new UserLedger(settings, [...stored.values()]);
        break;
      default: {
        const m = made[step.pick % Math.max(1, made.length)];
        if (!m) break;
        const room = rooms[m.room]!;
        const { holdId, userId } = m.hold;
        if (step.kind === "release") {
          const released = room.release(holdId, userId, now);
          if (released.ok && !step.crash) ledger.free(holdId);
        } else if (step.kind === "extend" || step.kind === "checkout") {
          // The lease first (from the hold as the room has it); refused or lost, the room is not asked.
          const hold = current(m);
          const tickets = hold.items.reduce((k, i) => k + i.quantity, 0);
          const lengthened = ledger.lengthen({ holdId, userId, tickets, expiresAt: hold.expiresAt }, step.kind, now);
          persist();
          if (step.crash || !lengthened.ok) break;
          if (step.kind === "extend") room.extend(holdId, userId, now);
          else room.startCheckout(holdId, userId, now);
        } else if (step.kind === "pay") {
          // The ledger first: a crash before the room's sale over-counts, never under-counts.
          const tickets = current(m).items.reduce((k, i) => k + i.quantity, 0);
          const counted = ledger.sell({ holdId, userId, tickets }, `sale-${holdId}`, now);
          persist();
          if (!counted.ok || step.crash) break;
          const sale = room.sell(holdId, now);
          if (sale.ok) m.hold = sale.value;
          else ledger.free(holdId);
        } else {
          const undone = room.undo(holdId, now);
          if (undone.ok && !step.crash) ledger.free(holdId);
        }
        persist();
      }
    }
    persist();
    check(
      now,
      made.map((m) => ({ ...m, hold: current(m) })),
      ledger,
    );
  }
}

/**
 * What the rooms granted: per user, tickets in live or sold holds, never past the limit and never
 * more than the ledger counts (it may count more: a lost step over-counts); per seat, one sale.
 */
function check(now: number, holds: Made[], ledger: UserLedger): void {
  const perUser = new Map<string, number>();
  const sold = new Set<string>();
  for (const { hold } of holds) {
    const live = (hold.status === "held" || hold.status === "checkout") && hold.expiresAt > now;
    if (!live && hold.status !== "purchased") continue;
    const tickets = hold.items.reduce((k, i) => k + i.quantity, 0);
    perUser.set(hold.userId, (perUser.get(hold.userId) ?? 0) + tickets);
    if (hold.status !== "purchased") continue;
    for (const item of hold.items) {
      if (!item.seatId) continue;
      expect(sold.has(item.seatId), `seat ${item.seatId} sold twice`).toBe(false);
      sold.add(item.seatId);
    }
  }
  for (const [user, tickets] of perUser) {
    expect(tickets, `${user} is past the limit`).toBeLessThanOrEqual(PER_USER);
    expect(tickets, `the ledger under-counts ${user}`).toBeLessThanOrEqual(ledger.counted(user, now));
  }
}

describe("the per-user limit across three rooms (UserLedger)", () => {
  it("never lets a user past the limit, through crashes and evictions", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => play(ops)),
      { numRuns: 300 },
    );
  });

  it("gives the quota back at once on release, and after a lost step when the lease lapses", () => {
    const ledger = new UserLedger({ perUser: 4, holdMs: 60 * SEC, graceMs: 30 * SEC });
    const first = ledger.reserve({ reservationId: "r1", userId: "u", tickets: 4 }, T0);
    expect(first.ok).toBe(true);
    const refused = ledger.reserve({ reservationId: "r2", userId: "u", tickets: 1 }, T0);
    expect(refused.ok ? 0 : refused.error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: 4, alreadyHeld: 4 });
    ledger.confirm("r1", "h1");
    ledger.free("h1");
    expect(ledger.counted("u", T0)).toBe(0);
    // A reservation whose hold step was lost counts until its lease lapses, then not.
    ledger.reserve({ reservationId: "r3", userId: "u", tickets: 3 }, T0);
    expect(ledger.counted("u", T0 + 60 * SEC)).toBe(3);
    expect(ledger.counted("u", T0 + 66 * SEC)).toBe(0);
  });
});
