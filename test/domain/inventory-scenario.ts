/** The harness of the property tests: one command into the core and the model, then every check. */
import { isDeepStrictEqual } from "node:util";
import { expect } from "vitest";
import { type IdempotencyEntry, Inventory, type InventoryCounters } from "../../src/domain/inventory";
import type { Result } from "../../src/domain/result";
import type { Hold, HoldRequest, HoldUnit, InventoryConfig, SeatStatus, Step } from "../../src/domain/types";
import { CONFIG, type Command, USERS } from "./inventory-commands";
import { type ModelQuirks, REF_RETENTION_MS, ReferenceModel, type RefResult } from "./reference-model";

/**
 * Switches that make the model (and harness) reproduce bugs the properties found, fixed since
 * (see "regressions" in inventory-restore.test.ts); turning one on shows the property failing again.
 */
const KNOWN_QUIRKS: ModelQuirks = { replayBeforeExpiry: false };
const KNOWN_BUGS = { keyForgottenThenReused: false };

// ---------------------------------------------------------------- the harness

/** What a subscriber of the live seat map would show after applying every Step so far. */
interface ClientView {
  version?: number;
  seats: Map<string, SeatStatus>;
  sections: Map<string, number>;
}

/** The shell's SQLite tables, as JSON rows applied the way RoomStorage.write applies them. */
interface Store {
  holds: Map<string, string>;
  keys: Map<string, string>;
  counters: InventoryCounters;
}

