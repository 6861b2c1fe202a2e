import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import {
  ChallengeOffer,
  Checkout,
  Event,
  EventList,
  EventStats,
  Health,
  Hold,
  HoldCreated,
  Jwks,
  OpenApi,
  Order,
  OrderList,
  OrganizerEventList,
  QueueState,
  Refund,
  SeatMap,
  Ticket,
  TicketList,
  WaitlistEntry,
} from "../../src/contract/responses";
import type { Method, OpenApiDocument } from "../../src/http/openapi-doc";
import {
  api,
  buy,
  checked,
  createEvent,
  expectClean,
  newContext,
  ONE_ROOM,
  sharedBrowser,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

/**
 * The API as an integrator meets it, from outside the Worker (`wrangler dev`), with tools nobody
 * here wrote: the served OpenAPI document linted by Redocly, real answers validated against it by
 * ajv, the /docs reference in Chromium, and CORS as a page on another origin sees it.
 */

const browser = sharedBrowser();

/** The served document: the contract checks its top, and it is read as the type src/http/openapi.ts writes. */
const Document = z.custom<OpenApiDocument>((body) => OpenApi.safeParse(body).success);

/** What `redocly lint --format=json` prints: its problems (kept whole, for the failure message) and totals. */
const LintReport = z.object({
  problems: z.array(z.looseObject({ severity: z.string() })),
  totals: z.looseObject({ errors: z.number() }),
});

async function servedDocument(): Promise<OpenApiDocument> {
  const response = await fetch(new URL("/api/v1/openapi.json", inject("baseUrl")));
  expect(response.status).toBe(200);
  return checked(Document, await response.json(), "GET /api/v1/openapi.json");
}

describe("the served OpenAPI document", () => {
  it("passes `redocly lint` with the recommended rules: 0 errors", async () => {
    const dir = mkdtempSync(join(os.tmpdir(), "openapi-"));
    try {
      const file = join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(await servedDocument()));
      const lint = spawnSync("node_modules/.bin/redocly", ["lint", "--extends=recommended", "--format=json", file], {
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      });
      const report = checked(LintReport, JSON.parse(lint.stdout), "redocly lint");
      const errors = report.problems.filter((p) => p.severity === "error");
      expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("describes real answers: a shopper's and an organizer's journey validate with ajv", async () => {
    const { validatorFor, answer } = validating(await servedDocument());
    // The validators do refuse what the document rules out.
    expect(validatorFor("/api/v1/events/{eventId}", "get", 200)({ eventId: 7 })).toBe(false);
    expect(validatorFor("/api/v1/holds/{holdId}", "get", 200)({ holdId: "h", status: "lost" })).toBe(false);

    const { eventId, organizer } = await createEvent(ONE_ROOM);
    const fan = await tokenFor(unique("fan"));
    await answer(Health, "GET", "/healthz", "/healthz");
    await answer(EventList, "GET", "/api/v1/events", "/api/v1/events?limit=5");
    await answer(Event, "GET", "/api/v1/events/{eventId}", `/api/v1/events/${eventId}`);
    await answer(SeatMap, "GET", "/api/v1/events/{eventId}/seats", `/api/v1/events/${eventId}/seats`);
    await answer(QueueState, "POST", "/api/v1/events/{eventId}/queue", `/api/v1/events/${eventId}/queue`);
    const hold = await answer(
      HoldCreated,
      "POST",
      "/api/v1/events/{eventId}/holds",
      `/api/v1/events/${eventId}/holds`,
      fan,
      {
        seatIds: ["A-1-1"],
        ga: [{ sectionId: "FLOOR", quantity: 2 }],
      },
    );
    await answer(Hold, "GET", "/api/v1/holds/{holdId}", `/api/v1/holds/${hold.holdId}`, fan);
    await answer(Checkout, "POST", "/api/v1/holds/{holdId}/checkout", `/api/v1/holds/${hold.holdId}/checkout`, fan);
    const { orderId } = await buy(eventId, fan, { seatIds: ["A-1-2"] });
    await answer(Order, "GET", "/api/v1/orders/{orderId}", `/api/v1/orders/${orderId}`, fan);
    await answer(OrderList, "GET", "/api/v1/me/orders", "/api/v1/me/orders", fan);
    await answer(TicketList, "GET", "/api/v1/me/tickets", "/api/v1/me/tickets", fan);
    await answer(Jwks, "GET", "/.well-known/jwks.json", "/.well-known/jwks.json");
    await answer(ChallengeOffer, "GET", "/api/v1/challenge", "/api/v1/challenge");
    await answer(OrganizerEventList, "GET", "/api/v1/admin/events", "/api/v1/admin/events", organizer);
    await answer(
      EventStats,
      "GET",
      "/api/v1/admin/events/{eventId}/stats",
      `/api/v1/admin/events/${eventId}/stats`,
      organizer,
    );
    await answer(OpenApi, "GET", "/api/v1/openapi.json", "/api/v1/openapi.json");
  });

  it("describes how orders end: free, declined, transferred, refunded, cancelled, and the waitlist", async () => {
    const { validatorFor, answer } = validating(await servedDocument());
    expect(validatorFor("/api/v1/events/{eventId}/holds", "post", 201)({ holdId: "h" }), "no version").toBe(false);
    const { eventId, organizer } = await createEvent();
    const fan = await tokenFor(unique("fan"));
    const order = `/api/v1/orders/{orderId}`;

    // A declined card: still pending, with lastPaymentError.
    const declined = await answer(
      HoldCreated,
      "POST",
      "/api/v1/events/{eventId}/holds",
      `/api/v1/events/${eventId}/holds`,
      fan,
      {
        seatIds: ["A-2-1"],
      },
    );
    const pending = await answer(
      Checkout,
      "POST",
      "/api/v1/holds/{holdId}/checkout",
      `/api/v1/holds/${declined.holdId}/checkout`,
      fan,
    );
    await api("POST", `/pay/${pending.orderId}`, { token: fan, body: { result: "fail" } });
    const failed = await answer(Order, "GET", order, `/api/v1/orders/${pending.orderId}`, fan);
    expect(failed).toMatchObject({ status: "pending", lastPaymentError: expect.any(String) });

    // A transfer: the sender's order shows the ticket as transferred, without a code.
    const gift = await buy(eventId, fan, { seatIds: ["A-2-2"] });
    const ticket = (await answer(Order, "GET", order, `/api/v1/orders/${gift.orderId}`, fan)).tickets[0]!;
    const transfer = `/api/v1/tickets/${ticket.ticketId}/transfer`;
    await answer(Ticket, "POST", "/api/v1/tickets/{ticketId}/transfer", transfer, fan, { toUserId: unique("friend") });
    const given = await answer(Order, "GET", order, `/api/v1/orders/${gift.orderId}`, fan);
    expect(given.tickets).toEqual([{ ticketId: ticket.ticketId, status: "transferred" }]);

    // Refunds: one named ticket, then the rest.
    const two = await buy(eventId, fan, { ga: [{ sectionId: "FLOOR", quantity: 2 }] });
    const { tickets } = await answer(Order, "GET", order, `/api/v1/orders/${two.orderId}`, fan);
    const refund = `/api/v1/admin/orders/${two.orderId}/refund`;
    const refundPath = "/api/v1/admin/orders/{orderId}/refund";
    const part = await answer(Refund, "POST", refundPath, refund, organizer, { ticketIds: [tickets[0]!.ticketId] });
    expect(part).toMatchObject({ status: "partially_refunded", refundedCents: 2500 });
    expect((await answer(Refund, "POST", refundPath, refund, organizer)).status).toBe("refunded");
    expect(await answer(Order, "GET", order, `/api/v1/orders/${two.orderId}`, fan)).toMatchObject({
      status: "refunded",
      refundedCents: 5000,
    });

    // The waitlist: join, read, leave.
    const waitlist = `/api/v1/events/${eventId}/waitlist`;
    await answer(WaitlistEntry, "POST", "/api/v1/events/{eventId}/waitlist", waitlist, fan, { quantity: 1 });
    await answer(WaitlistEntry, "GET", "/api/v1/events/{eventId}/waitlist/me", `${waitlist}/me`, fan);
    await answer(WaitlistEntry, "DELETE", "/api/v1/events/{eventId}/waitlist/me", `${waitlist}/me`, fan);

    // Cancelling the event: stats show the refunds' progress.
    const admin = `/api/v1/admin/events/${eventId}`;
    await answer(Event, "PATCH", "/api/v1/admin/events/{eventId}", admin, organizer, { action: "cancel" });
    const stats = await answer(EventStats, "GET", "/api/v1/admin/events/{eventId}/stats", `${admin}/stats`, organizer);
    expect(stats.cancellation).toMatchObject({ ordersToRefund: expect.any(Number) });

    // A free order: confirmed at checkout, payment null.
    const free = await createEvent({ prices: { A: 0, B: 0, FLOOR: 0 } });
    const held = await answer(
      HoldCreated,
      "POST",
      "/api/v1/events/{eventId}/holds",
      `/api/v1/events/${free.eventId}/holds`,
      fan,
      {
        ga: [{ sectionId: "FLOOR", quantity: 1 }],
      },
    );
    const confirmed = await answer(
      Checkout,
      "POST",
      "/api/v1/holds/{holdId}/checkout",
      `/api/v1/holds/${held.holdId}/checkout`,
      fan,
    );
    expect(confirmed).toMatchObject({ status: "confirmed", totalCents: 0, payment: null });
    await answer(Order, "GET", order, `/api/v1/orders/${confirmed.orderId}`, fan);
  });
});

/**
 * ajv validators for the document's success answers, and a caller that validates each answer against
 * the served document (ajv) and the contract's schema for it (zod), and returns it typed by that.
 */
function validating(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: "https://edge-tickets.test/openapi.json" });
  const validatorFor = (path: string, method: string, status: number) => {
    const schema = doc.paths[path]?.[method as Method]?.responses?.[status]?.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`the document has no JSON answer for ${method} ${path} ${status}`);
    const ref = schema.$ref ? `https://edge-tickets.test/openapi.json${schema.$ref}` : undefined;
    const check = ref ? ajv.getSchema(ref) : ajv.compile(schema);
    if (!check) throw new Error(`no schema at ${ref}`);
    return check;
  };
  const answer = async <S extends z.ZodType>(
    schema: S,
    method: string,
    docPath: string,
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<z.output<S>> => {
    const { status, body: json } = await api(method, url, { token, body });
    expect(status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
    const check = validatorFor(docPath, method.toLowerCase(), status);
    expect(check(json), `${method} ${docPath} ${status}: ${ajv.errorsText(check.errors)}`).toBe(true);
    return checked(schema, json, `${method} ${url} ${status}`);
  };
  return { validatorFor, answer };
}

/** The page's getComputedStyle, named for this file's type checker (it has no DOM library). */
type Styled = { getComputedStyle(element: unknown): { backgroundColor: string } };

describe("GET /docs", () => {
  it("renders the reference in Chromium under its own CSP, without a console error", async () => {
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const response = await watched.page.goto("/docs");
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    await expect.poll(() => watched.page.locator("section.op").count()).toBeGreaterThan(30);
    expect(await watched.page.locator("#createHold").innerText()).toContain("/api/v1/events/{eventId}/holds");
    const styled = await watched.page
      .locator("header")
      .evaluate((h) => (globalThis as unknown as Styled).getComputedStyle(h).backgroundColor);
    expect(styled).toBe("rgb(18, 38, 58)");
    expectClean(watched);
    await context.close();
  });
});

describe("CORS, as a page on another origin sees it", () => {
  it("reads the catalog, the JWKS and the document cross-origin; a personal route stays closed", async () => {
    const api = inject("baseUrl");
    const other = inject("challengeUrl"); // another port: another origin
    const context = await newContext(browser(), other);
    const watched = await watchedPage(context, [/CORS policy|Failed to load resource|ERR_FAILED/]);
    await watched.page.goto("/healthz");
    const results = await watched.page.evaluate(async (base) => {
      const read = async (path: string, init?: RequestInit) => {
        try {
          const response = await fetch(new URL(path, base), init);
          return response.status;
        } catch {
          return "blocked";
        }
      };
      return {
        catalog: await read("/api/v1/events"),
        jwks: await read("/.well-known/jwks.json"),
        openapi: await read("/api/v1/openapi.json"),
        tickets: await read("/api/v1/me/tickets", { headers: { authorization: "Bearer x" } }),
      };
    }, api);
    expect(results).toEqual({ catalog: 200, jwks: 200, openapi: 200, tickets: "blocked" });
    await context.close();
  });
});
