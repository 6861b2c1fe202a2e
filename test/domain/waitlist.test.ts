import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Inventory } from "../../src/domain/inventory";
import type { InventoryConfig } from "../../src/domain/types";
import { HEAD_SIZE, lineOf, Waitlist, type WaitlistEntry, type WaitlistStore } from "../../src/domain/waitlist";

const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;

/** The store's contract, in memory (the room's is SQLite: src/rooms/waitlist-store.ts). Counts its reads. */
class MemoryStore implements WaitlistStore {
  readonly rows = new Map<string, WaitlistEntry>();
  fetched = 0;
  byUser(userId: string) {
    const row = this.rows.get(userId);
    return row && structuredClone(row);
  }
  private waitingIn(line: string) {
    return [...this.rows.values()]
      .filter((e) => lineOf(e.sectionId) === line && e.status === "waiting")
      .sort((a, b) => a.seq - b.seq);
  }
  waitingAfter(line: string, afterSeq: number, limit: number) {
    const rows = this.waitingIn(line)
      .filter((e) => e.seq > afterSeq)
      .slice(0, limit);
    this.fetched += rows.length;
    return rows.map((e) => structuredClone(e));
  }
  countWaitingBefore(line: string, seq: number) {
    return this.waitingIn(line).filter((e) => e.seq < seq).length;
  }
  waitingCounts() {
    const counts = new Map<string, number>();
    for (const e of this.rows.values())
      if (e.status === "waiting") counts.set(lineOf(e.sectionId), (counts.get(lineOf(e.sectionId)) ?? 0) + 1);
    return counts;
  }
  offered() {
    return [...this.rows.values()].filter((e) => e.status === "offered").map((e) => structuredClone(e));
  }
  maxSeq() {
    return Math.max(0, ...[...this.rows.values()].map((e) => e.seq));
  }
  put(entry: WaitlistEntry) {
    this.rows.set(entry.userId, structuredClone(entry));
  }
}

function config(overrides: Partial<InventoryConfig> = {}): InventoryConfig {
  return {
    eventId: "evt_1",
    currency: "EUR",
    sections: [
      { id: "A", name: "Stalls", kind: "seated", rows: [{ label: "1", seats: 2 }] },
      { id: "GA", name: "Floor", kind: "ga", capacity: 3 },
    ],
    prices: { A: 5000, GA: 2000 },
    holdSeconds: 60,
    extensions: 1,
    paymentGraceSeconds: 60,
    limits: { perOrder: 4, perUser: 4 },
    onSaleAt: T0 - MIN,
    salesEndAt: T0 + 1000 * MIN,
    startsAt: T0 + 1000 * MIN,
    state: "published",
    presales: [],
    waitlistOfferMinutes: 15,
    ...overrides,
  };
}

let ids = 0;
function room(overrides: Partial<InventoryConfig> = {}) {
  const inventory = new Inventory(config(overrides), { newHoldId: () => `hld_${++ids}` });
  const store = new MemoryStore();
  const waitlist = new Waitlist(store);
  inventory.setSettleHook((now) => waitlist.offerFreed(inventory, now, 15 * 60));
  const join = (userId: string, sectionId: string | null, quantity = 1, now = T0) =>
    waitlist.join({ userId, sectionId, quantity }, now, () => `wl_${++ids}`).entry;
  const sellOut = (now = T0) => {
    const holds = [
      inventory.hold({ userId: "buyer-a", seatIds: ["A-1-1", "A-1-2"], ga: [] }, now),
      inventory.hold({ userId: "buyer-g", seatIds: [], ga: [{ sectionId: "GA", quantity: 3 }] }, now),
    ];
    return holds.map((h) => (h.ok ? h.value.holdId : ""));
  };
  return { inventory, store, waitlist, join, sellOut };
}

