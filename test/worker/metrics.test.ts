import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HoldCreated } from "../../src/contract/responses";
import { TEST_BINDINGS } from "../bindings";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";

const scrape = (token: string | null = TEST_BINDINGS.METRICS_TOKEN) =>
  call("GET", "/metrics", token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

/** `name{labels} value` lines of a scrape, as a map (labels in the order we write them). */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const total = (map: Map<string, number>, prefix: string) =>
  [...map].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

describe("GET /metrics", () => {
  it("refuses a scrape without the METRICS_TOKEN (401, the contract's error shape)", async () => {
    for (const token of [null, "wrong-token", `${TEST_BINDINGS.METRICS_TOKEN}x`]) {
      const response = await scrape(token);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("counts every hold decision by result, its latency histogram, and the active holds", async () => {
    const before = samples(await (await scrape()).text());
    const { eventId } = await onSaleEvent();
    const granted: string[] = [];
    let refused = 0;
    // Two fans race for the same seats: each seat is granted once, every other attempt is refused.
    for (let i = 0; i < 6; i++) {
      const token = await tokenFor(unique("fan"));
      const response = await call("POST", `/api/v1/events/${eventId}/holds`, {
        token,
        body: { seatIds: [`A-1-${1 + (i % 3)}`] },
      });
      if (response.status === 201) granted.push((await json(response, HoldCreated)).holdId);
      else refused++;
    }
    expect(granted).toHaveLength(3);
    expect(refused).toBe(3);

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    const text = await response.text();
    const after = samples(text);
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('tickets_holds_total{result="granted"}')).toBe(3);
    // A refusal comes from the room, or from the edge's copy of the taken seats (never the room's latency).
    const atEdge = delta('tickets_holds_total{result="edge_seats_unavailable"}');
    expect(delta('tickets_holds_total{result="seats_unavailable"}') + atEdge).toBe(3);
    expect(total(after, "tickets_holds_total{") - total(before, "tickets_holds_total{")).toBe(6);
    expect(delta("tickets_hold_decision_seconds_count")).toBe(6 - atEdge);
    expect(delta('tickets_hold_decision_seconds_bucket{le="+Inf"}')).toBe(6 - atEdge);
    expect(after.get(`tickets_event_active_holds{event="${eventId}"}`)).toBe(3);
    expect(after.get("tickets_active_holds")).toBeGreaterThanOrEqual(3);
    for (const name of [
      "tickets_holds_total",
      "tickets_hold_decision_seconds",
      "tickets_active_holds",
      "tickets_payments_total",
      "tickets_queue_waiting",
      "tickets_notifications_total",
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain("# TYPE tickets_hold_decision_seconds histogram");
  });

  it("counts the holds of an event split into a room per section, in every room", async () => {
    const before = samples(await (await scrape()).text());
    const { eventId } = await onSaleEvent({ rooms: "section" });
    const token = await tokenFor(unique("fan"));
    for (const body of [
      { seatIds: ["A-1-1"] },
      { seatIds: ["B-1-1"] },
      { ga: [{ sectionId: "FLOOR", quantity: 2 }] },
    ]) {
      expect((await call("POST", `/api/v1/events/${eventId}/holds`, { token, body })).status).toBe(201);
    }
    const after = samples(await (await scrape()).text());
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('tickets_holds_total{result="granted"}')).toBe(3);
    expect(delta("tickets_hold_decision_seconds_count")).toBe(3);
    expect(after.get(`tickets_event_active_holds{event="${eventId}"}`)).toBe(3);
  });

  it("counts payments and notifications from D1, and the edge's answers by route class and code", async () => {
    await env.DB.prepare(
      "INSERT INTO notifications (dedupe_key, kind, event_id, payload, status, attempts, created_at, updated_at) VALUES (?1, 'order_confirmed', 'ev_m', '{}', 'dead', 5, 0, 0)",
    )
      .bind(unique("order_confirmed:"))
      .run();
    await call("GET", "/api/v1/events/evt_missing_metrics");
    const after = samples(await (await scrape()).text());
    expect(after.get('tickets_notifications_total{kind="order_confirmed",outcome="dead"}')).toBeGreaterThanOrEqual(1);
    expect(after.has('tickets_payments_total{result="succeeded"}')).toBe(true);
    expect(after.get('tickets_edge_refusals_total{code="NOT_FOUND"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('tickets_edge_requests_total{class="browse",status="404"}')).toBeGreaterThanOrEqual(1);
  });
});
