import { and, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { CatalogQuery, SuggestQuery } from "../contract/requests";
import type { Database } from "./client";
import { bundlesFor, type EventBundle } from "./events";
import { events, venues } from "./schema";

/**
 * The catalog's search. Matching: every word of `q` is found in the event's title, artist, venue,
 * city or description, either as a word prefix by D1's FTS5 index (`events_fts`, kept by triggers;
 * case and diacritics folded) or as a plain substring of the title, artist, venue and city (what the
 * catalog always did: `%` and `_` are characters, not wildcards). SQL narrows the candidates with
 * every filter it can (state, words, category, city, dates, price, the box around `near`); the
 * exact distance, the facets, the order and the page are worked out here over those candidates,
 * which a catalog of published events keeps small.
 */

/** Candidates read per search at most (the published catalog, filtered, is far smaller). */
const MAX_CANDIDATES = 5000;
const DEFAULT_RADIUS_KM = 50;
const EARTH_KM = 6371;

export interface CatalogFacets {
  category: Record<string, number>;
  city: Record<string, number>;
  month: Record<string, number>;
}

export interface CatalogResult {
  bundles: EventBundle[];
  total: number;
  facets: CatalogFacets;
  /** Each result's distance from `near` in km (rounded to 0.1), when `near` was given. */
  distances: Map<string, number>;
}

/** Words as FTS5 tokens: letters and digits, folded the way unicode61 folds them. */
export const tokensOf = (word: string): string[] =>
  word
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** An FTS5 query where every token is a quoted prefix (tokens hold only letters and digits). */
const ftsPrefixQuery = (tokens: string[], columns?: string): string => {
  const terms = tokens.map((t) => `"${t}"*`).join(" ");
  return columns ? `{${columns}} : (${terms})` : terms;
};

const wordsOf = (q: string | undefined): string[] => (q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);

function wordMatches(word: string): SQL {
  // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes, and a word needs no escaping.
  const substring = sql`instr(${events.searchText}, ${word}) > 0`;
  const tokens = tokensOf(word);
  if (tokens.length === 0) return substring;
  const fts = sql`${events.id} in (select event_id from events_fts where events_fts match ${ftsPrefixQuery(tokens)})`;
  return sql`(${substring} or ${fts})`;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The degrees around a point that hold every place within `km` (longitude widens toward the poles). */
function boxAround(lat: number, lon: number, km: number): SQL[] {
  const dLat = (km / EARTH_KM) * (180 / Math.PI);
  const conditions = [sql`${venues.lat} between ${lat - dLat} and ${lat + dLat}`];
  const cos = Math.cos((lat * Math.PI) / 180);
  const dLon = cos > 1e-6 ? dLat / cos : 360;
  if (dLon < 180 && Math.abs(lon) + dLon <= 180) {
    conditions.push(sql`${venues.lon} between ${lon - dLon} and ${lon + dLon}`);
  }
  return conditions;
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();
/** "2027-06": the month the event starts in, in its venue's time zone. */
function monthOf(at: number, timeZone: string): string {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", timeZone });
    monthFormats.set(timeZone, format);
  }
  return format.format(at).slice(0, 7);
}

/**
 * How well the words name the event: 0 each starts a word of the title, 1 of the title or the
 * artist, 2 each is inside the title or the artist, 3 found elsewhere (venue, city, description).
 */
function matchTier(words: string[], title: string, artist: string | null): number {
  const starts = (text: string) => {
    const tokens = tokensOf(text);
    return (word: string) => {
      const wanted = tokensOf(word);
      return wanted.length > 0 && wanted.every((t) => tokens.some((token) => token.startsWith(t)));
    };
  };
  const inTitle = starts(title);
  const inArtist = starts(artist ?? "");
  const inside = `${title}\n${artist ?? ""}`.toLowerCase();
  if (words.every(inTitle)) return 0;
  if (words.every((w) => inTitle(w) || inArtist(w))) return 1;
  return words.every((w) => inTitle(w) || inArtist(w) || inside.includes(w)) ? 2 : 3;
}

/** Published (and paused) events matching the catalog's query, with facets; see the module's comment. */
export async function searchEvents(db: Database, query: CatalogQuery): Promise<CatalogResult> {
  const words = wordsOf(query.q);
  const conditions: SQL[] = [inArray(events.state, ["published", "paused"]), ...words.map(wordMatches)];
  if (query.category) conditions.push(eq(events.category, query.category));
  if (query.city) conditions.push(sql`lower(${venues.city}) = ${query.city.toLowerCase()}`);
  if (query.from !== undefined) conditions.push(gte(events.startsAt, query.from));
  if (query.to !== undefined) conditions.push(lte(events.startsAt, query.to));
  if (query.maxPriceCents !== undefined) conditions.push(lte(events.minPriceCents, query.maxPriceCents));
  const radius = query.radiusKm ?? DEFAULT_RADIUS_KM;
  if (query.near) conditions.push(...boxAround(query.near[0], query.near[1], radius));
  const candidates = await db
    .select({
      id: events.id,
      startsAt: events.startsAt,
      price: events.minPriceCents,
      category: events.category,
      title: events.title,
      artist: events.artist,
      city: venues.city,
      timezone: venues.timezone,
      lat: venues.lat,
      lon: venues.lon,
    })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(...conditions))
    .limit(MAX_CANDIDATES);

  const distances = new Map<string, number>();
  let rows = candidates;
  if (query.near) {
    const [lat, lon] = query.near;
    rows = rows.filter((r) => {
      if (r.lat === null || r.lon === null) return false;
      const km = distanceKm(lat, lon, r.lat, r.lon);
      distances.set(r.id, Math.round(km * 10) / 10);
      return km <= radius;
    });
  }

  const facets: CatalogFacets = { category: {}, city: {}, month: {} };
  const add = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const r of rows) {
    add(facets.category, r.category);
    add(facets.city, r.city);
    add(facets.month, monthOf(r.startsAt, r.timezone));
  }

  const scores = query.sort === "relevance" && words.length ? await relevance(db, words) : new Map<string, number>();
  const tiers = new Map(rows.map((r) => [r.id, words.length ? matchTier(words, r.title, r.artist) : 0]));
  const byDate = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sort = query.sort ?? (words.length ? "relevance-tier" : "date");
  const keyed: Record<string, (a: (typeof rows)[number], b: (typeof rows)[number]) => number> = {
    date: byDate,
    price: (a, b) => a.price - b.price || byDate(a, b),
    distance: (a, b) => (distances.get(a.id) ?? 0) - (distances.get(b.id) ?? 0) || byDate(a, b),
    "relevance-tier": (a, b) => (tiers.get(a.id) ?? 0) - (tiers.get(b.id) ?? 0) || byDate(a, b),
    // bm25 is lower for a better match; substring-only matches (no score) come after.
    relevance: (a, b) =>
      (tiers.get(a.id) ?? 0) - (tiers.get(b.id) ?? 0) ||
      (scores.get(a.id) ?? 0) - (scores.get(b.id) ?? 0) ||
      byDate(a, b),
  };
  rows = [...rows].sort(keyed[sort]);

  const start = (query.page - 1) * query.limit;
  const pageIds = rows.slice(start, start + query.limit).map((r) => r.id);
  const found = pageIds.length
    ? await bundlesFor(db, await db.select().from(events).where(inArray(events.id, pageIds)))
    : [];
  const order = new Map(pageIds.map((id, i) => [id, i]));
  found.sort((a, b) => (order.get(a.event.id) ?? 0) - (order.get(b.event.id) ?? 0));
  return { bundles: found, total: rows.length, facets, distances };
}

