// bench:edge's catalog: browser-like requests and the events a full first page of GET /api/v1/events shows.
import { api as harnessApi } from "./harness.mjs";

export const BROWSER = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "accept-language": "en-GB,en;q=0.9",
  "accept-encoding": "gzip, br",
  accept: "application/json",
};

/** A call as a browser makes it: BROWSER's headers, `token` without its "Bearer " prefix. */
export const api = (base, method, path, { token, body } = {}) =>
  harnessApi(base, method, path, { token: token && `Bearer ${token}`, body, headers: BROWSER });

/** A venue and `events` published events: a full first page of the catalog. */
export async function seed(base, organizer, events) {
  const venue = await api(base, "POST", "/api/v1/admin/venues", {
    token: organizer,
    body: {
      name: "Bench Arena",
      city: "Berlin",
      country: "DE",
      timezone: "Europe/Berlin",
      sections: [
        { id: "A", name: "Section A", kind: "seated", rows: [{ label: "1", seats: 50 }] },
        { id: "F", name: "Floor", kind: "ga", capacity: 500 },
      ],
    },
  });
  if (venue.status !== 201) throw new Error(`venue: ${venue.status} ${JSON.stringify(venue.json)}`);
  const now = Date.now();
  for (let i = 0; i < events; i++) {
    const event = await api(base, "POST", "/api/v1/admin/events", {
      token: organizer,
      body: {
        venueId: venue.json.venueId,
        title: `Bench Night ${i + 1}`,
        category: "concert",
        artist: "The Benchmarks",
        startsAt: new Date(now + (10 + i) * 86_400_000).toISOString(),
        onSaleAt: new Date(now - 3_600_000).toISOString(),
        currency: "EUR",
        prices: { A: 5000, F: 2000 },
        publish: true,
      },
    });
    if (event.status !== 201) throw new Error(`event: ${event.status} ${JSON.stringify(event.json)}`);
  }
}
