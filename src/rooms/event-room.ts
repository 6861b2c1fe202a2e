import { DurableObject } from "cloudflare:workers";
import { ADMITTED_HEADER } from "../bindings";
import { settingsFrom } from "../config";
import type { TakenCopy } from "../domain/edge-copy";
import { takesDefinition } from "../domain/event-status";
import { Inventory } from "../domain/inventory";
import type { LoggedStep } from "../domain/pricing-live";
import { refuse } from "../domain/refusals";
import { ok, type Result } from "../domain/result";
import { sectionsOfHold } from "../domain/room-split";
import type {
  Hold,
  HoldRequest,
  HoldUnit,
  InventoryConfig,
  InventoryStats,
  Kill,
  SectionDef,
  SectionView,
} from "../domain/types";
import type { QueueStatus } from "../domain/waiting-room/desk";
import type { Admission } from "./admissions";
import { soakHolds } from "./bench-soak";
import { DecisionMetrics, type RoomDecisions } from "./decision-metrics";
import { GroupCommit } from "./group-commit";
import { LiveHub, type Selection, selectionFrom } from "./live-hub";
import { refusalResponse } from "./refusal-response";
import { RoomQueue } from "./room-queue";
import { changesSplit, holdIds, routeHere, wrongRoomResponse } from "./room-routing";
import { earliest } from "./room-settings";
import { RoomStorage } from "./room-storage";
import { SnapshotCache } from "./snapshot-cache";
import { RoomWaitlist, type WaitlistJoin, type WaitlistStats, type WaitlistView } from "./waitlist-room";

/** What a room reports of itself: its live counts, holds granted in the last minute, its waitlist's, its decisions'. */
export type RoomStats = InventoryStats & {
  version: number;
  holdsLastMinute: number;
  waitlist: WaitlistStats;
} & RoomDecisions;

export interface SeatsSnapshot {
  eventId: string;
  version: number;
  sections: SectionView[];
}

const notConfigured = refuse.noSuchEvent;

const withVersion = <T>(inventory: Inventory, result: Result<T>): Result<T & { version: number }> =>
  result.ok ? ok({ ...result.value, version: inventory.version }) : result;

/**
 * One event's single writer. A thin shell over the Inventory core: it loads the core from SQLite
 * once, runs each RPC against memory, and persists the changes with group commit before the
 * reply leaves (output gate). One alarm always stands at the earliest deadline.
 */
