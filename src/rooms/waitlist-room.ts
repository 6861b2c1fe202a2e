import { sql } from "drizzle-orm";
import { database } from "../db/client";
import { eventAvailability } from "../db/schema";
import { randomId } from "../domain/ids";
import type { Inventory } from "../domain/inventory";
import { refuse } from "../domain/refusals";
import { ok, type Result } from "../domain/result";
import type { HoldItem } from "../domain/types";
import { Waitlist, type WaitlistCounters, type WaitlistEntry, type WaitlistStatus } from "../domain/waitlist";
import { enqueue } from "../notify/enqueue";
import { SqlWaitlistStore } from "./waitlist-store";

export interface WaitlistView {
  waitlistId: string;
  eventId: string;
  sectionId: string | null;
  quantity: number;
  status: WaitlistStatus;
  position: number;
  joinedAt: string;
  offer?: { holdId: string; expiresAt: string; items: HoldItem[]; totalCents: number; currency: string };
}

export interface WaitlistJoin {
  userId: string;
  sectionId: string | null;
  quantity: number;
  email?: string;
}

export type WaitlistStats = WaitlistCounters & { waiting: number; lengths: Record<string, number> };

export type AvailabilityLevel = "high" | "low" | "sold_out";

/** "low" from this share of a section's capacity (and at most LOW_ABSOLUTE places) down. */
const LOW_SHARE = 0.1;
const LOW_ABSOLUTE = 20;

export function levelOf(available: number, capacity: number): AvailabilityLevel {
  if (available <= 0) return "sold_out";
  return available <= Math.max(1, Math.min(LOW_ABSOLUTE, Math.ceil(capacity * LOW_SHARE))) ? "low" : "high";
}

function capacityOf(inventory: Inventory, sectionId: string): number {
  const section = inventory.settings.sections.find((s) => s.id === sectionId);
  if (!section) return 0;
  if (section.kind === "ga") return section.capacity ?? 0;
  return (section.rows ?? []).reduce((n, row) => n + row.seats - (row.blocked?.length ?? 0), 0);
}

const offerSeconds = (inventory: Inventory): number => (inventory.settings.waitlistOfferMinutes ?? 15) * 60;

/**
 * The EventRoom's side of the waitlist: the line in the room's SQLite, its hook into the
 * inventory (every expiry pass offers what came back), the offers' notifications once a commit
 * is durable, and the availability levels the catalog shows, pushed to D1 when one changes.
 */
export class RoomWaitlist {
  readonly list: Waitlist;
  private readonly store: SqlWaitlistStore;
  private savedCounters = "";
  private pushedLevels = "";
  private pushing: Promise<void> | undefined;
  private checkedVersion = -1;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {
    this.store = new SqlWaitlistStore(ctx.storage.sql);
    const counters = this.store.loadCounters();
    this.list = new Waitlist(this.store, counters);
    this.savedCounters = JSON.stringify(this.list.counters);
  }

  /** Called whenever the room builds its inventory core. */
  attach(inventory: Inventory): void {
    inventory.setSettleHook((now) => this.list.offerFreed(inventory, now, offerSeconds(inventory)));
  }

