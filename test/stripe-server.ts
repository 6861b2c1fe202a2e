import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Stripe-compatible API for tests (there is no stripe-mock here): PaymentIntents create,
 * retrieve (with `expand[]=latest_charge`) and cancel, Refunds create (whole or `amount`), Stripe's
 * idempotency keys, and a record of every call that tests read at GET /__calls. It speaks the wire
 * format the official SDK sends (form-encoded bodies).
 *
 * Test controls (no auth): `POST /__intents/:id` `{"status"}` plays the customer at Stripe (e.g.
 * pays an intent whose webhook then never comes); `POST /__faults` `{"match", "status"?, "delayMs"?,
 * "times"?}` makes the next `times` calls whose path or `payment_intent` contains `match` fail
 * with `status` (not processed, as Stripe's 5xx) or answer `delayMs` late (processed first, so a
 * retry with the same idempotency key gets the stored answer, as at Stripe).
 */

interface Fault {
  match: string;
  status?: number;
  delayMs?: number;
  times: number;
}

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
  const refunded = new Map<string, number>();
  const faults: Fault[] = [];
  let jwks: unknown = { keys: [] };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": randomId("req") });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, {
      error: { type: "invalid_request_error", message, ...(status === 404 && { code: "resource_missing" }) },
    });

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
    const control = /^\/__intents\/([^/]+)$/.exec(url.pathname);
    if (method === "POST" && control) {
      const intent = intents.get(control[1]!);
      if (!intent) return error(res, 404, "No such payment_intent");
      Object.assign(intent, JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      if (intent.status === "succeeded") intent.amount_received = intent.amount;
      return send(res, 200, intent);
    }
    // A refund that Stripe accepted fails afterwards (bank refused it): its amount is no longer refunded.
    if (method === "POST" && url.pathname === "/__refunds/fail") {
      const { payment_intent: pi, amount } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        payment_intent: string;
        amount: number;
      };
      refunded.set(pi, Math.max(0, (refunded.get(pi) ?? 0) - amount));
      return send(res, 200, { ok: true, amount_refunded: refunded.get(pi) });
    }
    // A key set for user tokens (AUTH_JWKS_URL tests): POST stores it, GET serves it.
    if (url.pathname === "/__jwks") {
      if (method === "POST") jwks = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      return send(res, 200, jwks);
    }
    if (method === "POST" && url.pathname === "/__faults") {
      const fault = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Fault;
      faults.push({ ...fault, times: fault.times ?? 1 });
      return send(res, 200, { ok: true });
    }
    if (!req.headers.authorization?.startsWith("Bearer sk_")) return error(res, 401, "Invalid API Key provided");
    const params = parseForm(Buffer.concat(chunks).toString("utf8"));
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    calls.push({ method, path: url.pathname, idempotencyKey, params });
    const fault = faults.find(
      (f) => f.times > 0 && (url.pathname.includes(f.match) || String(params.payment_intent ?? "") === f.match),
    );
    if (fault) fault.times--;
    if (fault?.status) return error(res, fault.status, "injected fault");
    const delay = fault?.delayMs ?? 0;
    const replayKey = idempotencyKey && `${method} ${url.pathname} ${idempotencyKey}`;
    if (replayKey && replays.has(replayKey)) {
      const replay = replays.get(replayKey)!;
      return send(res, replay.status, replay.body);
    }
    const reply = (status: number, body: unknown) => {
      if (replayKey) replays.set(replayKey, { status, body });
      if (delay > 0) setTimeout(() => send(res, status, body), delay);
      else send(res, status, body);
    };
    const refuse = (status: number, code: string, message: string) =>
      reply(status, { error: { type: "invalid_request_error", code, message } });

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
      if (!intent) return error(res, 404, "No such payment_intent");
      const charge = {
        id: `ch_${intent.id}`,
        object: "charge",
        amount: intent.amount,
        amount_refunded: refunded.get(String(intent.id)) ?? 0,
        refunded: (refunded.get(String(intent.id)) ?? 0) >= Number(intent.amount),
      };
      const expanded = [...url.searchParams].some(([k, v]) => k.startsWith("expand") && v === "latest_charge");
      return reply(200, { ...intent, latest_charge: expanded ? charge : charge.id });
    }
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(url.pathname);
    if (method === "POST" && cancel) {
      const intent = intents.get(cancel[1]!);
      if (!intent) return error(res, 404, "No such payment_intent");
      if (intent.status === "succeeded" || intent.status === "canceled") {
        return refuse(400, "payment_intent_unexpected_state", `This PaymentIntent is ${intent.status}.`);
      }
      intent.status = "canceled";
      return reply(200, intent);
    }
    if (method === "POST" && url.pathname === "/v1/refunds") {
      const intent = intents.get(String(params.payment_intent));
      if (!intent) return error(res, 404, "No such payment_intent");
      const already = refunded.get(String(intent.id)) ?? 0;
      const left = Number(intent.amount) - already;
      const amount = params.amount === undefined ? left : Number(params.amount);
      if (left <= 0) return refuse(400, "charge_already_refunded", "This charge has already been refunded.");
      if (!Number.isInteger(amount) || amount < 1 || amount > left) {
        return refuse(400, "amount_too_large", "Refund amount is greater than what is left to refund.");
      }
      refunded.set(String(intent.id), already + amount);
      return reply(200, {
        id: randomId("re"),
        object: "refund",
        payment_intent: intent.id,
        amount,
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