export class EventRoom extends DurableObject<Env> {
  private inventory: Inventory | undefined;
  /** The event's waiting room (src/rooms/room-queue.ts). */
  private readonly queue: RoomQueue;
  /** How often the edge had to ask for the queue status (tests prove polls stay at the edge). */
  statusRequests = 0;
  private readonly storage: RoomStorage;
  /** The event's waitlist (src/rooms/waitlist-room.ts): offers returned seats before the public sees them. */
  private readonly waitlist: RoomWaitlist;
  private readonly committer: GroupCommit;
  private readonly live: LiveHub;
  private readonly snapshots = new SnapshotCache();
  private readonly decisions = new DecisionMetrics();
  private armedAt: number | null = null;
  /** Tests move the room's clock forward instead of sleeping. */
  private clockSkewMs = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new RoomStorage(ctx.storage);
    this.queue = new RoomQueue(ctx.storage.kv);
    this.waitlist = new RoomWaitlist(ctx, env);
    this.live = new LiveHub(ctx);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    this.committer = new GroupCommit(
      () => this.flush(),
      () => ctx.storage.sync(),
      // Memory would be ahead of what is durable: start again from storage rather than answer from it.
      () => ctx.abort("a storage write failed"),
    );
    void ctx.blockConcurrencyWhile(async () => {
      const stored = this.storage.load();
      if (stored) {
        this.inventory = Inventory.restore(stored.config, stored.holds, stored.keys, stored.counters, {
          newHoldId: holdIds(stored.config),
          archive: this.storage,
        });
        this.waitlist.attach(this.inventory);
        this.queue.restore(stored.config, stored.queue);
      }
      this.armedAt = await ctx.storage.getAlarm();
    });
  }

  // ---------------------------------------------------------------- RPC for the edge

  /** Sets up or updates the event's inventory. Idempotent; live holds keep their prices. */
  async configure(config: InventoryConfig): Promise<{ version: number }> {
    if (this.inventory && !takesDefinition(this.inventory.settings, config)) return { version: this.inventory.version };
    this.snapshots.clear();
    if (this.inventory && !changesSplit(this.inventory.settings, config)) this.inventory.reconfigure(config);
    else this.inventory = new Inventory(config, { newHoldId: holdIds(config), archive: this.storage });
    // Stored as the room keeps it: with its own kills, which the edge's definition does not carry.
    this.storage.saveConfig(this.inventory.settings);
    this.waitlist.attach(this.inventory);
    this.queue.configure(config);
    await this.commit();
    return { version: this.inventory.version };
  }

  /** `admitted`: the edge verified a waiting-room access token for this event. */
  async hold(
    request: HoldRequest & { admitted?: boolean; admission?: Admission },
  ): Promise<Result<Hold & { version: number }>> {
    const started = Date.now();
    const decided = await this.mutate((inventory, now) => {
      const elsewhere = routeHere(inventory.settings, sectionsOfHold(request));
      if (elsewhere) return elsewhere;
      const queued = this.queue.refusal(inventory.eventId, request, now);
      if (queued) return queued;
      const held = inventory.hold(request, now);
      if (!held.ok) return held;
      this.queue.held(inventory, now);
      return ok({ ...held.value, version: inventory.version });
    });
    return this.decisions.counted(decided, started);
  }

  /** The hold whoever owns it: the edge checks ownership, so that admins may look too. */
  async getHold(holdId: string): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => {
      const hold = inventory.getHold(holdId, now);
      return hold ? ok(hold) : refuse.noSuchHold();
    });
  }

  async extend(holdId: string, userId: string): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => inventory.extend(holdId, userId, now));
  }

  async release(holdId: string, userId: string): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => inventory.release(holdId, userId, now));
  }

  async startCheckout(holdId: string, userId: string): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => inventory.startCheckout(holdId, userId, now));
  }

  async sell(holdId: string): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => {
      const before = inventory.getHold(holdId, now)?.status;
      const result = inventory.sell(holdId, now);
      if (result.ok) this.waitlist.sold(holdId, now);
      if (result.ok && before !== "purchased") this.queue.purchased(now);
      return result;
    });
  }

  /**
   * Money went back (a refund, a cancelled payment, a cancelled event): the one way the edge tells
   * the room, whatever state the hold is in. Returns its seats (or just `units` of a purchased
   * hold). Idempotent.
   */
  async undo(holdId: string, units?: HoldUnit[]): Promise<Result<Hold>> {
    return this.mutate((inventory, now) => inventory.undo(holdId, now, units));
  }

  /** Kills take seats or GA places off sale, and put them back (src/domain/kills.ts); idempotent. */
  async kill(request: Omit<Kill, "createdAt">): Promise<Result<Kill & { version: number }>> {
    return this.mutate((inventory, now) => withVersion(inventory, inventory.kill(request, now)));
  }
  async unkill(killId: string): Promise<Result<Kill & { version: number }>> {
    return this.mutate((inventory, now) => withVersion(inventory, inventory.unkill(killId, now)));
  }

  async seats(sectionId?: string): Promise<Result<SeatsSnapshot>> {
    return this.mutate((inventory, now) => {
      const elsewhere = routeHere(inventory.settings, sectionId === undefined ? [] : [sectionId]);
      if (elsewhere) return elsewhere;
      if (sectionId !== undefined && !inventory.hasSection(sectionId)) {
        return refuse.unknownSection(sectionId);
      }
      const sections = inventory.sectionsView(now, sectionId);
      return ok({ eventId: inventory.eventId, version: inventory.version, sections });
    });
  }

  /**
   * The seat map as the JSON body of GET …/seats, serialized once per change and shared by every
   * reader (the edge returns these bytes as they are).
   */
  async seatsJson(sectionId?: string): Promise<Result<{ version: number; body: string }>> {
    return this.mutate((inventory, now) => {
      const elsewhere = routeHere(inventory.settings, sectionId === undefined ? [] : [sectionId]);
      if (elsewhere) return elsewhere;
      if (sectionId !== undefined && !inventory.hasSection(sectionId)) {
        return refuse.unknownSection(sectionId);
      }
      const body = this.snapshots.seatsJson(inventory, now, sectionId);
      return ok({ version: inventory.version, body });
    });
  }

  /** The edge's copy of the taken stock (src/http/edge-refusals.ts); the venue's sections when it has none. */
  async edgeCopy(withSections: boolean): Promise<Result<{ copy: TakenCopy; sections?: SectionDef[] }>> {
    return this.mutate((inventory, now) => {
      const copy = inventory.takenCopy(now, !this.queue.active);
      return (
        routeHere(inventory.settings, []) ??
        ok(withSections ? { copy, sections: inventory.settings.sections } : { copy })
      );
    });
  }

  /** The live counts, the waitlist's, and the room's own decision metrics (src/rooms/decision-metrics.ts). */
  async stats(): Promise<Result<RoomStats>> {
    return this.mutate(
      (inventory, now) =>
        routeHere(inventory.settings, []) ??
        ok({
          ...inventory.stats(now),
          version: inventory.version,
          holdsLastMinute: this.decisions.grantedLastMinute(),
          waitlist: this.waitlist.stats(),
          ...this.decisions.of(),
        }),
    );
  }

  /** The dynamic price steps taken, newest last, each with its inputs. */
  async priceSteps(): Promise<Result<LoggedStep[]>> {
    return this.mutate((inventory) => ok(inventory.priceLog()));
  }
  // ---------------------------------------------------------------- waitlist (src/rooms/waitlist-room.ts)

  async joinWaitlist(request: WaitlistJoin): Promise<Result<WaitlistView & { created: boolean }>> {
    return this.mutate((inventory, now) => this.waitlist.join(inventory, request, now));
  }

  async waitlistEntry(userId: string): Promise<Result<WaitlistView>> {
    return this.mutate((inventory, now) => this.waitlist.me(inventory, userId, now));
  }

  async leaveWaitlist(userId: string): Promise<Result<WaitlistView>> {
    return this.mutate((inventory, now) => this.waitlist.leave(inventory, userId, now));
  }

  // ---------------------------------------------------------------- waiting room

  /** A queue shard's whole histogram (idempotent); shards send it about once a second. */
  async reportQueue(shard: number, entries: Array<[number, number]>): Promise<void> {
    if (this.queue.report(shard, entries)) await this.commit();
  }

  /** The status document the edge caches for about a second and answers every poll from. */
  async queueStatus(): Promise<Result<QueueStatus>> {
    this.statusRequests++;
    return this.mutate((inventory, now) => this.queue.status(inventory, now));
  }

  /** bench:soak only (BENCH_ROUTES=on): src/rooms/bench-soak.ts. */
  async soakForBench(sectionId: string, count: number): Promise<{ version: number; holds: number; keys: number }> {
    const inventory = this.inventory;
    if (!settingsFrom(this.env).benchRoutes || !inventory) throw new Error("bench routes are off");
    const advance = (ms: number) => {
      this.clockSkewMs += ms;
    };
    return soakHolds({ mutate: this.mutate.bind(this), advance }, inventory, sectionId, count);
  }

  /** bench:soak only: drops the room's memory, as an eviction or a deploy would. */
  async restartForBench(): Promise<void> {
    if (!settingsFrom(this.env).benchRoutes) throw new Error("bench routes are off");
    this.ctx.abort("bench:soak restart");
  }

  /** A round trip that does nothing: the benchmark's ceiling for one RPC to one room. */
  async ping(): Promise<number> {
    return this.inventory?.version ?? 0;
  }

  // ---------------------------------------------------------------- live seat map

  /** Only for handing over a WebSocket: the live seat map subscription. */
  override async fetch(request: Request): Promise<Response> {
    if (!this.inventory) return refusalResponse(refuse.noSuchEvent());
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return refusalResponse(refuse.upgradeRequired());
    }
    // The edge sets this header (and strips any a client sent) after checking the access token.
    if (this.queue.active && request.headers.get(ADMITTED_HEADER) !== "1") {
      return refusalResponse(refuse.queueRequired(this.inventory.eventId));
    }
    // The snapshot is taken after the commit, in the same turn as the accept: every change it
    // does not show reaches this socket as a delta.
    const sections = selectionFrom(new URL(request.url).searchParams.get("sections"));
    const elsewhere = wrongRoomResponse(this.inventory.settings, sections);
    if (elsewhere) return elsewhere;
    const unknown = [...(sections ?? [])].filter((id) => !this.inventory?.hasSection(id));
    if (unknown.length > 0) return refusalResponse(refuse.unknownSelection(unknown));
    return this.live.accept(this.snapshot(sections), sections);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const inventory = this.inventory;
    if (!inventory) return;
    await this.commit();
    this.live.receive(ws, message, inventory.version, (sections) => this.snapshot(sections));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, "error");
    } catch {
      // Already closed.
    }
  }

  // ---------------------------------------------------------------- alarm

  override async alarm(): Promise<void> {
    this.armedAt = null;
    const inventory = this.inventory;
    if (!inventory) return;
    const now = this.now();
    inventory.expireDue(now);
    inventory.stepPrices(now, this.queue.waiting);
    this.queue.tick(inventory, now);
    await this.commit();
  }

  // ---------------------------------------------------------------- test hooks

  /** Moves this instance's clock; used by tests in place of sleeping. Not persisted. */
  skewClockForTests(ms: number): void {
    this.clockSkewMs = ms;
  }

  // ---------------------------------------------------------------- internals

  private snapshot(sections?: Selection): string {
    return this.snapshots.snapshotMessage(this.inventory!, this.now(), sections);
  }

  private now(): number {
    return Date.now() + this.clockSkewMs;
  }

  /**
   * Runs one decision against memory, then waits for the group commit that carries it. Reads wait
   * too: what they saw may still be in the batch being written, and a reply must never promise
   * state that a crash could take back. A read may also expire holds that are due.
   */
  private async mutate<T>(decide: (inventory: Inventory, now: number) => Result<T>): Promise<Result<T>> {
    const inventory = this.inventory;
    if (!inventory) return notConfigured();
    const now = this.now();
    const version = inventory.version;
    inventory.stepPrices(now, this.queue.waiting); // a due price step first: a hold pays the price shown now
    const result = decide(inventory, now);
    // A refusal that changed nothing promises nothing: it need not wait for a commit. (On a hot
    // on-sale most answers are refusals; the output gate still holds it behind any issued write.)
    if (!result.ok && inventory.version === version) return result;
    await this.commit();
    return result;
  }

  private commit(): Promise<void> {
    return this.committer.commit().then(() => this.inventory && this.waitlist.committed(this.inventory));
  }

  /** Writes what changed and re-arms the alarm; runs inside the group commit. */
  private flush(): void {
    const inventory = this.inventory;
    if (!inventory) return;
    // Before draining: counting what is free expires due holds, and those changes belong here.
    const now = this.now();
    this.waitlist.beforeFlush(inventory, now);
    const soldOut = inventory.available(now) === 0;
    const dirty = inventory.drainDirty();
    if (dirty) this.storage.write(dirty);
    this.storage.prune(now);
    const queueTick = this.queue.flush(this.storage, now, soldOut);
    this.live.publish(inventory.drainSteps());
    const next = earliest(inventory.nextDeadline(), queueTick);
    if (next !== this.armedAt) {
      this.armedAt = next;
      const armed = next === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(next);
      armed.catch(() => this.ctx.abort("could not arm the alarm"));
    }
  }
}
