import type { Inventory } from "../domain/inventory";
import { refuse } from "../domain/refusals";
import type { Result } from "../domain/result";
import { ok } from "../domain/result";
import type { InventoryConfig } from "../domain/types";
import { QueueDesk, type QueueStatus, type StoredDesk } from "../domain/waiting-room/desk";
import { type Admission, Admissions } from "./admissions";
import { queueSettings } from "./room-settings";
import type { RoomStorage } from "./room-storage";

/**
 * The event's waiting room inside its room: the desk that admits the queue (src/domain/waiting-room),
 * which account each admission serves, and what of it must reach storage at the next flush.
 * The room calls it at each point of its own life: configure, hold, sale, alarm, flush.
 */
export class RoomQueue {
  private desk: QueueDesk | undefined;
  private dirty = false;
  private readonly admissions: Admissions;

  constructor(kv: SyncKvStorage) {
    this.admissions = new Admissions(kv);
  }

  /** After a restart: the queue as storage kept it. */
  restore(config: InventoryConfig, stored: StoredDesk | undefined): void {
    this.desk = new QueueDesk(queueSettings(config), stored);
  }

  /** A new or changed definition: the queue that stands keeps its places. */
  configure(config: InventoryConfig): void {
    if (this.desk) this.desk.reconfigure(queueSettings(config));
    else this.desk = new QueueDesk(queueSettings(config));
    this.dirty = true;
  }

  /** Fans waiting to be admitted (dynamic prices count them as demand). */
  get waiting(): number {
    return this.desk?.waitingCount() ?? 0;
  }

  get active(): boolean {
    return this.desk?.isActive() ?? false;
  }

  /** Whether this hold may be decided at all: admitted through the queue, and by its own account. */
  refusal(
    eventId: string,
    request: { admitted?: boolean; admission?: Admission; userId: string },
    now: number,
  ): Result<never> | undefined {
    if (!this.desk?.isActive()) return undefined;
    if (!request.admitted) return refuse.queueRequired(eventId);
    // One admission serves one account: a shared access token lets no second account in.
    if (request.admission && !this.admissions.claim(request.admission, request.userId, now)) {
      return refuse.admissionOfAnother(eventId);
    }
    return undefined;
  }

  /** After a granted hold: an `auto` queue checks whether the crowd now calls for it. */
  held(inventory: Inventory, now: number): void {
    if (!this.desk?.shouldCheckAuto(now)) return;
    this.desk.tick(now, inventory.available(now) === 0, inventory.holders(now));
    this.dirty = true;
  }

  /** A hold became a sale for the first time: the admission rate follows purchases. */
  purchased(now: number): void {
    if (!this.desk) return;
    this.desk.recordPurchase(now);
    this.dirty = true;
  }

  /** A queue shard's whole histogram (idempotent); false when the event has no queue yet. */
  report(shard: number, entries: Array<[number, number]>): boolean {
    if (!this.desk) return false;
    this.desk.report(shard, entries);
    this.dirty = true;
    return true;
  }

  status(inventory: Inventory, now: number): Result<QueueStatus> {
    if (!this.desk) return refuse.noSuchEvent();
    const selling = inventory.settings.state === "published" && now < inventory.settings.salesEndAt;
    return ok(this.desk.status(inventory.eventId, now, inventory.available(now) === 0, selling));
  }

  /** The alarm's turn: admits the next group and re-decides an `auto` queue. */
  tick(inventory: Inventory, now: number): void {
    if (!this.desk || this.desk.mode === "off") return;
    const holders = this.desk.mode === "auto" ? inventory.holders(now) : 0;
    this.desk.tick(now, inventory.available(now) === 0, holders);
    this.dirty = true;
  }

  /** Inside the group commit: what changed goes to storage; the next tick the alarm must stand at. */
  flush(storage: RoomStorage, now: number, soldOut: boolean): number | undefined {
    if (this.desk && this.dirty) {
      storage.saveQueue(this.desk.drainChanges());
      this.dirty = false;
    }
    return this.desk?.nextTick(now, soldOut);
  }
}
