import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { Suggestions } from "../../src/contract/content-responses";
import { EventList } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, HOUR, json, tokenFor, unique } from "./helpers";

/** Storage is shared by this file's tests: every title carries this run's tag. */
const tag = unique("sx");
let organizer: string;
const ids: Record<string, string> = {};
const venueIds: Record<string, string> = {};

async function search(query: string): Promise<z.output<typeof EventList>> {
  const response = await call("GET", `/api/v1/events?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response, EventList);
}

const keys = (body: { data: { eventId: string }[] }): string[] =>
  body.data.map((e) => Object.keys(ids).find((k) => ids[k] === e.eventId) ?? e.eventId);

const hall = (name: string, city: string, place: Record<string, unknown>, timezone = "Europe/Berlin") => ({
  name,
  city,
  country: "DE",
  timezone,
  ...place,
  sections: [{ id: "GA", name: "Standing", kind: "ga", capacity: 100 }],
});

beforeAll(async () => {
  organizer = await tokenFor(unique("org"), ["organizer"]);
  venueIds.berlin = await createVenue(organizer, hall(`Arena ${tag}`, "Berlin", { lat: 52.52, lon: 13.405 }));
  venueIds.potsdam = await createVenue(organizer, hall("Nikolaisaal", "Potsdam", { lat: 52.3906, lon: 13.0645 }));
  venueIds.paris = await createVenue(
    organizer,
    hall("Salle Pleyel", "Paris", { lat: 48.8566, lon: 2.3522 }, "Europe/Paris"),
  );
  venueIds.nowhere = await createVenue(organizer, hall("Somewhere", "Hamburg", {}));
  // Mid-month dates, so that a month never depends on the hour the test runs.
  const base = new Date();
  const month = (n: number, day = 15) => Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + n, day, 19);
  const defs: [string, string, Record<string, unknown>][] = [
    // The later the better match: ranking must beat the date order.
    [
      "described",
      "paris",
      {
        title: "Evening Songs",
        description: `A night of ${tag} chansons at the Café Müller.`,
        category: "concert",
        startsAt: month(2, 10),
        prices: { GA: 3000 },
      },
    ],
    [
      "artist",
      "potsdam",
      {
        title: "Spring Gala",
        artist: `${tag} Orchestra`,
        category: "classical",
        startsAt: month(2, 12),
        prices: { GA: 5000 },
      },
    ],
    ["titled", "berlin", { title: `${tag} Nightfall`, category: "concert", startsAt: month(3), prices: { GA: 2000 } }],
    ["prefix", "nowhere", { title: `k${tag}mellow Jam`, category: "comedy", startsAt: month(4), prices: { GA: 1000 } }],
    [
      "draft",
      "berlin",
      { title: `${tag} Draft`, category: "concert", startsAt: month(2), prices: { GA: 1000 }, publish: false },
    ],
  ];
  for (const [key, venue, fields] of defs) {
    const startsAt = new Date(fields.startsAt as number).toISOString();
    const event = await createEvent(organizer, venueIds[venue]!, {
      ...fields,
      startsAt,
      onSaleAt: new Date(Date.now() - HOUR).toISOString(),
    });
    ids[key] = event.eventId;
  }
});

describe("full-text search", () => {
  it("ranks a title match over an artist match over a description match, whatever their dates", async () => {
    // A word inside another ("k<tag>mellow") is a weaker match than a word the title starts with.
    expect(keys(await search(`q=${tag}`))).toEqual(["titled", "artist", "prefix", "described"]);
    // sort=date keeps the plain date order over the same matches.
    expect(keys(await search(`q=${tag}&sort=date`))).toEqual(["described", "artist", "titled", "prefix"]);
    expect(keys(await search(`q=${tag}&sort=relevance`))).toEqual(["titled", "artist", "prefix", "described"]);
    // Every word must match somewhere.
    expect(keys(await search(`q=${tag}+orchestra`))).toEqual(["artist"]);
    expect(keys(await search(`q=${tag}+nothingatall`))).toEqual([]);
  });

  it("matches word prefixes, folded case and accents, the description, and old substrings", async () => {
    expect(keys(await search(`q=K${tag}MEL`))).toEqual(["prefix"]);
    expect(keys(await search(`q=${tag}+muller`))).toEqual(["described"]);
    expect(keys(await search(`q=${tag}+chans`))).toEqual(["described"]);
    // A substring inside a word still finds what the catalog found before (title, artist, venue, city).
    expect(keys(await search(`q=${tag.slice(2)}mellow`))).toEqual(["prefix"]);
    // Wildcards and quotes are plain characters.
    expect(keys(await search(`q=${tag}+%25`))).toEqual([]);
    expect(keys(await search(`q=${encodeURIComponent(`${tag} "OR" *`)}`))).toEqual([]);
  });

  it("follows edits: a new description, a renamed venue", async () => {
    const patched = await call("PATCH", `/api/v1/admin/events/${ids.titled}`, {
      token: organizer,
      body: { description: "Featuring the Ångström Quartet" },
    });
    expect(patched.status).toBe(200);
    expect(keys(await search(`q=${tag}+angstrom`))).toEqual(["titled"]);
    const renamed = await call("PATCH", `/api/v1/admin/venues/${venueIds.potsdam}`, {
      token: organizer,
      body: { name: "Halle Übersee" },
    });
    expect(renamed.status).toBe(200);
    expect(keys(await search(`q=${tag}+ubersee`))).toEqual(["artist"]);
    expect(keys(await search(`q=${tag}+nikolaisaal`))).toEqual([]);
  });
});

describe("filters, distance, facets", () => {
  it("counts facets over every result, not just the page", async () => {
    const all = await search(`q=${tag}&limit=1`);
    expect(all.meta.total).toBe(4);
    expect(all.data).toHaveLength(1);
    expect(all.meta.facets.category).toEqual({ concert: 2, classical: 1, comedy: 1 });
    expect(all.meta.facets.city).toEqual({ Paris: 1, Potsdam: 1, Berlin: 1, Hamburg: 1 });
    expect(Object.values(all.meta.facets.month).sort()).toEqual([1, 1, 2]);
    const concerts = await search(`q=${tag}&category=concert`);
    expect(keys(concerts)).toEqual(["titled", "described"]);
    expect(concerts.meta.facets.category).toEqual({ concert: 2 });
    expect(concerts.meta.facets.city).toEqual({ Berlin: 1, Paris: 1 });
  });

  it("finds events near a point within a radius, with their distance, nearest first on request", async () => {
    const near = await search(`q=${tag}&near=52.52,13.405&radiusKm=30&sort=distance`);
    expect(keys(near)).toEqual(["titled", "artist"]);
    expect(near.data.map((e) => e.distanceKm)).toEqual([0, expect.closeTo(27, 0)]);
    // Default radius 50 km; a venue without coordinates is never "near".
    expect(keys(await search(`q=${tag}&near=52.52,13.405`))).toEqual(["titled", "artist"]);
    const wide = await search(`q=${tag}&near=52.52,13.405&radiusKm=1000&sort=distance`);
    expect(keys(wide)).toEqual(["titled", "artist", "described"]);
    expect(wide.data[2]?.distanceKm).toBeGreaterThan(850);
    expect(wide.data[2]?.distanceKm).toBeLessThan(900);
    expect(wide.meta.facets.city).toEqual({ Berlin: 1, Potsdam: 1, Paris: 1 });
  });

  it("sorts by price and by date", async () => {
    expect(keys(await search(`q=${tag}&sort=price`))).toEqual(["prefix", "titled", "described", "artist"]);
    expect(keys(await search(`q=${tag}&sort=date`))).toEqual(["described", "artist", "titled", "prefix"]);
  });

  it("refuses a bad near, radius or sort with VALIDATION_FAILED", async () => {
    for (const query of [
      "sort=distance",
      "near=abc",
      "near=91,0",
      "near=10,181",
      "radiusKm=5",
      "near=1,1&radiusKm=0",
      "sort=cheap",
    ]) {
      const response = await call("GET", `/api/v1/events?${query}`);
      expect(response.status, query).toBe(400);
      await errorOf(response, "VALIDATION_FAILED");
    }
  });
});

describe("suggestions", () => {
  const suggest = async (q: string) =>
    json(await call("GET", `/api/v1/search/suggest?q=${encodeURIComponent(q)}`), Suggestions);

  it("completes titles (with their event) and artists, never drafts", async () => {
    const found = await suggest(`${tag} n`);
    expect(found.data).toEqual([{ text: `${tag} Nightfall`, eventId: ids.titled }]);
    const partial = await suggest(tag.slice(0, -1));
    expect(partial.data).toContainEqual({ text: `${tag} Nightfall`, eventId: ids.titled });
    expect(partial.data).toContainEqual({ text: `${tag} Orchestra` });
    expect(partial.data.some((s) => s.text.includes("Draft"))).toBe(false);
    expect((await suggest("%%%")).data).toEqual([]);
    await errorOf(await call("GET", "/api/v1/search/suggest"), "VALIDATION_FAILED");
  });
});
