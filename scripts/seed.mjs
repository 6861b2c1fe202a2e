// The demo: a 2,000-seat arena (four seated sections of 375 and a GA floor of 500) and three
// events: one on sale now, one behind a waiting room, one in the future. Seeds only an empty catalog.
// DEMO_ROOMS=section seeds the big on-sale (the one behind a waiting room) in a room per section.

const DAY = 86_400_000;

const ARENA = {
  name: "Demo Arena",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  address: "Mühlenstraße 12, 10243 Berlin",
  lat: 52.5053,
  lon: 13.4432,
  sections: [
    ...["A", "B", "C", "D"].map((id) => ({
      id,
      name: `Section ${id}`,
      kind: "seated",
      rows: Array.from({ length: 15 }, (_, r) => ({ label: String(r + 1), seats: 25 })),
    })),
    { id: "FLOOR", name: "Floor (standing)", kind: "ga", capacity: 500 },
  ],
};

const PRICES = { A: 8900, B: 6900, C: 6900, D: 4900, FLOOR: 5500 };

function bigEventRooms() {
  const rooms = process.env.DEMO_ROOMS ?? "event";
  if (rooms !== "event" && rooms !== "section") throw new Error(`DEMO_ROOMS must be event or section, not ${rooms}`);
  return rooms;
}

async function api(base, token, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

export async function seedDemo(base, organizer) {
  const existing = await api(base, organizer, "GET", "/api/v1/admin/events");
  if (existing.data.length > 0) return { created: false, events: existing.data };
  const venue = await api(base, organizer, "POST", "/api/v1/admin/venues", ARENA);
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString();
  const definitions = [
    {
      title: "Aurora Live — Demo Night",
      artist: "Aurora Live",
      category: "concert",
      startsAt: iso(now + 30 * DAY),
      onSaleAt: iso(now - DAY),
      doorsAt: iso(now + 30 * DAY - 3_600_000),
      ageRule: "All ages; under 14s with an adult",
      description:
        "Aurora Live bring their northern-lights show to the Demo Arena.\n\nSeated sections and a standing floor.",
    },
    {
      title: "The Big On-Sale (waiting room)",
      artist: "Headliner",
      category: "concert",
      startsAt: iso(now + 60 * DAY),
      onSaleAt: iso(now - DAY),
      waitingRoom: { mode: "always", admitPerMinute: 60, maxActive: 100 },
      rooms: bigEventRooms(),
    },
    {
      title: "Winter Comedy Gala",
      artist: "Various",
      category: "comedy",
      startsAt: iso(now + 120 * DAY),
      onSaleAt: iso(now + 14 * DAY),
    },
  ];
  const events = [];
  for (const definition of definitions) {
    events.push(
      await api(base, organizer, "POST", "/api/v1/admin/events", {
        venueId: venue.venueId,
        currency: "EUR",
        prices: PRICES,
        publish: true,
        ...definition,
      }),
    );
  }
  return { created: true, events };
}