/** Each FTS match's bm25 score over all the words' tokens (title weighs most, the description least). */
async function relevance(db: Database, words: string[]): Promise<Map<string, number>> {
  const tokens = words.flatMap(tokensOf);
  if (tokens.length === 0) return new Map();
  const rows = await db.all<{ event_id: string; score: number }>(
    sql`select event_id, bm25(events_fts, 0, 10, 5, 3, 2, 1) as score from events_fts where events_fts match ${ftsPrefixQuery(tokens)} limit ${MAX_CANDIDATES}`,
  );
  return new Map(rows.map((r) => [r.event_id, r.score]));
}

export interface Suggestion {
  text: string;
  eventId?: string;
}

/**
 * Type-ahead over published events: titles (with their event), then artists, venues and cities,
 * each once, whose words start with every token typed (the last one a prefix being typed).
 */
export async function suggest(db: Database, query: SuggestQuery): Promise<Suggestion[]> {
  const tokens = tokensOf(query.q).slice(0, 8);
  if (tokens.length === 0) return [];
  const rows = await db.all<{ id: string; title: string; artist: string; venue: string; city: string }>(
    sql`select f.event_id as id, f.title, f.artist, f.venue, f.city from events_fts f
        join ${events} e on e.id = f.event_id
        where events_fts match ${ftsPrefixQuery(tokens, "title artist venue city")}
          and e.state in ('published', 'paused')
        order by e.starts_at limit 200`,
  );
  const named = (text: string) => {
    const words = tokensOf(text);
    return tokens.every((t) => words.some((w) => w.startsWith(t)));
  };
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const push = (text: string, eventId?: string) => {
    const key = `${eventId ? "e" : "t"}:${text.toLowerCase()}`;
    if (!text || seen.has(key) || out.length >= query.limit) return;
    seen.add(key);
    out.push(eventId ? { text, eventId } : { text });
  };
  for (const r of rows) if (named(r.title)) push(r.title, r.id);
  for (const field of ["artist", "venue", "city"] as const) for (const r of rows) if (named(r[field])) push(r[field]);
  return out;
}
