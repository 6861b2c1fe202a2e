import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenApi } from "../../src/contract/responses";
import { app } from "../../src/http/app";
import { generateClient } from "../../src/http/client-gen";
import type { AppEnv } from "../../src/http/context";
import { protectRoutes } from "../../src/http/middleware/http-surface";
import { documentedRoutes, openApiDocument, openApiPath } from "../../src/http/openapi";
import type { Method, OpenApiDocument } from "../../src/http/openapi-doc";
import { referenceMarkdown } from "../../src/http/reference";
import { ROUTES } from "../../src/http/route-table";
import { BASE, call, json } from "./helpers";

/** The served document: the contract checks its top, and it is read as the type src/http/openapi.ts writes. */
const Document = z.custom<OpenApiDocument>((body) => OpenApi.safeParse(body).success);

/** The app's own handlers, as `METHOD path`: app.routes minus app-wide middleware and the table's protection. */
function mountedRoutes(): Set<string> {
  const count = (routes: { method: string; path: string }[]) => {
    const counts = new Map<string, number>();
    for (const r of routes) counts.set(`${r.method} ${r.path}`, (counts.get(`${r.method} ${r.path}`) ?? 0) + 1);
    return counts;
  };
  const protection = new Hono<AppEnv>();
  protectRoutes(protection);
  const minus = count(protection.routes);
  const mounted = new Set<string>();
  for (const [key, n] of count(app.routes)) {
    if (key.startsWith("ALL ") || n - (minus.get(key) ?? 0) <= 0) continue;
    mounted.add(key);
  }
  return mounted;
}

describe("the route table", () => {
  it("lists exactly the routes the app mounts", () => {
    const table = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const mounted = mountedRoutes();
    expect(
      [...mounted].filter((r) => !table.has(r)),
      "mounted but not in src/http/route-table.ts",
    ).toEqual([]);
    expect(
      [...table].filter((r) => !mounted.has(r)),
      "in the table but not mounted",
    ).toEqual([]);
    expect(table.size, "a route is listed twice").toBe(ROUTES.length);
  });

  it("gives every operation a unique operationId, and every JSON route its success schema", () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of ROUTES) {
      // 204 No Content has no body to describe.
      if ((route.kind ?? "json") === "json" && route.status !== 204) {
        expect(route.response, route.operationId).toBeDefined();
      }
    }
  });
});

describe("the OpenAPI document", () => {
  const doc = openApiDocument(BASE);

  it("is served as generated, with servers naming the origin", async () => {
    const response = await call("GET", "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const served = await json(response, Document);
    expect(served).toEqual(doc);
    expect(served.servers).toEqual([{ url: BASE, description: expect.any(String) }]);
  });

  it("leaves out what exists only in local development or for the benchmarks", () => {
    const listed = Object.keys(doc.paths);
    expect(listed.filter((path) => /\/bench\/|\/dev\//.test(path))).toEqual([]);
    for (const route of ROUTES.filter((r) => r.tag === "Development")) {
      expect(
        doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase() as Method],
        route.operationId,
      ).toBeUndefined();
    }
  });

  it("documents every JSON route with an operationId, its 2xx body and its header parameters", () => {
    for (const route of documentedRoutes()) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase() as Method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op?.operationId).toBe(route.operationId);
      if ((route.kind ?? "json") === "json" && route.status !== 204) {
        expect(op?.responses?.[route.status]?.content?.["application/json"]?.schema, route.operationId).toBeDefined();
      }
      for (const header of route.headers ?? []) {
        expect(JSON.stringify(op?.parameters), `${route.operationId} ${header}`).toContain(header.replaceAll("-", ""));
      }
      expect(Array.isArray(op?.security), route.operationId).toBe(true);
    }
    const limit = doc.paths["/api/v1/events"]?.get?.parameters?.find((p) => p.name === "limit");
    expect(limit?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 20 });
    expect(doc.paths["/api/v1/events/{eventId}"]?.get?.responses?.["304"]).toBeDefined();
    expect(doc.paths["/api/v1/events"]?.get?.security).toEqual([]);
  });

  it("is answered by the server at every operation it lists (no 405, no unknown route)", async () => {
    const ids: Record<string, string> = {
      eventId: "evt_unknown",
      holdId: "hld.evt_unknown.x",
      orderId: "ord_unknown",
      ticketId: "tkt_unknown",
      venueId: "ven_unknown",
    };
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? "x");
        const response = await call(method.toUpperCase(), url, {
          headers: { "content-type": "application/json" },
          rawBody: method === "get" ? undefined : "{}",
        });
        const text = await response.text();
        expect(response.status, `${op.operationId}: ${text.slice(0, 200)}`).not.toBe(405);
        expect(text, op.operationId).not.toContain("No route for");
        const documented = Object.keys(op.responses ?? {});
        expect(
          documented.includes(String(response.status)) || documented.includes("default"),
          `${op.operationId} answered ${response.status}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(documentedRoutes().length);
  });

  it("is in step with docs/openapi.json, docs/API-REFERENCE.md and the typed client (npm run docs:api)", async () => {
    const local = openApiDocument("http://localhost:8787");
    await expect(`${JSON.stringify(local, null, 2)}\n`).toMatchFileSnapshot("../../docs/openapi.json");
    await expect(referenceMarkdown(local)).toMatchFileSnapshot("../../docs/API-REFERENCE.md");
    await expect(generateClient(local)).toMatchFileSnapshot("../../src/contract/client.gen.ts");
  });
});
