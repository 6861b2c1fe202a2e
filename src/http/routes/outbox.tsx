import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { database } from "../../db/client";
import { type OutboxRow, outboxFor } from "../../notify/store";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { queryParams } from "../validate";

/**
 * EMAIL_PROVIDER=outbox keeps every message in D1; these read them back, newest first:
 * `GET /api/v1/dev/outbox?to=` (JSON) and the page `/dev/outbox`. Both 404 outside local
 * development (ENVIRONMENT=development, or test).
 */

const OutboxQuery = z.object({
  to: z.string().trim().max(254).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "must be a whole number up to 999")
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional(),
});

const outboxView = (row: OutboxRow) => ({
  messageId: row.id,
  to: row.to,
  kind: row.kind,
  subject: row.subject,
  text: row.text,
  ...(row.orderId !== null && { orderId: row.orderId }),
  ...(row.eventId !== null && { eventId: row.eventId }),
  createdAt: new Date(row.createdAt).toISOString(),
});

const developmentOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.settings.devRoutes) throw new ApiError("NOT_FOUND", "No such route.");
  await next();
});

export const outbox = new Hono<AppEnv>()
  .get("/api/v1/dev/outbox", developmentOnly, queryParams(OutboxQuery), async (c) => {
    const rows = await outboxFor(database(c.env.DB), c.var.query.to || undefined, c.var.query.limit);
    return c.json({ data: rows.map(outboxView) }, 200, { "cache-control": "no-store" });
  })
  .get("/dev/outbox", developmentOnly, queryParams(OutboxQuery), async (c) => {
    const to = c.var.query.to || undefined;
    const rows = await outboxFor(database(c.env.DB), to, c.var.query.limit);
    c.header("cache-control", "no-store");
    return c.html(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Outbox</title>
        </head>
        <body style="font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem">
          <h1>Outbox</h1>
          <p>Messages kept by EMAIL_PROVIDER=outbox (local development), newest first.</p>
          <form method="get" action="/dev/outbox">
            <label>
              Recipient <input type="email" name="to" value={to ?? ""} />
            </label>{" "}
            <button type="submit">Filter</button>
          </form>
          {rows.length === 0 ? <p>No messages.</p> : null}
          {rows.map((row) => (
            <article data-message-id={row.id} data-kind={row.kind} style="border-top:1px solid #ccc;padding:0.5rem 0">
              <h2 style="font-size:1rem;margin:0.5rem 0">{row.subject}</h2>
              <p style="margin:0;color:#555">
                To {row.to} · {row.kind} ·{" "}
                <time datetime={new Date(row.createdAt).toISOString()}>{new Date(row.createdAt).toISOString()}</time>
              </p>
              <pre style="white-space:pre-wrap">{row.text}</pre>
            </article>
          ))}
        </body>
      </html>,
    );
  });