/** expect() only on a difference, for its diff: the matchers' deep walk costs more than the rest. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, what).toStrictEqual(expected);
}

function invariant(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Invariant broken: ${what}`);
}

const withoutMessage = (r: Result<Hold>): unknown => {
  if (r.ok) return r;
  const { message: _message, ...rest } = r.error;
  return { ok: false, error: rest };
};

export class Scenario {
  now: number;
  /** Time of the last call into the core; reads happen then, so a bare clock move calls nothing. */
  at: number;
  config: InventoryConfig = structuredClone(CONFIG);
  model: ReferenceModel;
  core: Inventory;
  coreIds = { n: 0 };
  /** A core rebuilt from `store` (restore test only); runs in lockstep with `core`. */
  restored: Inventory | undefined;
  restoredIds = { n: 0 };
  store: Store = {
    holds: new Map(),
    keys: new Map(),
    counters: { version: 0, holdsCreated: 0, holdsExpired: 0, holdsReleased: 0, holdsPurchased: 0, revenueCents: 0 },
  };
  holdIds: string[] = [];
  keyed: HoldRequest[] = [];
  client: ClientView;

  constructor(start: number) {
    this.now = start;
    this.at = start;
    let modelIds = 0;
    this.model = new ReferenceModel(structuredClone(CONFIG), () => `h${++modelIds}`, KNOWN_QUIRKS);
    this.core = new Inventory(structuredClone(CONFIG), { newHoldId: () => `h${++this.coreIds.n}` });
    const view = this.core.sectionsView(start);
    this.client = {
      seats: new Map(view.flatMap((s) => s.seats ?? []).map((s) => [s.id, s.status])),
      sections: new Map(view.map((s) => [s.id, s.available])),
    };
  }

  /** The hold a command refers to, counting back from the newest; an unknown id while there are none. */
  holdRef(n: number): string {
    const ids = this.holdIds;
    return ids.length === 0 ? "h_none" : ids[ids.length - 1 - (n % ids.length)]!;
  }

  ownerOf(holdId: string): string {
    return this.model.holds.find((h) => h.hold.holdId === holdId)?.hold.userId ?? "u0";
  }

  run(cmd: Command): void {
    const now = this.now;
    switch (cmd.kind) {
      case "hold": {
        const request: HoldRequest = { userId: USERS[cmd.user]!, seatIds: cmd.seats, ga: cmd.ga };
        if (cmd.presaleCode !== undefined) request.presaleCode = cmd.presaleCode;
        if (cmd.key !== undefined) request.idempotencyKey = cmd.key;
        this.hold(request);
        return;
      }
      case "replay": {
        if (this.keyed.length === 0) return;
        const earlier = structuredClone(this.keyed[cmd.ref % this.keyed.length]!);
        if (cmd.changed) earlier.ga = [...earlier.ga, { sectionId: "G", quantity: 1 }];
        this.hold(earlier);
        return;
      }
      case "extend":
      case "release":
      case "checkout": {
        const holdId = this.holdRef(cmd.ref);
        const owner = this.ownerOf(holdId);
        const userId = cmd.stranger ? USERS[(USERS.indexOf(owner) + 1) % USERS.length]! : owner;
        const method = cmd.kind === "checkout" ? "startCheckout" : cmd.kind;
        this.compare(cmd.kind, (inv) => inv[method](holdId, userId, now), this.model[method](holdId, userId, now));
        return;
      }
      case "sell":
      case "refund":
      case "abandon": {
        const holdId = this.holdRef(cmd.ref);
        this.compare(cmd.kind, (inv) => inv[cmd.kind](holdId, now), this.model[cmd.kind](holdId, now));
        return;
      }
      case "undo": {
        const holdId = this.holdRef(cmd.ref);
        const record = this.model.holds.find((h) => h.hold.holdId === holdId);
        let units: HoldUnit[] | undefined;
        if (cmd.partial) {
          const all: HoldUnit[] = [{ id: "t:unknown", seatId: "A-9-9" }];
          for (const item of record?.hold.items ?? []) {
            if (item.seatId) all.push({ id: `t:${item.seatId}`, seatId: item.seatId });
            else
              for (let k = 0; k < item.quantity; k++)
                all.push({ id: `t:${item.sectionId}:${k}`, sectionId: item.sectionId });
          }
          units = all.filter((_, i) => (cmd.mask >> i) & 1);
        }
        this.compare(
          "undo",
          (inv) => inv.undo(holdId, now, structuredClone(units)),
          this.model.undo(holdId, now, structuredClone(units)),
        );
        return;
      }
      case "get": {
        const holdId = this.holdRef(cmd.ref);
        const expected = this.model.getHold(holdId, now);
        for (const inv of this.cores()) same(inv.getHold(holdId, now), expected, "getHold");
        this.at = now;
        return;
      }
      case "tick":
        this.now += cmd.ms;
        return;
      case "toExpiry": {
        const hold = this.model.holds.find((h) => h.hold.holdId === this.holdRef(cmd.ref));
        if (hold) this.now = Math.max(this.now, hold.hold.expiresAt + cmd.offset);
        return;
      }
      case "toForget": {
        const hold = this.model.holds.find((h) => h.hold.holdId === this.holdRef(cmd.ref));
        if (!hold) return;
        const from = hold.hold.endedAt ?? hold.hold.createdAt;
        this.now = Math.max(this.now, from + REF_RETENTION_MS + cmd.offset);
        return;
      }
      case "expireDue":
        for (const inv of this.cores()) inv.expireDue(now);
        this.model.expire(now);
        this.at = now;
        return;
      case "reconfigure": {
        const prices = Object.fromEntries(Object.entries(CONFIG.prices).map(([k, v]) => [k, v + cmd.priceDelta]));
        const strict = { limits: { perOrder: 2, perUser: 3 }, holdSeconds: 30, extensions: 1 };
        const loose = { limits: CONFIG.limits, holdSeconds: CONFIG.holdSeconds, extensions: CONFIG.extensions };
        this.config = { ...this.config, ...(cmd.strict ? strict : loose), state: cmd.state, prices };
        for (const inv of this.cores()) inv.reconfigure(structuredClone(this.config));
        this.model.reconfigure(structuredClone(this.config));
        return;
      }
      case "commit":
        this.commit();
        return;
      case "restart":
        this.restart();
        return;
    }
  }

  private hold(request: HoldRequest): void {
    const expected = this.model.hold(structuredClone(request), this.now);
    const actual = this.compare("hold", (inv) => inv.hold(structuredClone(request), this.now), expected);
    if (request.idempotencyKey) this.keyed.push(request);
    if (actual.ok && !this.holdIds.includes(actual.value.holdId)) this.holdIds.push(actual.value.holdId);
  }

  private cores(): Inventory[] {
    return this.restored ? [this.core, this.restored] : [this.core];
  }

  private compare(what: string, call: (inv: Inventory) => Result<Hold>, expected: RefResult<Hold>): Result<Hold> {
    this.at = this.now;
    const actual = call(this.core);
    same(withoutMessage(actual), expected, what);
    if (this.restored) same(call(this.restored), actual, `${what} after restore`);
    return actual;
  }

  // ---------------------------------------------------------------- checks after every step

  check(): void {
    const at = this.at;
    const view = this.core.sectionsView(at);
    same(view, this.model.sectionsView(at), "sectionsView");
    same(this.core.stats(at), this.model.stats(at), "stats");
    const holds = this.holdIds.map((id) => this.core.getHold(id, at));
    same(
      holds,
      this.holdIds.map((id) => this.model.getHold(id, at)),
      "holds",
    );
    same(this.core.version, this.model.version, "version");

    const steps = this.drainSteps(this.core, this.client);

    // A subscriber that applied every Step sees the room's state.
    for (const section of view) {
      same(this.client.sections.get(section.id), section.available, `client ${section.id}`);
      for (const seat of section.seats ?? []) same(this.client.seats.get(seat.id), seat.status, `client ${seat.id}`);
    }
    this.checkInvariants(
      at,
      holds.filter((h): h is Hold => h !== undefined),
      view,
    );

    const next = this.core.nextDeadline();
    const due = this.model.nextDeadline();
    // Exactly the next real deadline: none early (spurious alarms), none late (missed expiries).
    invariant(next === due, `nextDeadline ${next}, expected ${due}`);

    if (this.restored) {
      same(this.restored.sectionsView(at), view, "restored sectionsView");
      same(this.restored.stats(at), this.core.stats(at), "restored stats");
      same(
        this.holdIds.map((id) => this.restored!.getHold(id, at)),
        holds,
        "restored holds",
      );
      same(this.restored.version, this.core.version, "restored version");
      same(netEffect(this.restored.drainSteps()), netEffect(steps), "restored steps");
    }
  }

  private drainSteps(inv: Inventory, client: ClientView): Step[] {
    const before = client.version ?? 0;
    const steps = inv.drainSteps();
    steps.forEach((step, i) => {
      same(step.version, before + i + 1, "steps are contiguous");
      for (const seat of step.seats) client.seats.set(seat.id, seat.status);
      for (const section of step.sections) client.sections.set(section.id, section.available);
    });
    client.version = before + steps.length;
    same(inv.version, client.version, "version grows by one per Step");
    return steps;
  }

  private checkInvariants(at: number, holds: Hold[], view: ReturnType<Inventory["sectionsView"]>): void {
    const live = holds.filter((h) => h.status === "held" || h.status === "checkout");
    const purchased = holds.filter((h) => h.status === "purchased");
    for (const h of live) invariant(h.expiresAt > at, `live hold ${h.holdId} is past its expiresAt`);

    const liveBySeat = new Map<string, number>();
    const takenBySeat = new Map<string, number>();
    for (const h of [...live, ...purchased]) {
      for (const item of h.items) {
        // A unit refunded from a purchase is no longer that purchase's.
        if (item.seatId === undefined || h.returned?.seatIds.includes(item.seatId)) continue;
        takenBySeat.set(item.seatId, (takenBySeat.get(item.seatId) ?? 0) + 1);
        if (h.status !== "purchased") liveBySeat.set(item.seatId, (liveBySeat.get(item.seatId) ?? 0) + 1);
      }
    }
    for (const [seatId, n] of takenBySeat) same(n, 1, `${seatId} in two live/purchased holds`);
    for (const section of view) {
      if (section.kind === "ga") {
        let taken = 0;
        for (const h of [...live, ...purchased]) {
          for (const item of h.items) {
            if (item.sectionId === section.id) taken += item.quantity - (h.returned?.ga[section.id] ?? 0);
          }
        }
        invariant(taken <= section.capacity, `GA ${section.id}: ${taken} held + sold > capacity`);
        same(section.available, section.capacity - taken, `GA ${section.id} available`);
        continue;
      }
      for (const seat of section.seats ?? []) {
        const heldBy = liveBySeat.get(seat.id) ?? 0;
        same(seat.status === "held", heldBy === 1, `${seat.id} is held iff one live hold has it`);
        const soldBy = (takenBySeat.get(seat.id) ?? 0) - heldBy;
        same(seat.status === "sold", soldBy === 1, `${seat.id} is sold iff one purchase has it`);
      }
      const free = section.seats!.filter((s) => s.status === "available").length;
      same(section.available, free, `${section.id} available`);
    }
  }

  // ---------------------------------------------------------------- persistence

  /** Writes what the serving core changed, as RoomStorage.write does: upserts, then deletes. */
  private commit(): void {
    const dirty = (this.restored ?? this.core).drainDirty();
    if (!dirty) return;
    for (const hold of dirty.holds) this.store.holds.set(hold.holdId, JSON.stringify(hold));
    for (const entry of dirty.idempotency) this.store.keys.set(entry.key, JSON.stringify(entry));
    for (const id of dirty.forgottenHolds) this.store.holds.delete(id);
    for (const key of dirty.forgottenKeys) {
      if (KNOWN_BUGS.keyForgottenThenReused) {
        // A batch can both forget a key and write it again (reused after its retention); only the
        // stored entry's own expiry tells which came last. Remove once drainDirty says it.
        const row = this.store.keys.get(key);
        if (row && (JSON.parse(row) as IdempotencyEntry).expiresAt > this.at) continue;
      }
      this.store.keys.delete(key);
    }
    this.store.counters = { ...dirty.counters };
  }

  /** The serving core is evicted after its last commit and rebuilt from storage. */
  private restart(): void {
    this.commit();
    this.restoredIds = { n: this.coreIds.n };
    const ids = this.restoredIds;
    this.restored = Inventory.restore(
      structuredClone(this.config),
      [...this.store.holds.values()].map((row) => JSON.parse(row) as Hold),
      [...this.store.keys.values()].map((row) => JSON.parse(row) as IdempotencyEntry),
      this.store.counters,
      { newHoldId: () => `h${++ids.n}` },
    );
    same(this.restored.version, this.core.version, "restored version");
  }
}

/** What a batch of Steps did in the end: each touched seat's and section's last state. */
function netEffect(steps: Step[]): { seats: [string, string][]; sections: [string, number][] } {
  const seats = new Map<string, string>();
  const sections = new Map<string, number>();
  for (const step of steps) {
    for (const s of step.seats) seats.set(s.id, s.status);
    for (const s of step.sections) sections.set(s.id, s.available);
  }
  return { seats: [...seats].sort(), sections: [...sections].sort() };
}

export function play(start: number, commands: Command[]): Scenario {
  const scenario = new Scenario(start);
  for (const cmd of commands) {
    scenario.run(cmd);
    scenario.check();
  }
  return scenario;
}