describe("waitlist (domain)", () => {
  it("keeps one entry per user, in join order, with exact positions per line", () => {
    const { waitlist, join } = room();
    const a = join("u1", "GA");
    join("u2", "GA");
    const c = join("u3", "GA");
    join("u4", null);
    expect(waitlist.join({ userId: "u1", sectionId: "A", quantity: 3 }, T0, () => "x")).toMatchObject({
      created: false,
      entry: { waitlistId: a.waitlistId },
    });
    expect([a, c].map((e) => waitlist.position(e))).toEqual([1, 3]);
    expect(waitlist.position(waitlist.get("u4")!)).toBe(1);
    waitlist.leave("u2", T0);
    expect(waitlist.position(waitlist.get("u3")!)).toBe(2);
    expect(waitlist.lengths()).toEqual({ GA: 2, "*": 1 });
  });

  it("offers returned places in join order, the first whose quantity fits, across its section's and the any-section line", () => {
    const { inventory, waitlist, join } = room();
    const stalls = inventory.hold({ userId: "buyer-a", seatIds: ["A-1-1", "A-1-2"], ga: [] }, T0);
    const singles = ["g1", "g2", "g3"].map((u) => {
      const hold = inventory.hold({ userId: u, seatIds: [], ga: [{ sectionId: "GA", quantity: 1 }] }, T0);
      return hold.ok ? hold.value.holdId : "";
    });
    join("big", "GA", 2);
    join("any", null, 1);
    join("small", "GA", 1);
    const giveBack = (i: number) => {
      inventory.release(singles[i]!, `g${i + 1}`, T0 + 1000);
      inventory.expireDue(T0 + 1000); // the room's next expiry pass (every decision starts with one)
    };
    // One place back: "big" (2) does not fit; "any" joined before "small".
    giveBack(0);
    expect(waitlist.get("big")?.status).toBe("waiting");
    expect(waitlist.get("any")).toMatchObject({ status: "offered", offer: { totalCents: 2000 } });
    expect(waitlist.get("any")?.offer?.items).toEqual([{ sectionId: "GA", quantity: 1, priceCents: 2000 }]);
    expect(waitlist.get("small")?.status).toBe("waiting");
    expect(inventory.availableIn("GA")).toBe(0);
    giveBack(1);
    expect(waitlist.get("small")?.status).toBe("offered");
    // Nobody fits one place now: it goes back on public sale.
    giveBack(2);
    expect(waitlist.get("big")?.status).toBe("waiting");
    expect(inventory.availableIn("GA")).toBe(1);
    // Seated sections are offered seat by seat, to the section's line.
    join("seated", "A", 2);
    if (stalls.ok) inventory.release(stalls.value.holdId, "buyer-a", T0 + 2000);
    inventory.expireDue(T0 + 2000);
    expect(waitlist.get("seated")?.offer?.items.map((i) => i.seatId)).toEqual(["A-1-1", "A-1-2"]);
  });

  it("passes an unclaimed offer on when it expires, and records a claimed one", () => {
    const { inventory, waitlist, join, sellOut } = room();
    const [, ga] = sellOut();
    for (const u of ["f1", "f2", "f3", "f4"]) join(u, "GA", 1);
    inventory.release(ga!, "buyer-g", T0);
    inventory.expireDue(T0);
    const offered = ["f1", "f2", "f3"].map((u) => waitlist.get(u)!);
    expect(offered.map((e) => e.status)).toEqual(["offered", "offered", "offered"]);
    // f2 pays; f1 and f3 let theirs run out.
    const f2 = offered[1]!.offer!.holdId;
    expect(inventory.startCheckout(f2, "f2", T0 + MIN).ok).toBe(true);
    expect(inventory.sell(f2, T0 + MIN).ok).toBe(true);
    waitlist.sold(f2, T0 + MIN);
    inventory.expireDue(T0 + 15 * MIN + 1);
    expect(waitlist.get("f1")?.status).toBe("expired");
    expect(waitlist.get("f2")?.status).toBe("claimed");
    expect(waitlist.get("f3")?.status).toBe("expired");
    expect(waitlist.get("f4")?.status).toBe("offered");
    expect(waitlist.counters).toMatchObject({ offersMade: 4, offersClaimed: 1, offersExpired: 2 });
  });

  it("makes no offer while the event is not on sale; entries keep their place", () => {
    const { inventory, waitlist, join, sellOut } = room();
    const [, ga] = sellOut();
    join("f1", "GA");
    inventory.reconfigure(config({ state: "paused" }));
    inventory.release(ga!, "buyer-g", T0);
    inventory.expireDue(T0);
    expect(waitlist.get("f1")).toMatchObject({ status: "waiting" });
    expect(waitlist.position(waitlist.get("f1")!)).toBe(1);
    inventory.reconfigure(config());
    inventory.expireDue(T0 + 1);
    expect(waitlist.get("f1")?.status).toBe("offered");
  });

  it("holds only the head of each line in memory, however long the line", () => {
    const { inventory, store, waitlist, join, sellOut } = room();
    const [, ga] = sellOut();
    for (let i = 0; i < 5000; i++) join(`f${i}`, "GA", 1);
    expect(waitlist.memoryEntries()).toBeLessThanOrEqual(HEAD_SIZE);
    inventory.release(ga!, "buyer-g", T0);
    inventory.expireDue(T0);
    expect(waitlist.memoryEntries()).toBeLessThanOrEqual(HEAD_SIZE + 3);
    expect(store.fetched).toBeLessThanOrEqual(2 * HEAD_SIZE);
    expect(waitlist.position(waitlist.get("f4999")!)).toBe(4997);
    expect(["f0", "f1", "f2", "f3"].map((u) => waitlist.get(u)?.status)).toEqual([
      "offered",
      "offered",
      "offered",
      "waiting",
    ]);
  });
});

