import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { Event, EventList } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, HOUR, json, tokenFor, unique } from "./helpers";

const DAY = 24 * HOUR;

/** Storage is shared by the tests of this file, so every event carries this run's unique tag. */
const tag = unique("zq");
let organizer: string;
const ids: Record<string, string> = {};

async function search(query: string): Promise<z.output<typeof EventList>> {
  const response = await call("GET", `/api/v1/events?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response, EventList);
}

const titles = (body: { data: { title: string }[] }): string[] => body.data.map((e) => e.title);

beforeAll(async () => {
  organizer = await tokenFor(unique("org"), ["organizer"]);
  const berlin = await createVenue(organizer);
  const paris = await createVenue(organizer, {
    name: `Salle ${tag}`,
    city: "Paris",
    country: "FR",
    timezone: "Europe/Paris",
    sections: [{ id: "GA", name: "Standing", kind: "ga", capacity: 100 }],
  });
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  const berlinPrices = { A: 5000, B: 3000, FLOOR: 2000 };
  const definitions: [string, string, Record<string, unknown>][] = [
    [
      "rock",
      berlin,
      { title: `Rock ${tag}`, artist: "Stone Band", category: "concert", startsAt: at(10), prices: berlinPrices },
    ],
    [
      "jazz",
      berlin,
      {
        title: `Jazz ${tag}`,
        artist: "Blue Notes",
        category: "concert",
        startsAt: at(20),
        prices: { A: 9000, B: 8000, FLOOR: 7000 },
      },
    ],
    [
      "comedy",
      paris,
      { title: `Comedy ${tag}`, artist: "Funny Folk", category: "comedy", startsAt: at(30), prices: { GA: 1500 } },
    ],
    [
      "draft",
      berlin,
      { title: `Draft ${tag}`, category: "concert", startsAt: at(15), prices: berlinPrices, publish: false },
    ],
  ];
  for (const [key, venueId, fields] of definitions) {
    ids[key] = (
      await createEvent(organizer, venueId, { onSaleAt: new Date(now - HOUR).toISOString(), ...fields })
    ).eventId;
  }
});

describe("catalog search", () => {
  it("finds by text over title, artist and venue, published only, soonest first", async () => {
    expect(titles(await search(`q=${tag}`))).toEqual([`Rock ${tag}`, `Jazz ${tag}`, `Comedy ${tag}`]);
    expect(titles(await search(`q=${tag}+blue+NOTES`))).toEqual([`Jazz ${tag}`]);
    expect(titles(await search(`q=salle+${tag}`))).toEqual([`Comedy ${tag}`]);
    expect(titles(await search(`q=${tag}+nothing-matches`))).toEqual([]);
  });

  it("treats wildcards in q as plain characters, and takes long words in any script", async () => {
    expect(titles(await search(`q=${tag}+%25`))).toEqual([]);
    expect(titles(await search(`q=${tag}+_`))).toEqual([]);
    // D1 refuses LIKE patterns over 50 bytes: a long word once made the search answer 500.
    expect(titles(await search(`q=${encodeURIComponent("☃".repeat(40))}`))).toEqual([]);
    expect(titles(await search(`q=${tag}+${"x".repeat(150)}`))).toEqual([]);
  });

  it("filters by category, city, date range and max price", async () => {
    expect(titles(await search(`q=${tag}&category=comedy`))).toEqual([`Comedy ${tag}`]);
    expect(titles(await search(`q=${tag}&category=CONCERT`))).toEqual([`Rock ${tag}`, `Jazz ${tag}`]);
    expect(titles(await search(`q=${tag}&city=paris`))).toEqual([`Comedy ${tag}`]);
    const from = new Date(Date.now() + 15 * DAY).toISOString();
    const to = new Date(Date.now() + 25 * DAY).toISOString();
    expect(titles(await search(`q=${tag}&from=${from}`))).toEqual([`Jazz ${tag}`, `Comedy ${tag}`]);
    expect(titles(await search(`q=${tag}&to=${to}`))).toEqual([`Rock ${tag}`, `Jazz ${tag}`]);
    expect(titles(await search(`q=${tag}&from=${from}&to=${to}`))).toEqual([`Jazz ${tag}`]);
    expect(titles(await search(`q=${tag}&maxPriceCents=2000`))).toEqual([`Rock ${tag}`, `Comedy ${tag}`]);
    expect(titles(await search(`q=${tag}&maxPriceCents=1499`))).toEqual([]);
  });

  it("paginates with total, page and limit", async () => {
    const first = await search(`q=${tag}&limit=2&page=1`);
    expect(first.meta).toMatchObject({ total: 3, page: 1, limit: 2 });
    // Facets count every result, not the page.
    expect(first.meta.facets.category).toEqual({ concert: 2, comedy: 1 });
    expect(titles(first)).toEqual([`Rock ${tag}`, `Jazz ${tag}`]);
    const second = await search(`q=${tag}&limit=2&page=2`);
    expect(titles(second)).toEqual([`Comedy ${tag}`]);
    expect((await search(`q=${tag}&limit=2&page=3`)).data).toEqual([]);
    expect((await search(`q=${tag}`)).meta).toMatchObject({ total: 3, page: 1, limit: 20 });
  });

  it("refuses bad filters with VALIDATION_FAILED", async () => {
    for (const query of [
      "limit=0",
      "limit=101",
      "page=0",
      "page=x",
      "maxPriceCents=-1",
      "from=yesterday",
      "limit=1.5",
    ]) {
      const response = await call("GET", `/api/v1/events?${query}`);
      expect(response.status, query).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
  });

  it("shows an event's detail with sections, prices and capacity, and 404 for drafts and unknown ids", async () => {
    const response = await call("GET", `/api/v1/events/${ids.rock}`);
    expect(response.status).toBe(200);
    const event = await json(response, Event);
    expect(event).toMatchObject({
      eventId: ids.rock,
      status: "on_sale",
      currency: "EUR",
      holdSeconds: 600,
      limits: { perOrder: 8, perUser: 8 },
      waitingRoom: { mode: "off" },
      venue: { city: "Berlin" },
    });
    expect(event.sections).toEqual([
      { id: "A", name: "Section A", kind: "seated", priceCents: 5000, capacity: 30, availability: "high" },
      { id: "B", name: "Section B", kind: "seated", priceCents: 3000, capacity: 10, availability: "high" },
      { id: "FLOOR", name: "Floor", kind: "ga", priceCents: 2000, capacity: 50, availability: "high" },
    ]);
    expect((await call("GET", `/api/v1/events/${ids.draft}`)).status).toBe(404);
    expect((await call("GET", "/api/v1/events/evt_unknown")).status).toBe(404);
  });
});

describe("catalog caching", () => {
  it("answers with an ETag and 304 on If-None-Match", async () => {
    for (const path of [`/api/v1/events?q=${tag}`, `/api/v1/events/${ids.jazz}`]) {
      const first = await call("GET", path);
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      expect(first.headers.get("cache-control")).toContain("s-maxage=");
      const second = await call("GET", path, { headers: { "if-none-match": etag! } });
      expect(second.status).toBe(304);
      expect(second.headers.get("etag")).toBe(etag);
      expect(await second.text()).toBe("");
      const stale = await call("GET", path, { headers: { "if-none-match": '"something-else"' } });
      expect(stale.status).toBe(200);
    }
  });

  it("shows an organizer's change at once, although the old answer was cached", async () => {
    const path = `/api/v1/events/${ids.comedy}`;
    const before = await call("GET", path);
    const etag = before.headers.get("etag")!;
    await call("GET", path);
    const patch = await call("PATCH", `/api/v1/admin/events/${ids.comedy}`, {
      token: organizer,
      body: { title: `Comedy Night ${tag}` },
    });
    expect(patch.status).toBe(200);
    const after = await call("GET", path, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect((await json(after, Event)).title).toBe(`Comedy Night ${tag}`);
    expect(titles(await search(`q=${tag}&category=comedy`))).toEqual([`Comedy Night ${tag}`]);
  });
});
