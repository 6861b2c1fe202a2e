import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Event, Hold, HoldCreated, OpenApi, OrganizerEventList, SeatMap } from "../../src/contract/responses";
import type { OpenApiDocument } from "../../src/http/openapi-doc";
import { call, createVenue, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** The served document: the contract checks its top, and it is read as the type src/http/openapi.ts writes. */
const Document = z.custom<OpenApiDocument>((body) => OpenApi.safeParse(body).success);

describe("the edge's conventions", () => {
  it("puts a request id and security headers on every response, errors included", async () => {
    for (const response of [await call("GET", "/healthz"), await call("GET", "/nope")]) {
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    }
  });

  it("keeps a well-formed incoming request id", async () => {
    const response = await call("GET", "/healthz", { headers: { "x-request-id": "trace-abc-12345" } });
    expect(response.headers.get("x-request-id")).toBe("trace-abc-12345");
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await call("GET", "/api/v1/nothing-here");
    expect(response.status).toBe(404);
    await errorOf(response, "NOT_FOUND");
  });

  it("400 VALIDATION_FAILED lists every issue with its path", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const response = await call("POST", "/api/v1/admin/venues", {
      token: organizer,
      body: { name: "", city: "X", country: "DE", timezone: "Mars/Olympus", sections: [] },
    });
    expect(response.status).toBe(400);
    const body = await errorOf(response, "VALIDATION_FAILED");
    const paths = body.error.issues?.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "timezone", "sections"]));
    for (const issue of body.error.issues ?? []) expect(typeof issue.message).toBe("string");
  });

  it("400 MALFORMED_JSON for a JSON body that does not parse (415 for other content types: conventions.test.ts)", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const variants: Record<string, string>[] = [
      { "content-type": "application/json" },
      { "content-type": "application/json; charset=utf-8" },
    ];
    for (const headers of variants) {
      const response = await call("POST", "/api/v1/admin/venues", { token: organizer, rawBody: "{nope", headers });
      expect(response.status).toBe(400);
      await errorOf(response, "MALFORMED_JSON");
    }
  });

  it("413 PAYLOAD_TOO_LARGE past 64 KiB and changes nothing", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const huge = JSON.stringify({ name: "x".repeat(70_000) });
    const response = await call("POST", "/api/v1/admin/venues", {
      token: organizer,
      rawBody: huge,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(413);
    await errorOf(response, "PAYLOAD_TOO_LARGE");
    const list = await json(await call("GET", "/api/v1/admin/events", { token: organizer }), OrganizerEventList);
    expect(list.data).toEqual([]);
  });

  it("401 UNAUTHENTICATED for missing, malformed, expired and badly signed tokens", async () => {
    const expired = await tokenFor("fan", ["customer"], "-1m");
    const forged = await new SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("mallory")
      .sign(new TextEncoder().encode("not-the-secret"));
    const none = `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ sub: "x" }))}.`;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer" },
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer not.a.jwt" },
      { authorization: `Bearer ${expired}` },
      { authorization: `Bearer ${forged}` },
      { authorization: `Bearer ${none}` },
    ];
    for (const headers of attempts) {
      const response = await call("POST", "/api/v1/admin/venues", { headers, body: {} });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      await errorOf(response, "UNAUTHENTICATED");
    }
  });

  it("403 FORBIDDEN for a missing role", async () => {
    const customer = await tokenFor("fan", ["customer"]);
    const response = await call("POST", "/api/v1/admin/venues", { token: customer, body: {} });
    expect(response.status).toBe(403);
    await errorOf(response, "FORBIDDEN");
  });

  it("refuses a cookie-authenticated write from another origin (CSRF) and accepts same-origin", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const cookie = { cookie: `session=${organizer}`, "content-type": "application/json" };
    const body = JSON.stringify({ name: "" });
    const cross = await call("POST", "/api/v1/admin/venues", {
      rawBody: body,
      headers: { ...cookie, origin: "https://evil.example" },
    });
    expect(cross.status).toBe(403);
    const same = await call("POST", "/api/v1/admin/venues", {
      rawBody: body,
      headers: { ...cookie, origin: "https://tickets.test" },
    });
    expect(same.status).toBe(400);
  });

  it("publishes an OpenAPI 3.1 document generated from the route schemas", async () => {
    const response = await call("GET", "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const doc = await json(response, Document);
    expect(doc.openapi).toBe("3.1.0");
    const hold = doc.paths["/api/v1/events/{eventId}/holds"]?.post;
    expect(hold?.requestBody?.content?.["application/json"]?.schema?.properties?.seatIds?.type).toBe("array");
    const venue = doc.paths["/api/v1/admin/venues"]?.post?.requestBody?.content?.["application/json"]?.schema;
    expect(venue?.required).toEqual(expect.arrayContaining(["name", "city", "sections"]));
    const search = doc.paths["/api/v1/events"]?.get?.parameters?.map((p) => p.name);
    expect(search).toEqual(
      expect.arrayContaining(["q", "category", "city", "from", "to", "maxPriceCents", "page", "limit"]),
    );
  });
});

