import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorBody, Event, HoldCreated, SeatMap } from "../../src/contract/responses";
import { addresses, edge, expectRateHeaders, holdPath } from "./edge";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** The edge caches with protection on: catalog ETags and 304s, the seat map's shared copy, hostile headers. */

const newIp = addresses(11);

describe("edge caching with protection on", () => {
  it("gives catalog responses an ETag and answers 304, with the rate headers", async () => {
    const { eventId } = await onSaleEvent();
    const ip = newIp();
    for (const path of [`/api/v1/events?q=${unique("nothing")}`, `/api/v1/events/${eventId}`]) {
      const first = await edge("GET", path, { ip });
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      expectRateHeaders(first, 300);
      const again = await edge("GET", path, { ip, headers: { "if-none-match": etag! } });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expectRateHeaders(again, 300);
    }
  });

  it("shows an organizer's change at once", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const ip = newIp();
    const path = `/api/v1/events/${eventId}`;
    const before = await edge("GET", path, { ip });
    const etag = before.headers.get("etag")!;
    await edge("GET", path, { ip });
    const title = unique("Renamed ");
    const patch = await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { title } });
    expect(patch.status).toBe(200);
    const after = await edge("GET", path, { ip, headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect((await json(after, Event)).title).toBe(title);
  });

  it("serves everyone a cached seat map, and a shopper their own hold at once with minVersion", {
    timeout: 15_000,
  }, async () => {
    const { eventId } = await onSaleEvent();
    const ip = newIp();
    const seats = `/api/v1/events/${eventId}/seats?section=A`;
    const statusOf = async (response: Response, seat: string) =>
      (await json(response, SeatMap)).sections[0]?.seats?.find((s) => s.id === seat)?.status;

    const first = await edge("GET", seats, { ip });
    expect(first.headers.get("x-cache")).toBe("miss");
    expect(first.headers.get("cache-control")).toContain("s-maxage=1");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    // Junk query parameters do not bust the cache, and signed-in readers share it too.
    const fan = await tokenFor(unique("fan"));
    const second = await edge("GET", `${seats}&nocache=${Math.random()}`, { ip, token: fan });
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);
    const revalidated = await edge("GET", seats, { ip, headers: { "if-none-match": etag! } });
    expect(revalidated.status).toBe(304);

    const hold = await edge("POST", holdPath(eventId), { ip, token: fan, body: { seatIds: ["A-1-4"] } });
    expect(hold.status).toBe(201);
    const { version } = await json(hold, HoldCreated);
    expect(version).toBeGreaterThan(0);
    // The cached copy predates the hold; asking for the hold's version goes to the room.
    const own = await edge("GET", `${seats}&minVersion=${version}`, { ip, token: fan });
    expect(own.headers.get("x-cache")).toBe("miss");
    expect(await statusOf(own, "A-1-4")).toBe("held");
    const ownEtag = own.headers.get("etag");
    expect(ownEtag).not.toBe(etag);
    expect((await edge("GET", seats, { ip, token: fan, headers: { "if-none-match": ownEtag! } })).status).toBe(304);
    // That fresher copy now serves everyone else too.
    const anonymous = await edge("GET", seats, { ip });
    expect(anonymous.headers.get("x-cache")).toBe("hit");
    expect(await statusOf(anonymous, "A-1-4")).toBe("held");
    // A version the room has not reached yet is answered with what it has (never a wait).
    const ahead = await edge("GET", `${seats}&minVersion=${version + 1000}`, { ip });
    expect(ahead.status).toBe(200);
    expect((await json(ahead, SeatMap)).version).toBe(version);
    expect((await edge("GET", `${seats}&minVersion=-1`, { ip })).status).toBe(400);
  });
});

describe("hostile headers with protection on", () => {
  it("never answers 5xx and always uses the error shape, whatever the protection headers say", {
    timeout: 60_000,
  }, async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const junk = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        "",
        " ",
        "unknown",
        "::",
        "1.2.3.4, 5.6.7.8",
        "999.999.1.1",
        "a.b.c",
        "%00",
        "☃",
        "x".repeat(5000),
      ),
    );
    const statuses = new Set<number>();
    const header = (name: string) =>
      fc.option(
        junk.map((value) => [name, value] as const),
        { nil: undefined },
      );
    const routes = [
      ["GET", "/api/v1/events"],
      ["GET", `/api/v1/events/${eventId}`],
      ["GET", `/api/v1/events/${eventId}/seats`],
      ["POST", holdPath(eventId)],
      ["POST", "/api/v1/holds/hld.evt_x.y/extend"],
      ["DELETE", "/api/v1/holds/hld.evt_x.y"],
      ["POST", "/api/v1/holds/hld.evt_x.y/checkout"],
      ["GET", "/api/v1/challenge"],
      ["POST", "/api/v1/challenge"],
    ] as const;
    const requests = fc.sample(
      fc.record({
        route: fc.constantFrom(...routes),
        pairs: fc.tuple(
          header("cf-connecting-ip"),
          header("x-forwarded-for"),
          header("user-agent"),
          header("accept-language"),
          header("cookie"),
          header("x-clearance"),
          header("if-none-match"),
        ),
        signedIn: fc.boolean(),
        body: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ token: junk, solution: junk })), {
          nil: undefined,
        }),
      }),
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100_000) },
    );
    // In batches, not one by one: a rate-limit flush may wait up to a second in waitUntil.
    for (let start = 0; start < requests.length; start += 100) {
      await Promise.all(
        requests.slice(start, start + 100).map(async ({ route: [method, path], pairs, signedIn, body }) => {
          const headers: Record<string, string> = {};
          for (const pair of pairs) {
            // Headers carry Latin-1 only; a client cannot send anything else.
            if (pair && /^[\x20-\x7e]*$/.test(pair[1])) headers[pair[0]] = pair[1];
          }
          const response = await edge(method, path, {
            ip: headers["cf-connecting-ip"] ?? newIp(),
            as: {},
            token: signedIn ? fan : undefined,
            headers,
            body: method === "GET" || method === "DELETE" ? undefined : (body ?? {}),
          });
          const text = await response.text();
          const label = `${method} ${path} ${JSON.stringify(headers).slice(0, 300)} -> ${text.slice(0, 300)}`;
          expect(response.status, label).toBeLessThan(500);
          expect(response.headers.get("x-request-id"), label).toBeTruthy();
          if (response.status >= 400) {
            // The contract's error shape: a string code and message (and well-formed issues, if any).
            expect(ErrorBody.safeParse(JSON.parse(text)).success, label).toBe(true);
          }
          statuses.add(response.status);
        }),
      );
    }
    // Past the protections too, not only bounced off them.
    for (const status of [200, 403, 429]) expect(statuses.has(status), `status ${status}`).toBe(true);
  });
});
