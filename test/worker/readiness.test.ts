import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Health, Readiness } from "../../src/contract/responses";
import worker from "../../workers/edge";
import { BASE, call, json } from "./helpers";

/** `/readyz` against an environment with one part broken (a real fault, not a stand-in for our code). */
async function readyzWith(broken: Partial<Record<keyof Env, unknown>>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}/readyz`), { ...env, ...broken } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("readiness", () => {
  it("answers 200 {ok: true} when D1, a room, the queue producer and the settings all work", async () => {
    const response = await call("GET", "/readyz");
    expect(response.status).toBe(200);
    expect(await json(response, Readiness)).toEqual({ ok: true });
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers 503 naming d1 while D1 cannot serve a sale's tables, and 200 again once it can", async () => {
    await env.DB.exec("ALTER TABLE tickets RENAME TO tickets_unready");
    try {
      const response = await call("GET", "/readyz");
      expect(response.status).toBe(503);
      expect(await json(response, Readiness)).toEqual({ ok: false, failing: ["d1"] });
      // Liveness is not readiness: the isolate itself still answers.
      const live = await call("GET", "/healthz");
      expect(live.status).toBe(200);
      expect(await json(live, Health)).toEqual({ ok: true });
    } finally {
      await env.DB.exec("ALTER TABLE tickets_unready RENAME TO tickets");
    }
    expect((await call("GET", "/readyz")).status).toBe(200);
  });

  it("names the room when no room can be reached", async () => {
    // A deployment whose rooms Worker is not bound (script_name wrong or missing).
    const response = await readyzWith({ EVENT_ROOM: undefined });
    expect(response.status).toBe(503);
    expect(await json(response, Readiness)).toEqual({ ok: false, failing: ["room"] });
  });

  it("names the queue when the notifications producer is not bound", async () => {
    const response = await readyzWith({ NOTIFICATIONS: undefined });
    expect(response.status).toBe(503);
    expect(await json(response, Readiness)).toEqual({ ok: false, failing: ["queue"] });
  });

  it("names the settings when a setting is malformed (every other route answers 500) or a secret is missing", async () => {
    const malformed = await readyzWith({ QUEUE_SHARDS: "many" });
    expect(malformed.status).toBe(503);
    expect(await json(malformed, Readiness)).toEqual({ ok: false, failing: ["settings"] });
    const noSecret = await readyzWith({ TOKEN_SECRET: "" });
    expect(noSecret.status).toBe(503);
    expect(await json(noSecret, Readiness)).toEqual({ ok: false, failing: ["settings"] });
  });

  it("names every failing part at once", async () => {
    const response = await readyzWith({ NOTIFICATIONS: undefined, TOKEN_SECRET: "" });
    expect(await json(response, Readiness)).toEqual({ ok: false, failing: ["queue", "settings"] });
  });
});