describe("organizer setup", () => {
  it("creates a venue whose seats are named <section>-<row>-<n>", async () => {
    const { eventId } = await onSaleEvent();
    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=B`), SeatMap);
    expect(seats.sections).toHaveLength(1);
    expect(seats.sections[0]?.seats?.map((s) => s.id)).toEqual([
      "B-1-1",
      "B-1-2",
      "B-1-3",
      "B-1-4",
      "B-1-5",
      "B-2-1",
      "B-2-2",
      "B-2-3",
      "B-2-4",
      "B-2-5",
    ]);
    expect(seats.sections[0]?.seats?.[6]).toEqual({ id: "B-2-2", row: "2", number: 2, status: "available" });
  });

  it("refuses an event with an unpriced section, onSaleAt after startsAt, or holdSeconds out of range", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const venueId = await createVenue(organizer);
    const base = {
      venueId,
      title: "T",
      category: "concert",
      startsAt: "2030-01-01T20:00:00Z",
      onSaleAt: "2029-12-01T10:00:00Z",
      currency: "EUR",
      prices: { A: 100, B: 200, FLOOR: 300 },
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ prices: { A: 100, B: 200 } }, "prices.FLOOR"],
      [{ prices: { A: 100, B: 200, FLOOR: 300, Z: 400 } }, "prices.Z"],
      // Positive but below Stripe's smallest charge in EUR (0.50): refused; 0 (free) is fine.
      [{ prices: { A: 0, B: 200, FLOOR: 49 } }, "prices.FLOOR"],
      [{ onSaleAt: "2030-02-01T10:00:00Z" }, "onSaleAt"],
      [{ holdSeconds: 29 }, "holdSeconds"],
      [{ holdSeconds: 3601 }, "holdSeconds"],
      [{ currency: "EURO" }, "currency"],
    ];
    for (const [change, path] of cases) {
      const response = await call("POST", "/api/v1/admin/events", { token: organizer, body: { ...base, ...change } });
      expect(response.status, JSON.stringify(change)).toBe(400);
      const body = await errorOf(response);
      expect(body.error.issues?.map((i) => i.path)).toContain(path);
    }
    const ok = await call("POST", "/api/v1/admin/events", { token: organizer, body: base });
    expect(ok.status).toBe(201);
    const event = await json(ok, Event);
    expect(event).toMatchObject({
      holdSeconds: 600,
      limits: { perOrder: 8, perUser: 8 },
      waitingRoom: { mode: "off" },
    });
  });

  it("lets an organizer manage only its own events; admin manages all", async () => {
    const { eventId, venueId } = await onSaleEvent();
    const other = await tokenFor(unique("org"), ["organizer"]);
    const admin = await tokenFor(unique("adm"), ["admin"]);
    const patch = await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: other, body: { action: "pause" } });
    expect(patch.status).toBe(403);
    await errorOf(patch, "FORBIDDEN");
    expect((await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: other })).status).toBe(403);
    expect((await call("GET", `/api/v1/admin/venues/${venueId}`, { token: other })).status).toBe(403);
    const useVenue = await call("POST", "/api/v1/admin/events", {
      token: other,
      body: {
        venueId,
        title: "x",
        category: "c",
        startsAt: "2030-01-01T00:00:00Z",
        onSaleAt: "2029-01-01T00:00:00Z",
        currency: "EUR",
        prices: { A: 1, B: 1, FLOOR: 1 },
      },
    });
    expect(useVenue.status).toBe(403);
    const byAdmin = await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: admin, body: { action: "pause" } });
    expect(byAdmin.status).toBe(200);
    expect((await json(byAdmin, Event)).status).toBe("paused");
  });

  it("pause stops sales at the room, resume restarts them, cancel ends them", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const hold = (seat: string) =>
      call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: [seat] } });
    const patch = (action: string) =>
      call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { action } });

    expect((await patch("pause")).status).toBe(200);
    const paused = await hold("A-1-1");
    expect(paused.status).toBe(409);
    await errorOf(paused, "NOT_ON_SALE");
    expect((await json(await call("GET", `/api/v1/events/${eventId}`), Event)).status).toBe("paused");

    expect((await patch("resume")).status).toBe(200);
    expect((await hold("A-1-1")).status).toBe(201);

    expect((await patch("cancel")).status).toBe(200);
    expect((await hold("A-1-2")).status).toBe(409);
    const again = await patch("resume");
    expect(again.status).toBe(409);
  });

  it("a re-publish with new prices keeps live holds at their price", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const first = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["A-1-1"] } }),
      HoldCreated,
    );
    const patched = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { prices: { A: 9900, B: 3000, FLOOR: 2000 } },
    });
    expect(patched.status).toBe(200);
    const held = await json(await call("GET", `/api/v1/holds/${first.holdId}`, { token: fan }), Hold);
    expect(held.totalCents).toBe(5000);
    const second = await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: fan, body: { seatIds: ["A-1-2"] } }),
      HoldCreated,
    );
    expect(second.totalCents).toBe(9900);
  });

  it("does not sell an unpublished event and hides it from the catalog", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const venueId = await createVenue(organizer);
    const { createEvent } = await import("./helpers");
    const draft = await createEvent(organizer, venueId, { publish: false });
    expect(draft.status).toBe("scheduled");
    expect(draft.published).toBe(false);
    expect((await call("GET", `/api/v1/events/${draft.eventId}`)).status).toBe(404);
    const fan = await tokenFor(unique("fan"));
    const hold = await call("POST", `/api/v1/events/${draft.eventId}/holds`, {
      token: fan,
      body: { seatIds: ["A-1-1"] },
    });
    expect(hold.status).toBe(404);
    const published = await call("PATCH", `/api/v1/admin/events/${draft.eventId}`, {
      token: organizer,
      body: { action: "publish" },
    });
    expect((await json(published, Event)).status).toBe("on_sale");
    expect(
      (await call("POST", `/api/v1/events/${draft.eventId}/holds`, { token: fan, body: { seatIds: ["A-1-1"] } }))
        .status,
    ).toBe(201);
  });
});
