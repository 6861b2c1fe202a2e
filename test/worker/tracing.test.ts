import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../../src/db/client";
import { loggerFor } from "../../src/log";
import { NOTIFICATIONS_QUEUE } from "../../src/notify/consumer";
import { enqueue } from "../../src/notify/enqueue";
import { dedupeKeyOf, Notification, type QueuedNotification } from "../../src/notify/messages";
import { recordOnce } from "../../src/notify/store";
import worker from "../../workers/edge";
import { BASE, unique } from "./helpers";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

/** Every JSON line the Worker writes while `work` runs (all levels). */
async function linesDuring(work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const keep = (line: unknown) => {
    if (typeof line === "string" && line.startsWith("{")) lines.push(line);
  };
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(keep);
  await work();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

/** The Worker with every line logged (the tests' default is errors only). */
const verbose = { ...env, LOG_LEVEL: "debug", LOG_REQUESTS: "on" } as Env;

async function fetchWith(path: string, headers: Record<string, string>, environment: Env = verbose) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, { headers }), environment, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("W3C traceparent", () => {
  it("keeps an incoming trace: every log line of the request carries its trace id, and the answer names it", async () => {
    let response: Response | undefined;
    // A 503 readiness answer logs twice (the warning and the request line), so there is more than one line.
    const broken = { ...verbose, NOTIFICATIONS: undefined } as unknown as Env;
    const lines = await linesDuring(async () => {
      response = await fetchWith("/readyz", { traceparent: TRACEPARENT }, broken);
    });
    expect(response?.status).toBe(503);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatchObject({ traceId: TRACE_ID, requestId: TRACE_ID });
    // Without an x-request-id, the trace id is the request id too; the next hop's parent is our own span.
    expect(response?.headers.get("x-request-id")).toBe(TRACE_ID);
    const answered = response?.headers.get("traceresponse") ?? "";
    expect(answered).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(answered).not.toBe(TRACEPARENT);
  });

  it("keeps a well-formed x-request-id beside the trace id", async () => {
    const lines = await linesDuring(() =>
      fetchWith("/healthz", { traceparent: TRACEPARENT, "x-request-id": "req-abc-12345" }),
    );
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatchObject({ traceId: TRACE_ID, requestId: "req-abc-12345" });
  });

  it("ignores a malformed traceparent and starts a trace of its own", async () => {
    for (const bad of [
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      `00-${TRACE_ID}-0000000000000000-01`,
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
      "garbage",
    ]) {
      let response: Response | undefined;
      const lines = await linesDuring(async () => {
        response = await fetchWith("/healthz", { traceparent: bad });
      });
      const own = lines[0]?.traceId;
      expect(own, bad).toMatch(/^[0-9a-f]{32}$/);
      expect(own, bad).not.toBe(TRACE_ID);
      expect(response?.status, bad).toBe(200);
      expect(response?.headers.get("traceresponse"), bad).toContain(String(own));
    }
  });

  it("carries the request's ids through the notifications queue to the consumer's lines", async () => {
    const sent: unknown[] = [];
    // The queue binding records what it is given (Cloudflare's side); everything of ours runs for real.
    const producer = {
      ...env,
      NOTIFICATIONS: { send: async (body: unknown) => void sent.push(body) },
    } as unknown as Env;
    const log = loggerFor("req-trace-1234", "error", TRACE_ID);
    const orderId = unique("order");
    const outcome = await enqueue(producer, { kind: "order_confirmed", eventId: unique("ev"), orderId }, log);
    expect(outcome).toBe("queued");
    expect(sent).toHaveLength(1);
    const body = sent[0] as QueuedNotification;
    expect(body).toMatchObject({ requestId: "req-trace-1234", traceId: TRACE_ID });

    const lines = await linesDuring(async () => {
      const batch = createMessageBatch(NOTIFICATIONS_QUEUE, [
        { id: unique("m"), timestamp: new Date(), attempts: 1, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, verbose, ctx);
      await getQueueResult(batch, ctx);
    });
    // The order does not exist, so the consumer logs that it skipped the message: with the request's ids.
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatchObject({ requestId: "req-trace-1234", traceId: TRACE_ID });
  });

  it("a queued message without ids (queued before this change, or by the sweep) is still consumed", async () => {
    const message = Notification.parse({ kind: "order_confirmed", eventId: unique("ev"), orderId: unique("o") });
    const key = dedupeKeyOf(message);
    await recordOnce(database(env.DB), key, message, Date.now());
    const batch = createMessageBatch(NOTIFICATIONS_QUEUE, [
      { id: unique("m"), timestamp: new Date(), attempts: 1, body: { key, message } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
  });
});
