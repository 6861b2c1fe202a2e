import { and, asc, count, eq, exists, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { CatalogQuery } from "../contract/requests";
import type { Database } from "./client";
import { bundlesFor, type EventBundle } from "./events";
import { events, venues } from "./schema";

/** Published (and paused) events matching the catalog filters, soonest first. */
export async function searchEvents(
  db: Database,
  query: CatalogQuery,
): Promise<{ bundles: EventBundle[]; total: number }> {
  const conditions: SQL[] = [inArray(events.state, ["published", "paused"])];
  if (query.q) {
    for (const word of query.q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
      // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes, and a word needs no escaping.
      conditions.push(sql`instr(${events.searchText}, ${word}) > 0`);
    }
  }
  if (query.category) conditions.push(eq(events.category, query.category));
  if (query.city) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(venues)
          .where(and(eq(venues.id, events.venueId), sql`lower(${venues.city}) = ${query.city.toLowerCase()}`)),
      ),
    );
  }
  if (query.from !== undefined) conditions.push(gte(events.startsAt, query.from));
  if (query.to !== undefined) conditions.push(lte(events.startsAt, query.to));
  if (query.maxPriceCents !== undefined) conditions.push(lte(events.minPriceCents, query.maxPriceCents));
  const where = and(...conditions);
  const [rows, totals] = await db.batch([
    db
      .select()
      .from(events)
      .where(where)
      .orderBy(asc(events.startsAt), asc(events.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ total: count() }).from(events).where(where),
  ]);
  return { bundles: await bundlesFor(db, rows), total: totals[0]?.total ?? 0 };
}
