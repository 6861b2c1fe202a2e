import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { PricingSettings } from "../contract/pricing-requests";
import { type EventCreate, RoomsInput } from "../contract/requests";
import { randomId } from "../domain/ids";
import { type EventPricing, eventFromPrice } from "../domain/pricing-event";
import { planOf, type RoomPlan, type RoomsOption } from "../domain/room-split";
import type { InventoryConfig, SectionDef } from "../domain/types";
import { chunkRows } from "./batching";
import type { Database } from "./client";
import { eventAvailability, events, generations, presales, prices, sections, venues } from "./schema";
import { sectionDef, type VenueRow, type VenueWithSections } from "./venues";

export type EventRow = typeof events.$inferSelect;
export type PresaleRow = typeof presales.$inferSelect;

/** An event with everything shown about it or needed to sell it. */
export interface EventBundle {
  event: EventRow;
  venue: VenueRow;
  sections: SectionDef[];
  prices: Record<string, number>;
  /** Ticket types, fees, tax and dynamic bounds as set; none of them: section prices only. */
  pricing: PricingSettings;
  presales: PresaleRow[];
  /** What the room last pushed of its availability (none yet: never sold from). */
  availability?: EventAvailability | undefined;
}

export type AvailabilityLevel = "high" | "low" | "sold_out";

export interface EventAvailability {
  level: AvailabilityLevel;
  soldOut: boolean;
  sections: Record<string, AvailabilityLevel>;
}

function availabilityOf(row: typeof eventAvailability.$inferSelect | undefined): EventAvailability | undefined {
  if (!row) return undefined;
  const sections: Record<string, AvailabilityLevel> = {};
  for (const s of JSON.parse(row.sectionsJson) as Array<{ id: string; level: AvailabilityLevel }>)
    sections[s.id] = s.level;
  return { level: row.level, soldOut: row.soldOut === 1, sections };
}

export type EventFields = Omit<EventCreate, "venueId" | "publish" | "orgId">;

const searchTextOf = (title: string, artist: string | null | undefined, venue: VenueRow): string =>
  [title, artist ?? "", venue.name, venue.city].join(" ").toLowerCase();

/** The pricing the room and the catalog read: the section prices and what the organizer set. */
export function eventPricing(prices: Record<string, number>, pricing: PricingSettings): EventPricing {
  return {
    prices,
    ...(pricing.ticketTypes && { ticketTypes: pricing.ticketTypes }),
    ...(pricing.fees && { fees: pricing.fees }),
    ...(pricing.tax && { tax: pricing.tax }),
  };
}

/** The catalog's "from": the cheapest single ticket, all-in. */
const minPrice = (prices: Record<string, number>, pricing: PricingSettings): number =>
  eventFromPrice(eventPricing(prices, pricing), Object.keys(prices));

const pricingOf = (input: Partial<PricingSettings>): PricingSettings => ({
  ...(input.ticketTypes && { ticketTypes: input.ticketTypes }),
  ...(input.fees && { fees: input.fees }),
  ...(input.tax && { tax: input.tax }),
  ...(input.dynamic && { dynamic: input.dynamic }),
});

/** An edit's pricing over the stored one: a field sent replaces it (`tax: null` removes the tax). */
function editedPricing(stored: PricingSettings, fields: Partial<PricingSettings>): PricingSettings {
  const next: PricingSettings = { ...stored };
  if (fields.ticketTypes) next.ticketTypes = fields.ticketTypes;
  if (fields.fees) next.fees = fields.fees;
  if (fields.tax !== undefined) {
    if (fields.tax === null) delete next.tax;
    else next.tax = fields.tax;
  }
  if (fields.dynamic) next.dynamic = fields.dynamic;
  return next;
}

function presaleRows(eventId: string, input: EventFields["presales"]): PresaleRow[] {
  return input.map((p) => ({ id: randomId("pre"), eventId, ...p }));
}