describe("waitlist (properties)", () => {
  type Op =
    | { op: "buy"; user: number; section: "A" | "GA"; quantity: number }
    | { op: "join"; user: number; section: "A" | "GA" | null; quantity: number }
    | { op: "leave"; user: number }
    | { op: "release"; user: number }
    | { op: "pay"; user: number }
    | { op: "time"; minutes: number };
  const user = fc.nat({ max: 11 });
  const section = fc.constantFrom<"A" | "GA">("A", "GA");
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant("buy" as const), user, section, quantity: fc.integer({ min: 1, max: 2 }) }),
    fc.record({
      op: fc.constant("join" as const),
      user,
      section: fc.constantFrom<"A" | "GA" | null>("A", "GA", null),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({ op: fc.constant("leave" as const), user }),
    fc.record({ op: fc.constant("release" as const), user }),
    fc.record({ op: fc.constant("pay" as const), user }),
    fc.record({ op: fc.constant("time" as const), minutes: fc.integer({ min: 1, max: 20 }) }),
  );

  it("never leaves a place on public sale while a fan it fits waits; positions stay 1..n in join order; nothing is oversold", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const { inventory, waitlist, store, join } = room({ holdSeconds: 120 });
        let now = T0;
        const holdsOf = new Map<string, string[]>();
        for (const step of ops) {
          const u = `u${"user" in step ? step.user : 0}`;
          if (step.op === "buy") {
            const request =
              step.section === "GA"
                ? { userId: u, seatIds: [], ga: [{ sectionId: "GA", quantity: step.quantity }] }
                : { userId: u, seatIds: ["A-1-1", "A-1-2"].slice(0, step.quantity), ga: [] };
            const hold = inventory.hold(request, now);
            if (hold.ok) holdsOf.set(u, [...(holdsOf.get(u) ?? []), hold.value.holdId]);
          } else if (step.op === "join") {
            join(u, step.section, step.quantity, now);
          } else if (step.op === "leave") {
            const left = waitlist.leave(u, now);
            if (left?.holdId) inventory.release(left.holdId, u, now);
          } else if (step.op === "release" || step.op === "pay") {
            const own = [...(holdsOf.get(u) ?? [])];
            const offer = waitlist.get(u)?.offer?.holdId;
            if (offer) own.push(offer);
            for (const holdId of own) {
              if (step.op === "release") inventory.release(holdId, u, now);
              else if (inventory.sell(holdId, now).ok) waitlist.sold(holdId, now); // as the room's sell() does
            }
          } else {
            now += step.minutes * MIN;
          }
          inventory.expireDue(now); // what the room's flush does after every decision

          const stats = inventory.stats(now);
          expect(stats.held + stats.sold + stats.available).toBe(stats.capacity);
          for (const sectionId of ["A", "GA"]) {
            const free = inventory.availableIn(sectionId);
            const fits = [...store.rows.values()].filter(
              (e) =>
                e.status === "waiting" && (e.sectionId === sectionId || e.sectionId === null) && e.quantity <= free,
            );
            expect(fits, `section ${sectionId} has ${free} free`).toEqual([]);
          }
          for (const line of ["A", "GA", null]) {
            const waiting = [...store.rows.values()]
              .filter((e) => e.status === "waiting" && e.sectionId === line)
              .sort((a, b) => a.seq - b.seq);
            expect(waiting.map((e) => waitlist.position(e))).toEqual(waiting.map((_, i) => i + 1));
          }
          for (const e of store.rows.values()) {
            if (e.status !== "offered") continue;
            const hold = inventory.getHold(e.offer!.holdId, now);
            expect(hold?.userId).toBe(e.userId);
            // An offer handed back reads as expired at once; it is settled when its time comes.
            if (waitlist.statusOf(e, hold?.status) === "offered") expect(["held", "checkout"]).toContain(hold?.status);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
