import { and, eq, sql } from "drizzle-orm";
import type { VenueCreate, VenuePatch } from "../contract/requests";
import { randomId } from "../domain/ids";
import type { SectionDef } from "../domain/types";
import { chunkRows } from "./batching";
import type { Database } from "./client";
import { events, sections, venues } from "./schema";

export type VenueRow = typeof venues.$inferSelect;
export type SectionRow = typeof sections.$inferSelect;

export interface VenueWithSections extends VenueRow {
  sections: SectionDef[];
}

export function sectionDef(row: SectionRow): SectionDef {
  return row.kind === "seated"
    ? { id: row.id, name: row.name, kind: "seated", rows: JSON.parse(row.rowsJson) }
    : { id: row.id, name: row.name, kind: "ga", capacity: row.capacity };
}

export async function createVenue(db: Database, organizerId: string, input: VenueCreate): Promise<VenueWithSections> {
  const venue: VenueRow = {
    id: randomId("ven"),
    organizerId,
    name: input.name,
    city: input.city,
    country: input.country,
    timezone: input.timezone,
    address: input.address ?? null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    createdAt: Date.now(),
  };
  const rows = sectionRows(venue.id, input.sections);
  const inserts = chunkRows(rows, 7).map((part) => db.insert(sections).values(part));
  await db.batch([db.insert(venues).values(venue), ...inserts]);
  return { ...venue, sections: rows.map(sectionDef) };
}

function sectionRows(venueId: string, input: VenueCreate["sections"]): SectionRow[] {
  return input.map((s, position) => ({
    venueId,
    id: s.id,
    position,
    name: s.name,
    kind: s.kind,
    capacity: s.kind === "seated" ? s.rows.reduce((n, r) => n + r.seats - (r.blocked?.length ?? 0), 0) : s.capacity,
    rowsJson: s.kind === "seated" ? JSON.stringify(s.rows) : "[]",
  }));
}

/** Whether any event (a draft included) is set at the venue: its sections are then fixed. */
export async function venueHasEvents(db: Database, venueId: string): Promise<boolean> {
  const [row] = await db.select({ id: events.id }).from(events).where(eq(events.venueId, venueId)).limit(1);
  return row !== undefined;
}

/**
 * Stores a venue's edit. Its sections are replaced only while no event is set there (checked again
 * inside the batch, so an event created meanwhile keeps the map it was priced for: false, nothing
 * written).
 */
export async function updateVenue(db: Database, venue: VenueWithSections, patch: VenuePatch): Promise<boolean> {
  const { sections: sectionInput, ...fields } = patch;
  const noEvents = sql`not exists (select 1 from ${events} where ${events.venueId} = ${venue.id})`;
  const statements = [];
  if (sectionInput) {
    statements.push(db.delete(sections).where(and(eq(sections.venueId, venue.id), noEvents)));
    for (const r of sectionRows(venue.id, sectionInput)) {
      const values = sql`select ${r.venueId}, ${r.id}, ${r.position}, ${r.name}, ${r.kind}, ${r.capacity}, ${r.rowsJson}`;
      statements.push(db.insert(sections).select(sql`${values} where ${noEvents}`));
    }
  }
  const guard = sectionInput ? and(eq(venues.id, venue.id), noEvents) : eq(venues.id, venue.id);
  // The id set to itself: an edit of the sections alone still has a row to match (and to return).
  const update = db
    .update(venues)
    .set({ id: venue.id, ...fields })
    .where(guard)
    .returning({ id: venues.id });
  const [updated] = await db.batch([update, ...statements]);
  return updated.length === 1;
}

export async function findVenue(db: Database, venueId: string): Promise<VenueWithSections | undefined> {
  const [venue, rows] = await db.batch([
    db.select().from(venues).where(eq(venues.id, venueId)),
    db.select().from(sections).where(eq(sections.venueId, venueId)).orderBy(sections.position),
  ]);
  const row = venue[0];
  return row && { ...row, sections: rows.map(sectionDef) };
}
