import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Resend-compatible email API for tests: `POST /emails` with a bearer key and JSON
 * `{from, to, subject, text, html}` answers `{"id"}`, replaying the first answer for a repeated
 * Idempotency-Key. Recipients script failures: `fail<N>-...@` fails its first N sends with a 500,
 * `down-...@` always answers 503. Tests read what was accepted at `GET /__emails?to=`.
 */

export interface AcceptedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string | undefined;
}

export function startEmailServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const accepted: AcceptedEmail[] = [];
  const failures = new Map<string, number>();
  const replays = new Map<string, string>();
  let counter = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://email.test");
    if (req.method === "GET" && url.pathname === "/__emails") {
      const to = url.searchParams.get("to");
      return send(res, 200, {
        data: to ? accepted.filter((e) => e.to.includes(to)) : accepted,
        failures: [...failures],
      });
    }
    if (req.method !== "POST" || url.pathname !== "/emails") return send(res, 404, { message: "not found" });
    if (!req.headers.authorization?.startsWith("Bearer re_")) return send(res, 401, { message: "API key is invalid" });
    let body: Partial<AcceptedEmail> & { to?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { message: "invalid JSON" });
    }
    const to = Array.isArray(body.to) ? body.to.map(String) : typeof body.to === "string" ? [body.to] : [];
    if (to.length === 0 || !body.from || !body.subject || (!body.text && !body.html)) {
      return send(res, 422, { message: "from, to, subject and text or html are required" });
    }
    const recipient = to[0]!;
    if (recipient.startsWith("down-")) return send(res, 503, { message: "service unavailable" });
    const scripted = /^fail(\d+)-/.exec(recipient);
    if (scripted) {
      const seen = failures.get(recipient) ?? 0;
      failures.set(recipient, seen + 1);
      if (seen < Number(scripted[1])) return send(res, 500, { message: `scripted failure ${seen + 1}` });
    }
    const key = req.headers["idempotency-key"] as string | undefined;
    if (key && replays.has(key)) return send(res, 200, { id: replays.get(key) });
    const id = `email_${++counter}`;
    if (key) replays.set(key, id);
    accepted.push({
      id,
      from: String(body.from),
      to,
      subject: String(body.subject),
      text: String(body.text ?? ""),
      html: String(body.html ?? ""),
      idempotencyKey: key,
    });
    return send(res, 200, { id });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { message: "test server error" }));
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
