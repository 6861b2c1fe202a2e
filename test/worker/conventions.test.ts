import { describe, expect, it } from "vitest";
import { HoldCreated, SeatMap } from "../../src/contract/responses";
import { CORS_REQUEST_HEADERS } from "../../src/http/middleware/http-surface";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";

/** API.md "Conventions": CORS, 415, 405 with Allow, 401 with WWW-Authenticate, no-store, Vary. */

const LISTED = "https://app.example"; // in CORS_ORIGINS (test/bindings.ts)
const UNLISTED = "https://evil.example";

const preflight = (path: string, origin: string, method = "POST", headers = "authorization, content-type") =>
  call("OPTIONS", path, {
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });

describe("CORS", () => {
  it("answers a preflight from a listed origin with its methods, the contract's headers and a max-age", async () => {
    const response = await preflight("/api/v1/events/evt_x/holds", LISTED, "POST", "authorization, idempotency-key");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    const allowed = response.headers.get("access-control-allow-headers")?.split(/,\s*/) ?? [];
    for (const header of ["authorization", "content-type", "idempotency-key", "x-access-token", "x-clearance"]) {
      expect(allowed).toContain(header);
    }
    expect(allowed).toEqual(CORS_REQUEST_HEADERS);
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives an unlisted origin no CORS headers, on the preflight and on the request", async () => {
    const response = await preflight("/api/v1/events/evt_x/holds", UNLISTED);
    expect(response.status).toBe(204);
    for (const name of [
      "access-control-allow-origin",
      "access-control-allow-methods",
      "access-control-allow-headers",
    ]) {
      expect(response.headers.get(name), name).toBeNull();
    }
    expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
    const token = await tokenFor(unique("fan"));
    const read = await call("GET", "/api/v1/me/tickets", { token, headers: { origin: UNLISTED } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
    expect(read.headers.get("vary")).toMatch(/\bOrigin\b/);
    const listed = await call("GET", "/api/v1/me/tickets", { token, headers: { origin: LISTED } });
    expect(listed.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(listed.headers.get("access-control-expose-headers")).toMatch(/x-request-id/);
  });

  it("opens public reads to any origin, not locked by Cross-Origin-Resource-Policy", async () => {
    const { eventId } = await onSaleEvent();
    for (const path of [
      "/api/v1/events",
      `/api/v1/events/${eventId}`,
      `/api/v1/events/${eventId}/seats`,
      "/.well-known/jwks.json",
      "/api/v1/openapi.json",
      "/healthz",
    ]) {
      const response = await call("GET", path, { headers: { origin: UNLISTED } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(response.headers.get("cross-origin-resource-policy"), path).toBe("cross-origin");
      const options = await preflight(path, UNLISTED, "GET", "if-none-match");
      expect(options.status, path).toBe(204);
      expect(options.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(options.headers.get("access-control-allow-methods"), path).toBe("GET, HEAD, OPTIONS");
    }
    const other = await call("GET", "/api/v1/me/orders", { headers: { origin: UNLISTED } });
    expect(other.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });
});

describe("HTTP status conventions", () => {
  it("415 UNSUPPORTED_MEDIA_TYPE for a JSON route's body in another content type (charset is fine)", async () => {
    const { eventId } = await onSaleEvent();
    const token = await tokenFor(unique("fan"));
    const body = JSON.stringify({ seatIds: ["A-1-1"] });
    const variants: Record<string, string>[] = [
      { "content-type": "text/plain" },
      { "content-type": "application/x-www-form-urlencoded" },
      {},
    ];
    for (const headers of variants) {
      const response = await call("POST", `/api/v1/events/${eventId}/holds`, { token, rawBody: body, headers });
      expect(response.status, JSON.stringify(headers)).toBe(415);
      await errorOf(response, "UNSUPPORTED_MEDIA_TYPE");
    }
    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    expect(seats.sections[0]?.seats?.find((s) => s.id === "A-1-1")?.status).toBe("available");
    const ok = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token,
      rawBody: body,
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(ok.status).toBe(201);
  });

  it("405 METHOD_NOT_ALLOWED with Allow on a known path; 404 on an unknown one", async () => {
    const response = await call("PUT", "/api/v1/events/evt_x");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    await errorOf(response, "METHOD_NOT_ALLOWED");
    const hold = await call("PATCH", "/api/v1/holds/hld.evt_x.y");
    expect(hold.status).toBe(405);
    expect(hold.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
    expect((await call("DELETE", "/api/v1/nothing-here")).status).toBe(404);
  });

  it("401 carries WWW-Authenticate: Bearer (invalid_token when one was sent)", async () => {
    const missing = await call("GET", "/api/v1/me/tickets");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    const bad = await call("GET", "/api/v1/me/orders", { headers: { authorization: "Bearer a.b.c" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("Cache-Control: no-store on personal JSON, Vary: Accept-Encoding on compressible bodies", async () => {
    const { eventId } = await onSaleEvent();
    const token = await tokenFor(unique("fan"));
    const hold = await call("POST", `/api/v1/events/${eventId}/holds`, { token, body: { seatIds: ["A-2-1"] } });
    expect(hold.headers.get("cache-control")).toBe("private, no-store");
    const { holdId } = await json(hold, HoldCreated);
    for (const path of [`/api/v1/holds/${holdId}`, "/api/v1/me/tickets", "/api/v1/me/orders"]) {
      const response = await call("GET", path, { token });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toMatch(/no-store/);
      expect(response.headers.get("vary"), path).toMatch(/Accept-Encoding/);
    }
    const catalog = await call("GET", "/api/v1/events");
    expect(catalog.headers.get("cache-control")).not.toMatch(/no-store/);
    expect(catalog.headers.get("vary")).toMatch(/Accept-Encoding/);
  });
});
