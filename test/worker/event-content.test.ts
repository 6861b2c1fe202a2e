import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventImage } from "../../src/contract/content-responses";
import { AuditLog } from "../../src/contract/organizer";
import { Event, Venue } from "../../src/contract/responses";
import { MAX_IMAGE_BYTES } from "../../src/http/media";
import worker from "../../workers/edge";
import { BASE, call, createEvent, createVenue, errorOf, HOUR, json, SMALL_VENUE, tokenFor, unique } from "./helpers";

/** The smallest real files of each type: their magic numbers are what the upload judges. */
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
  0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);

async function put(token: string, eventId: string, bytes: Uint8Array, type: string | undefined): Promise<Response> {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (type) headers.set("content-type", type);
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${BASE}/api/v1/admin/events/${eventId}/image`, { method: "PUT", headers, body: bytes }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function organizer() {
  const id = unique("org");
  return { id, token: await tokenFor(id, ["organizer"]) };
}

describe("event content", () => {
  it("an event carries its description, doors, end and age rule, created and patched", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token, {
      ...SMALL_VENUE,
      address: "Karl-Marx-Allee 1, 10178",
      lat: 52.52,
      lon: 13.42,
    });
    const starts = Date.now() + 30 * 24 * HOUR;
    const event = await createEvent(me.token, venueId, {
      startsAt: new Date(starts).toISOString(),
      description: "  An evening of tests.\n\n<b>No</b> re-entry.  ",
      doorsAt: new Date(starts - HOUR).toISOString(),
      endsAt: new Date(starts + 3 * HOUR).toISOString(),
      ageRule: "18+",
    });
    expect(event).toMatchObject({
      description: "An evening of tests.\n\n<b>No</b> re-entry.",
      doorsAt: new Date(starts - HOUR).toISOString(),
      endsAt: new Date(starts + 3 * HOUR).toISOString(),
      ageRule: "18+",
      imageUrl: null,
      venue: { address: "Karl-Marx-Allee 1, 10178", lat: 52.52, lon: 13.42 },
    });
    expect(event.venue.mapUrl).toContain("mlat=52.52");

    const patched = await json(
      await call("PATCH", `/api/v1/admin/events/${event.eventId}`, {
        token: me.token,
        body: { ageRule: "All ages", description: null, doorsAt: null },
      }),
      Event,
    );
    expect(patched).toMatchObject({ ageRule: "All ages", description: null, doorsAt: null });
    expect(patched.endsAt).toBe(event.endsAt);

    // The public event shows it, and the page shows it escaped.
    const shown = await json(await call("GET", `/api/v1/events/${event.eventId}`), Event);
    expect(shown.ageRule).toBe("All ages");
    await call("PATCH", `/api/v1/admin/events/${event.eventId}`, {
      token: me.token,
      body: { description: "Line one.\n\n<script>alert(1)</script>" },
    });
    const page = await (await call("GET", `/events/${event.eventId}`)).text();
    expect(page).toContain("All ages");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
    expect(page).toContain("Karl-Marx-Allee 1, 10178");
    expect(page).toContain("openstreetmap.org");
  });

  it("refuses doors after the start, an end before it and bad values, changing nothing", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const starts = Date.now() + 30 * 24 * HOUR;
    const bad = await call("POST", "/api/v1/admin/events", {
      token: me.token,
      body: {
        venueId,
        title: "Bad times",
        category: "concert",
        startsAt: new Date(starts).toISOString(),
        onSaleAt: new Date(Date.now() - HOUR).toISOString(),
        currency: "EUR",
        prices: { A: 5000, B: 3000, FLOOR: 2000 },
        doorsAt: new Date(starts + HOUR).toISOString(),
        endsAt: new Date(starts - HOUR).toISOString(),
        ageRule: "",
      },
    });
    const error = await errorOf(bad, "VALIDATION_FAILED");
    const paths = (error.error.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(["ageRule", "doorsAt", "endsAt"]);

    const event = await createEvent(me.token, venueId, {
      startsAt: new Date(starts).toISOString(),
      endsAt: new Date(starts + HOUR).toISOString(),
    });
    // Moving the start past the stored end is judged against the whole edited event.
    const late = await call("PATCH", `/api/v1/admin/events/${event.eventId}`, {
      token: me.token,
      body: { startsAt: new Date(starts + 2 * HOUR).toISOString() },
    });
    expect((await errorOf(late, "VALIDATION_FAILED")).error.issues).toEqual([
      { path: "endsAt", message: "must be after startsAt" },
    ]);
    const after = await json(await call("GET", `/api/v1/admin/events/${event.eventId}`, { token: me.token }), Event);
    expect(after.version).toBe(event.version);
  });

  it("stores an image judged by its bytes, serves it for good, and records it", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const event = await createEvent(me.token, venueId);

    const first = await json(await put(me.token, event.eventId, PNG, "image/png"), EventImage);
    expect(first.imageUrl).toMatch(new RegExp(`^/media/events/${event.eventId}/[0-9a-f]{32}\\.png$`));
    expect(first.version).toBe(event.version + 1);
    const served = await call("GET", first.imageUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const etag = served.headers.get("etag") ?? "";
    expect((await call("GET", first.imageUrl, { headers: { "if-none-match": etag } })).status).toBe(304);

    const shown = await json(await call("GET", `/api/v1/events/${event.eventId}`), Event);
    expect(shown.imageUrl).toBe(first.imageUrl);
    const page = await (await call("GET", `/events/${event.eventId}`)).text();
    expect(page).toContain(`src="${first.imageUrl}" alt="Test Concert at Test Hall"`);

    // A new image gets a new URL; the old one is gone.
    const second = await json(await put(me.token, event.eventId, JPEG, "image/jpeg; charset=binary"), EventImage);
    expect(second.imageUrl).toMatch(/\.jpg$/);
    expect((await call("GET", first.imageUrl)).status).toBe(404);
    expect((await json(await put(me.token, event.eventId, WEBP, "image/webp"), EventImage)).imageUrl).toMatch(
      /\.webp$/,
    );

    const log = await json(
      await call("GET", `/api/v1/admin/audit-log?eventId=${event.eventId}`, { token: me.token }),
      AuditLog,
    );
    const images = log.data.filter((e) => e.action === "event.image");
    expect(images).toHaveLength(3);
    expect(images[0]).toMatchObject({ actor: me.id, details: { contentType: "image/webp" } });
  });

  it("refuses a wrong or lying type (415), an oversized image (413), another's event (403)", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const event = await createEvent(me.token, venueId);
    const refused = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      await errorOf(response, code);
    };
    await refused(await put(me.token, event.eventId, PNG, "image/gif"), 415, "UNSUPPORTED_MEDIA_TYPE");
    await refused(await put(me.token, event.eventId, PNG, undefined), 415, "UNSUPPORTED_MEDIA_TYPE");
    await refused(await put(me.token, event.eventId, PNG, "image/jpeg"), 415, "UNSUPPORTED_MEDIA_TYPE");
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    await refused(await put(me.token, event.eventId, html, "image/png"), 415, "UNSUPPORTED_MEDIA_TYPE");
    await refused(await put(me.token, event.eventId, new Uint8Array(), "image/png"), 400, "VALIDATION_FAILED");
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(PNG);
    await refused(await put(me.token, event.eventId, big, "image/png"), 413, "PAYLOAD_TOO_LARGE");
    // Just at the limit is taken: the 64 KiB bound of JSON bodies does not apply here.
    const atLimit = new Uint8Array(MAX_IMAGE_BYTES);
    atLimit.set(PNG);
    expect((await put(me.token, event.eventId, atLimit, "image/png")).status).toBe(200);

    const other = await organizer();
    await refused(await put(other.token, event.eventId, PNG, "image/png"), 403, "FORBIDDEN");
    const fan = await tokenFor(unique("fan"));
    await refused(await put(fan, event.eventId, PNG, "image/png"), 403, "FORBIDDEN");
    await refused(await put(me.token, "evt_nope", PNG, "image/png"), 404, "NOT_FOUND");
    await refused(await call("GET", `/media/events/${event.eventId}/${"0".repeat(32)}.png`), 404, "NOT_FOUND");
    await refused(await call("GET", `/media/events/${event.eventId}/..%2Fsecret`), 400, "VALIDATION_FAILED");
    const listed = await env.MEDIA.list({ prefix: `events/${event.eventId}/` });
    expect(listed.objects).toHaveLength(1);
  });
});

describe("venue edits", () => {
  it("patches name, address and coordinates; the event and the catalog follow; audited", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const event = await createEvent(me.token, venueId);
    const patched = await json(
      await call("PATCH", `/api/v1/admin/venues/${venueId}`, {
        token: me.token,
        body: { name: "Renamed Arena", address: "Alexanderplatz 1", lat: 52.5219, lon: 13.4132 },
      }),
      Venue,
    );
    expect(patched).toMatchObject({ name: "Renamed Arena", address: "Alexanderplatz 1", lat: 52.5219, lon: 13.4132 });
    expect(patched.sections.map((s) => s.id)).toEqual(["A", "B", "FLOOR"]);
    const shown = await json(await call("GET", `/api/v1/events/${event.eventId}`), Event);
    expect(shown.venue).toMatchObject({ name: "Renamed Arena", address: "Alexanderplatz 1" });
    const found = await call("GET", `/api/v1/events?q=${encodeURIComponent("renamed arena")}`);
    expect(((await found.json()) as { data: { eventId: string }[] }).data.map((e) => e.eventId)).toContain(
      event.eventId,
    );
    const cleared = await json(
      await call("PATCH", `/api/v1/admin/venues/${venueId}`, { token: me.token, body: { lat: null, lon: null } }),
      Venue,
    );
    expect(cleared).toMatchObject({ lat: null, lon: null, address: "Alexanderplatz 1" });
    expect(cleared.mapUrl).toContain("search?query=Alexanderplatz");

    const log = await json(await call("GET", "/api/v1/admin/audit-log", { token: me.token }), AuditLog);
    expect(log.data.filter((e) => e.action === "venue.update").map((e) => e.details.fields)).toEqual([
      ["lat", "lon"],
      ["address", "lat", "lon", "name"],
    ]);
  });

  it("changes sections only while no event is set there; refuses bad input and others", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const sections = [{ id: "GA", name: "Standing", kind: "ga", capacity: 100 }];
    const reshaped = await json(
      await call("PATCH", `/api/v1/admin/venues/${venueId}`, { token: me.token, body: { sections } }),
      Venue,
    );
    expect(reshaped.sections).toEqual([{ id: "GA", name: "Standing", kind: "ga", capacity: 100 }]);
    await createEvent(me.token, venueId, { prices: { GA: 1000 } });
    const locked = await call("PATCH", `/api/v1/admin/venues/${venueId}`, {
      token: me.token,
      body: { sections: SMALL_VENUE.sections },
    });
    expect(locked.status).toBe(409);
    await errorOf(locked, "CONFLICT");

    const bad = await call("PATCH", `/api/v1/admin/venues/${venueId}`, {
      token: me.token,
      body: { lat: 91, lon: 0, timezone: "Mars/Olympus" },
    });
    const issues = (await errorOf(bad, "VALIDATION_FAILED")).error.issues as { path: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(["lat", "timezone"]);
    await errorOf(
      await call("PATCH", `/api/v1/admin/venues/${venueId}`, { token: me.token, body: { lat: 10 } }),
      "VALIDATION_FAILED",
    );
    const other = await organizer();
    await errorOf(
      await call("PATCH", `/api/v1/admin/venues/${venueId}`, { token: other.token, body: { name: "Mine" } }),
      "FORBIDDEN",
    );
    const venue = await json(await call("GET", `/api/v1/admin/venues/${venueId}`, { token: me.token }), Venue);
    expect(venue).toMatchObject({ name: "Test Hall", lat: null, sections: [{ id: "GA" }] });
  });
});