export async function createEvent(
  db: Database,
  organizerId: string,
  venue: VenueWithSections,
  input: EventCreate,
): Promise<string> {
  const now = Date.now();
  const id = randomId("evt");
  const row: EventRow = {
    id,
    organizerId,
    venueId: venue.id,
    title: input.title,
    category: input.category,
    artist: input.artist ?? null,
    startsAt: input.startsAt,
    onSaleAt: input.onSaleAt,
    salesEndAt: input.salesEndAt ?? null,
    currency: input.currency,
    holdSeconds: input.holdSeconds,
    extensions: input.extensions,
    paymentGraceSeconds: input.paymentGraceSeconds,
    perOrder: input.limits.perOrder,
    perUser: input.limits.perUser,
    waitingRoomMode: input.waitingRoom.mode,
    admitPerMinute: input.waitingRoom.admitPerMinute ?? 600,
    maxActive: input.waitingRoom.maxActive ?? 2000,
    prequeueMinutes: input.waitingRoom.prequeueMinutes ?? 15,
    accessMinutes: input.waitingRoom.accessMinutes ?? 10,
    waitlistOfferMinutes: input.waitlistOfferMinutes,
    roomsJson: roomsJsonOf(input.rooms),
    description: input.description || null,
    doorsAt: input.doorsAt ?? null,
    endsAt: input.endsAt ?? null,
    ageRule: input.ageRule ?? null,
    imageKey: null,
    orgId: input.orgId ?? null,
    state: "draft",
    searchText: searchTextOf(input.title, input.artist, venue),
    minPriceCents: minPrice(input.prices, pricingOf(input)),
    pricingJson: JSON.stringify(pricingOf(input)),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const presaleInserts = presaleStatements(db, presaleRows(id, input.presales));
  await db.batch([
    db.insert(events).values(row),
    ...priceInserts(db, id, input.prices),
    ...presaleInserts,
    bumpCatalog(db),
  ]);
  return id;
}

const presaleStatements = (db: Database, rows: PresaleRow[]) =>
  chunkRows(rows, 6).map((part) => db.insert(presales).values(part));

function priceInserts(db: Database, eventId: string, p: Record<string, number>) {
  const rows = Object.entries(p).map(([sectionId, priceCents]) => ({ eventId, sectionId, priceCents }));
  return chunkRows(rows, 3).map((part) => db.insert(prices).values(part));
}

/** The event as an organizer's edit would leave it (not yet validated as a whole, not stored). */
export function editedEvent(bundle: EventBundle, fields: Partial<EventFields>, state: EventRow["state"]): EventBundle {
  const e = bundle.event;
  const title = fields.title ?? e.title;
  const artist = fields.artist !== undefined ? fields.artist : e.artist;
  const waitingRoom = fields.waitingRoom;
  const prices = fields.prices ?? bundle.prices;
  const pricing = editedPricing(bundle.pricing, fields);
  return {
    ...bundle,
    event: {
      ...e,
      title,
      category: fields.category ?? e.category,
      artist,
      startsAt: fields.startsAt ?? e.startsAt,
      onSaleAt: fields.onSaleAt ?? e.onSaleAt,
      salesEndAt: fields.salesEndAt ?? e.salesEndAt,
      currency: fields.currency ?? e.currency,
      holdSeconds: fields.holdSeconds ?? e.holdSeconds,
      extensions: fields.extensions ?? e.extensions,
      paymentGraceSeconds: fields.paymentGraceSeconds ?? e.paymentGraceSeconds,
      perOrder: fields.limits?.perOrder ?? e.perOrder,
      perUser: fields.limits?.perUser ?? e.perUser,
      waitingRoomMode: waitingRoom?.mode ?? e.waitingRoomMode,
      admitPerMinute: waitingRoom?.admitPerMinute ?? e.admitPerMinute,
      maxActive: waitingRoom?.maxActive ?? e.maxActive,
      prequeueMinutes: waitingRoom?.prequeueMinutes ?? e.prequeueMinutes,
      accessMinutes: waitingRoom?.accessMinutes ?? e.accessMinutes,
      waitlistOfferMinutes: fields.waitlistOfferMinutes ?? e.waitlistOfferMinutes,
      roomsJson: fields.rooms !== undefined ? roomsJsonOf(fields.rooms) : e.roomsJson,
      description: fields.description !== undefined ? fields.description || null : e.description,
      doorsAt: fields.doorsAt !== undefined ? fields.doorsAt : e.doorsAt,
      endsAt: fields.endsAt !== undefined ? fields.endsAt : e.endsAt,
      ageRule: fields.ageRule !== undefined ? fields.ageRule : e.ageRule,
      state,
      searchText: searchTextOf(title, artist, bundle.venue),
      minPriceCents: minPrice(prices, pricing),
      pricingJson: JSON.stringify(pricing),
      updatedAt: Date.now(),
    },
    prices,
    pricing,
    presales: fields.presales ? presaleRows(e.id, fields.presales) : bundle.presales,
  };
}

/**
 * Stores an edited event (see `editedEvent`): its row, and its prices and presales when they changed,
 * as one compare-and-set on the version it was read at. Nothing is written (false) when the event
 * moved on meanwhile, or when it was cancelled and this is not a cancel: a cancel is never undone.
 */
export async function saveEvent(db: Database, edited: EventBundle, fields: Partial<EventFields>): Promise<boolean> {
  const e = edited.event;
  const readAt = e.version;
  const next = readAt + 1;
  const guard = [eq(events.id, e.id), eq(events.version, readAt)];
  if (e.state !== "cancelled") guard.push(ne(events.state, "cancelled"));
  // Every later statement runs only if the guarded update above it took: the batch is one transaction.
  const took = sql`exists (select 1 from ${events} where ${events.id} = ${e.id} and ${events.version} = ${next})`;
  const statements = [];
  if (fields.prices) {
    statements.push(db.delete(prices).where(and(eq(prices.eventId, e.id), took)));
    for (const [sectionId, cents] of Object.entries(edited.prices)) {
      statements.push(db.insert(prices).select(sql`select ${e.id}, ${sectionId}, ${cents} where ${took}`));
    }
  }
  if (fields.presales) {
    statements.push(db.delete(presales).where(and(eq(presales.eventId, e.id), took)));
    for (const p of edited.presales) {
      const values = sql`select ${p.id}, ${p.eventId}, ${p.name}, ${p.code}, ${p.startsAt}, ${p.endsAt}`;
      statements.push(db.insert(presales).select(sql`${values} where ${took}`));
    }
  }
  const [updated] = await db.batch([
    db
      .update(events)
      .set({ ...e, version: next })
      .where(and(...guard))
      .returning({ version: events.version }),
    ...statements,
    bumpCatalog(db),
  ]);
  return updated.length === 1;
}

export async function findEventBundle(db: Database, eventId: string): Promise<EventBundle | undefined> {
  const [bundle] = await bundlesFor(db, await db.select().from(events).where(eq(events.id, eventId)));
  return bundle;
}

/** After a venue's edit: its events' search text names it as it is now, and the catalog's caches move on. */
export async function reindexVenueEvents(db: Database, venue: VenueRow): Promise<void> {
  const rows = await db
    .select({ id: events.id, title: events.title, artist: events.artist })
    .from(events)
    .where(eq(events.venueId, venue.id));
  const updates = rows.map((r) =>
    db
      .update(events)
      .set({ searchText: searchTextOf(r.title, r.artist, venue) })
      .where(eq(events.id, r.id)),
  );
  await db.batch([bumpCatalog(db), ...updates]);
}

/** The state of one event (`undefined` if there is none): check-in asks it for every scan. */
export async function eventState(db: Database, eventId: string): Promise<EventRow["state"] | undefined> {
  const [row] = await db.select({ state: events.state }).from(events).where(eq(events.id, eventId));
  return row?.state;
}

/** Loads what belongs to some events; IN lists stay under D1's 100 bound parameters. */
export async function bundlesFor(db: Database, rows: EventRow[]): Promise<EventBundle[]> {
  if (rows.length === 0) return [];
  const eventIds = rows.map((r) => r.id);
  const venueIds = [...new Set(rows.map((r) => r.venueId))];
  const venueRows: (typeof venues.$inferSelect)[] = [];
  const sectionRows: (typeof sections.$inferSelect)[] = [];
  const priceRows: (typeof prices.$inferSelect)[] = [];
  const presaleRowsFound: (typeof presales.$inferSelect)[] = [];
  const availabilityRows: (typeof eventAvailability.$inferSelect)[] = [];
  for (const ids of chunkRows(venueIds, 1)) {
    const [v, s] = await db.batch([
      db.select().from(venues).where(inArray(venues.id, ids)),
      db.select().from(sections).where(inArray(sections.venueId, ids)).orderBy(sections.position),
    ]);
    venueRows.push(...v);
    sectionRows.push(...s);
  }
  for (const ids of chunkRows(eventIds, 1)) {
    const [p, s, a] = await db.batch([
      db.select().from(prices).where(inArray(prices.eventId, ids)),
      db.select().from(presales).where(inArray(presales.eventId, ids)).orderBy(presales.startsAt),
      db.select().from(eventAvailability).where(inArray(eventAvailability.eventId, ids)),
    ]);
    priceRows.push(...p);
    presaleRowsFound.push(...s);
    availabilityRows.push(...a);
  }
  return rows.flatMap((event) => {
    const venue = venueRows.find((v) => v.id === event.venueId);
    if (!venue) return [];
    const p: Record<string, number> = {};
    for (const row of priceRows) if (row.eventId === event.id) p[row.sectionId] = row.priceCents;
    return [
      {
        event,
        venue,
        sections: sectionRows.filter((s) => s.venueId === venue.id).map(sectionDef),
        prices: p,
        pricing: JSON.parse(event.pricingJson) as PricingSettings,
        presales: presaleRowsFound.filter((s) => s.eventId === event.id),
        availability: availabilityOf(availabilityRows.find((a) => a.eventId === event.id)),
      },
    ];
  });
}

/** The organizer's events (all with `undefined`: an admin), and those of the organizations `orgIds`. */
export async function organizerEvents(
  db: Database,
  organizerId: string | undefined,
  orgIds: string[] = [],
): Promise<EventBundle[]> {
  const base = db.select().from(events);
  const mine = organizerId && eq(events.organizerId, organizerId);
  const where = mine && orgIds.length ? or(mine, inArray(events.orgId, orgIds.slice(0, 90))) : mine;
  const rows = await (where ? base.where(where) : base).orderBy(asc(events.startsAt)).limit(200);
  return bundlesFor(db, rows);
}

/** What the EventRoom needs to sell this event. */
export function inventoryConfig(bundle: EventBundle): InventoryConfig {
  const e = bundle.event;
  return {
    eventId: e.id,
    currency: e.currency,
    sections: bundle.sections,
    holdSeconds: e.holdSeconds,
    extensions: e.extensions,
    paymentGraceSeconds: e.paymentGraceSeconds,
    limits: { perOrder: e.perOrder, perUser: e.perUser },
    onSaleAt: e.onSaleAt,
    salesEndAt: e.salesEndAt ?? e.startsAt,
    startsAt: e.startsAt,
    state: e.state,
    definitionVersion: e.version,
    presales: bundle.presales.map((p) => ({ name: p.name, code: p.code, startsAt: p.startsAt, endsAt: p.endsAt })),
    waitingRoom: waitingRoomOf(e),
    waitlistOfferMinutes: e.waitlistOfferMinutes,
    ...eventPricing(bundle.prices, bundle.pricing),
    ...(bundle.pricing.dynamic &&
      Object.keys(bundle.pricing.dynamic).length > 0 && { dynamic: bundle.pricing.dynamic }),
  };
}

/** `"event"` (the default) is stored as null, so that every event from before the option reads as it. */
const roomsJsonOf = (rooms: RoomsOption): string | null => (rooms === "event" ? null : JSON.stringify(rooms));

/** The event's split into rooms, as stored (src/domain/room-split.ts). */
export function roomsOf(e: EventRow): RoomsOption {
  if (e.roomsJson === null) return "event";
  const parsed = RoomsInput.safeParse(JSON.parse(e.roomsJson));
  return parsed.success ? parsed.data : "event";
}

/** The event's plan of rooms for its venue's sections (`null`: one room). */
export const roomPlanOf = (bundle: EventBundle): RoomPlan =>
  planOf(
    roomsOf(bundle.event),
    bundle.sections.map((s) => s.id),
  );

export function waitingRoomOf(e: EventRow) {
  return {
    mode: e.waitingRoomMode,
    admitPerMinute: e.admitPerMinute,
    maxActive: e.maxActive,
    prequeueMinutes: e.prequeueMinutes,
    accessMinutes: e.accessMinutes,
  };
}

// ------------------------------------------------------------------ catalog cache generation

export const bumpCatalog = (db: Database) =>
  db
    .insert(generations)
    .values({ name: "catalog", value: 1 })
    .onConflictDoUpdate({ target: generations.name, set: { value: sql`${generations.value} + 1` } });

export async function catalogGeneration(db: Database): Promise<number> {
  const [row] = await db.select({ value: generations.value }).from(generations).where(eq(generations.name, "catalog"));
  return row?.value ?? 0;
}
