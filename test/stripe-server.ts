import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Stripe-compatible API for tests (there is no stripe-mock here): PaymentIntents create
 * and retrieve, Refunds create, Stripe's idempotency keys, and a record of every call that tests
 * read at GET /__calls. It speaks the wire format the official SDK sends (form-encoded bodies).
 */

export interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: Record<string, unknown>;
}

/** `metadata[orderId]=x&a[b][c]=y` → nested objects, as Stripe parses them. */
function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.replace(/\]/g, "").split("[");
    let node = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

const randomId = (prefix: string) => `${prefix}_test_${Math.random().toString(36).slice(2, 14)}`;

export function startStripeServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const calls: RecordedCall[] = [];
  const intents = new Map<string, Record<string, unknown>>();
  const replays = new Map<string, { status: number; body: unknown }>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": randomId("req") });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { error: { type: "invalid_request_error", message } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://stripe.test");
    const method = req.method ?? "GET";
    if (url.pathname === "/__calls") return send(res, 200, calls);
    if (url.pathname === "/__reset") {
      calls.length = 0;
      return send(res, 200, { ok: true });
    }
    if (!req.headers.authorization?.startsWith("Bearer sk_")) return error(res, 401, "Invalid API Key provided");
    const params = parseForm(Buffer.concat(chunks).toString("utf8"));
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    calls.push({ method, path: url.pathname, idempotencyKey, params });
    const replayKey = idempotencyKey && `${method} ${url.pathname} ${idempotencyKey}`;
    if (replayKey && replays.has(replayKey)) {
      const replay = replays.get(replayKey)!;
      return send(res, replay.status, replay.body);
    }
    const reply = (status: number, body: unknown) => {
      if (replayKey) replays.set(replayKey, { status, body });
      send(res, status, body);
    };

    if (method === "POST" && url.pathname === "/v1/payment_intents") {
      const amount = Number(params.amount);
      if (!Number.isInteger(amount) || amount < 1 || typeof params.currency !== "string") {
        return error(res, 400, "amount and currency are required");
      }
      const id = randomId("pi");
      const intent = {
        id,
        object: "payment_intent",
        amount,
        amount_received: 0,
        currency: params.currency,
        status: "requires_payment_method",
        client_secret: `${id}_secret_${Math.random().toString(36).slice(2, 10)}`,
        metadata: params.metadata ?? {},
        livemode: false,
      };
      intents.set(id, intent);
      return reply(200, intent);
    }
    const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && retrieve) {
      const intent = intents.get(retrieve[1]!);
      return intent ? send(res, 200, intent) : error(res, 404, "No such payment_intent");
    }
    if (method === "POST" && url.pathname === "/v1/refunds") {
      const intent = intents.get(String(params.payment_intent));
      if (!intent) return error(res, 404, "No such payment_intent");
      return reply(200, {
        id: randomId("re"),
        object: "refund",
        payment_intent: intent.id,
        amount: intent.amount,
        currency: intent.currency,
        status: "succeeded",
      });
    }
    return error(res, 404, `Unrecognized request URL (${method}: ${url.pathname})`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => error(res, 500, "test server error"));
  });
  server.unref();
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
