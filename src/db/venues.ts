import { eq } from "drizzle-orm";
import type { VenueCreate } from "../contract/requests";
import { randomId } from "../domain/ids";
import type { SectionDef } from "../domain/types";
import { chunkRows } from "./batching";
import type { Database } from "./client";
import { sections, venues } from "./schema";

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
    createdAt: Date.now(),
  };
  const rows: SectionRow[] = input.sections.map((s, position) => ({
    venueId: venue.id,
    id: s.id,
    position,
    name: s.name,
    kind: s.kind,
    capacity: s.kind === "seated" ? s.rows.reduce((n, r) => n + r.seats - (r.blocked?.length ?? 0), 0) : s.capacity,
    rowsJson: s.kind === "seated" ? JSON.stringify(s.rows) : "[]",
  }));
  const inserts = chunkRows(rows, 7).map((part) => db.insert(sections).values(part));
  await db.batch([db.insert(venues).values(venue), ...inserts]);
  return { ...venue, sections: rows.map(sectionDef) };
}

export async function findVenue(db: Database, venueId: string): Promise<VenueWithSections | undefined> {
  const [venue, rows] = await db.batch([
    db.select().from(venues).where(eq(venues.id, venueId)),
    db.select().from(sections).where(eq(sections.venueId, venueId)).orderBy(sections.position),
  ]);
  const row = venue[0];
  return row && { ...row, sections: rows.map(sectionDef) };
}