  join(inventory: Inventory, request: WaitlistJoin, now: number): Result<WaitlistView & { created: boolean }> {
    if (request.sectionId !== null && !inventory.hasSection(request.sectionId)) {
      return refuse.unknownSection(request.sectionId);
    }
    const { perOrder } = inventory.settings.limits;
    if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > perOrder) {
      return refuse.waitlistQuantity(perOrder);
    }
    if (inventory.settings.state === "cancelled") return refuse.cancelled();
    // An offer this fan handed back is over: settle it, so that they may join again.
    const offer = this.list.get(request.userId)?.offer;
    if (offer) this.list.settle(offer.holdId, inventory.getHold(offer.holdId, now)?.status, now);
    const { entry, created } = this.list.join(request, now, () => randomId("wl"));
    return ok({ ...this.view(inventory, entry, now), created });
  }

  me(inventory: Inventory, userId: string, now: number): Result<WaitlistView> {
    const entry = this.list.get(userId);
    return entry ? ok(this.view(inventory, entry, now)) : refuse.notOnWaitlist();
  }

  leave(inventory: Inventory, userId: string, now: number): Result<WaitlistView> {
    const left = this.list.leave(userId, now);
    if (!left) return refuse.notOnWaitlist();
    // An offer handed back goes to the next in line (the release's expiry pass offers it).
    if (left.holdId) inventory.release(left.holdId, userId, now);
    return ok(this.view(inventory, left.entry, now));
  }

  stats(): WaitlistStats {
    const lengths = this.list.lengths();
    const waiting = Object.values(lengths).reduce((n, x) => n + x, 0);
    return { ...this.list.counters, waiting, lengths };
  }

  /** The room sold a hold (an offer's, perhaps). */
  sold(holdId: string, now: number): void {
    this.list.sold(holdId, now);
  }

  /** At the start of each flush: offer what the last decisions freed, and keep the counters. */
  beforeFlush(inventory: Inventory, now: number): void {
    inventory.expireDue(now);
    const counters = JSON.stringify(this.list.counters);
    if (counters !== this.savedCounters) {
      this.store.saveCounters(this.list.counters);
      this.savedCounters = counters;
    }
  }

  /** After a durable commit: the offers' notifications, and the catalog's availability if it moved. */
  committed(inventory: Inventory): void {
    const eventId = inventory.eventId;
    for (const { entry, offer } of this.list.drainNotices()) {
      const quantity = offer.items.reduce((n, item) => n + item.quantity, 0);
      this.ctx.waitUntil(
        enqueue(this.env, {
          kind: "waitlist_offer",
          eventId,
          userId: entry.userId,
          holdId: offer.holdId,
          expiresAt: offer.expiresAt,
          totalCents: offer.totalCents,
          currency: offer.currency,
          quantity,
          sectionId: entry.sectionId,
          ...(entry.email && { to: entry.email }),
        }),
      );
    }
    this.pushAvailability(inventory);
  }

  private view(inventory: Inventory, entry: WaitlistEntry, now: number): WaitlistView {
    const hold = entry.offer ? inventory.getHold(entry.offer.holdId, now) : undefined;
    const status = this.list.statusOf(entry, hold?.status);
    return {
      waitlistId: entry.waitlistId,
      eventId: inventory.eventId,
      sectionId: entry.sectionId,
      quantity: entry.quantity,
      status,
      position: this.list.position(entry),
      joinedAt: new Date(entry.joinedAt).toISOString(),
      ...(entry.offer &&
        (status === "offered" || status === "claimed") && {
          offer: {
            holdId: entry.offer.holdId,
            expiresAt: new Date(hold?.expiresAt ?? entry.offer.expiresAt).toISOString(),
            items: entry.offer.items,
            totalCents: entry.offer.totalCents,
            currency: entry.offer.currency,
          },
        }),
    };
  }

  /**
   * Writes the sections' levels to D1 when one changed (one small write per change of level, not
   * per hold; the catalog reads them with the event). A newer version always wins.
   */
  private pushAvailability(inventory: Inventory): void {
    // Most commits change nothing a level could show (or nothing at all): one comparison then.
    if (inventory.version === this.checkedVersion) return;
    if (this.pushing) return; // its `finally` looks again
    this.checkedVersion = inventory.version;
    const sections = inventory.sectionIds().map((id) => {
      const available = inventory.availableIn(id);
      return { id, available, level: levelOf(available, capacityOf(inventory, id)) };
    });
    const levels = sections.map((s) => s.level).join(",");
    if (levels === this.pushedLevels) return;
    this.pushedLevels = levels;
    const soldOut = sections.length > 0 && sections.every((s) => s.level === "sold_out");
    const level = soldOut ? "sold_out" : sections.some((s) => s.level === "high") ? "high" : "low";
    const version = inventory.version;
    const row = {
      eventId: inventory.eventId,
      level,
      soldOut: soldOut ? 1 : 0,
      sectionsJson: JSON.stringify(sections.map(({ id, level: l }) => ({ id, level: l }))),
      version,
      updatedAt: Date.now(),
    } as const;
    const db = database(this.env.DB);
    this.pushing = db
      .insert(eventAvailability)
      .values(row)
      .onConflictDoUpdate({
        target: eventAvailability.eventId,
        set: row,
        setWhere: sql`${eventAvailability.version} < excluded.version`,
      })
      .run()
      .then(
        () => undefined,
        () => {
          this.pushedLevels = ""; // try again with the next change
        },
      )
      .finally(() => {
        this.pushing = undefined;
        // A change that came while this push was in flight is pushed now.
        this.pushAvailability(inventory);
      });
    this.ctx.waitUntil(this.pushing);
  }
}
