import { describe, expect, it } from "vitest";
import { EventStats, HoldCreated } from "../../src/contract/responses";
import { CLIENT_ASSETS } from "../../src/pages/client-assets.gen.js";
import { call, createEvent, createVenue, errorOf, json, onSaleEvent, SMALL_VENUE, tokenFor, unique } from "./helpers";
import { scannerToken } from "./money";
import { checkout, deliver, intentEvent, PendingCheckout } from "./payments";

/** The pages as HTTP resources: headers, escaping, errors per audience, assets, organizer stats. */

const html = { accept: "text/html,application/xhtml+xml" };

describe("pages", () => {
  it("serve HTML with a strict Content-Security-Policy of their own, never cached", async () => {
    const response = await call("GET", "/", { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("js.stripe.com");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    // The JSON API keeps its own headers.
    const api = await call("GET", "/api/v1/events");
    expect(api.headers.get("content-security-policy")).toBeNull();
  });

  it("escape what organizers type, in the markup and in the page's JSON", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const [a, ...rest] = SMALL_VENUE.sections;
    const venueId = await createVenue(organizer, {
      ...SMALL_VENUE,
      sections: [{ ...a, name: "</script><script>alert(2)</script>" }, ...rest],
    });
    const event = await createEvent(organizer, venueId, { title: "</script><script>alert(1)</script>" });
    const page = await (await call("GET", `/events/${event.eventId}`, { headers: html })).text();
    expect(page).not.toContain("<script>alert(");
    expect(page).toContain("<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(page).toContain('"name":"\\u003c/script>\\u003cscript>alert(2)\\u003c/script>"');
  });

  it("answer a browser with an HTML error page and anyone else with the API's error shape", async () => {
    const forBrowser = await call("GET", "/events/evt_nosuchevent", { headers: html });
    expect(forBrowser.status).toBe(404);
    expect(forBrowser.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await forBrowser.text()).toContain("Event not found");
    const forApi = await call("GET", "/events/evt_nosuchevent");
    expect(forApi.status).toBe(404);
    await errorOf(forApi, "NOT_FOUND");
    await errorOf(await call("GET", "/orders/ord_nosuchorder"), "UNAUTHENTICATED");
    await errorOf(await call("GET", "/organizer", { token: await tokenFor(unique("fan")) }), "FORBIDDEN");
  });

  it("render every seat with the stable hooks and an accessible name", async () => {
    const { eventId } = await onSaleEvent();
    const page = await (await call("GET", `/events/${eventId}`, { headers: html })).text();
    expect(page.match(/data-seat-id="/g)).toHaveLength(40);
    expect(page).toMatch(
      /role="button"[^>]*aria-label="Section A, row 1, seat 7, €50, available" data-seat-id="A-1-7" data-status="available"/,
    );
    expect(page).toContain(">Hold</button>");
  });

  it("offer a type chooser, prices by type and a voucher field only when an event sells more than one type", async () => {
    const pageOf = async (overrides: Record<string, unknown>) => {
      const { eventId } = await onSaleEvent(overrides);
      return (await call("GET", `/events/${eventId}`, { headers: html })).text();
    };
    const fees = [{ name: "Service", kind: "per_ticket", amount: 200 }];
    for (const page of [
      await pageOf({}),
      await pageOf({ ticketTypes: [{ id: "general", name: "General", prices: { "*": 4000 } }], fees }),
    ]) {
      expect(page).not.toContain('id="voucher"');
      expect(page).not.toContain("data-ticket-type");
      expect(page).not.toContain('"pricing"');
      expect(page).toContain('aria-label="Tickets for Floor"');
    }
    const page = await pageOf({
      ticketTypes: [
        { id: "adult", name: "Adult", prices: { "*": 4000 } },
        { id: "child", name: "Child", prices: { FLOOR: 1500 } },
        { id: "fanclub", name: "Fan club", prices: { A: 3000 }, requiresVoucher: true },
      ],
      fees,
      tax: { name: "VAT", ratePercent: 10, included: true },
    });
    expect(page).toContain('<label for="voucher">Voucher or presale code</label>');
    // Each type where it is sold, all-in, with what it is made of (10% VAT inside the price and the fee).
    expect(page.match(/data-type-price="[^"]+"/g)).toEqual([
      'data-type-price="adult:*"',
      'data-type-price="child:FLOOR"',
      'data-type-price="fanclub:A"',
    ]);
    expect(page).toMatch(
      /data-type-price="child:FLOOR">.*?€17\.00<\/td><td class="muted">€13\.64 \+ €1\.82 fees \+ €1\.54 VAT</s,
    );
    expect(page).toContain('Fan club<span class="muted"> (with a code)</span>');
    // Floor steps per type sold there: Adult and Child, not the fan club's seated-only type.
    expect(page).toContain('aria-label="Adult tickets for Floor"');
    expect(page).toContain('aria-label="One more Child for Floor"');
    expect(page).not.toContain("Fan club tickets for Floor");
    expect(page).toContain('"pricing":{"types":[{"id":"adult"');
  });
});

describe("the door's page", () => {
  it("is for scanners: a scanner for some events sees only those and opens no other", async () => {
    await errorOf(await call("GET", "/scan"), "UNAUTHENTICATED");
    await errorOf(await call("GET", "/scan", { token: await tokenFor(unique("fan")) }), "FORBIDDEN");
    const mine = await onSaleEvent();
    const theirs = await onSaleEvent();
    const gate = await scannerToken([mine.eventId]);
    const list = await call("GET", "/scan", { token: gate, headers: html });
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain(`<option value="${mine.eventId}">`);
    expect(listed).not.toContain(theirs.eventId);
    expect(listed).not.toContain('id="scan-result"');
    const door = await (await call("GET", `/scan?eventId=${mine.eventId}`, { token: gate, headers: html })).text();
    expect(door).toContain(`<option value="${mine.eventId}" selected="">`);
    expect(door).toMatch(/id="scan-result"[^>]*aria-live="assertive"/);
    expect(door).toContain(`"eventId":"${mine.eventId}"`);
    const other = await (await call("GET", `/scan?eventId=${theirs.eventId}`, { token: gate, headers: html })).text();
    expect(other).not.toContain(theirs.eventId);
    expect(other).not.toContain('id="scan-result"');
  });
});

describe("assets", () => {
  it("serve the bundles: for a year with their content hash, revalidated without", async () => {
    const event = CLIENT_ASSETS["event.js"]!;
    const versioned = await call("GET", `/assets/event.js?v=${event.hash}`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await versioned.text()).toBe(event.body);
    const plain = await call("GET", "/assets/event.js");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const again = await call("GET", "/assets/event.js", { headers: { "if-none-match": `"${event.hash}"` } });
    expect(again.status).toBe(304);
    await errorOf(await call("GET", "/assets/nope.js"), "NOT_FOUND");
    await errorOf(await call("GET", "/assets/..%2Fsecret"), "VALIDATION_FAILED");
  });
});

describe("organizer stats", () => {
  it("include the waiting room's numbers and sales over time from confirmed orders", async () => {
    const { eventId, organizer } = await onSaleEvent({
      waitingRoom: { mode: "always", admitPerMinute: 60, maxActive: 10 },
    });
    const before = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(before.queue).toMatchObject({ mode: "always", active: true, admitPerMinute: 60 });
    expect(before.sales.points).toEqual([]);

    const off = await onSaleEvent();
    const fan = await tokenFor(unique("fan"));
    const hold = await json(
      await call("POST", `/api/v1/events/${off.eventId}/holds`, {
        token: fan,
        body: { seatIds: ["A-1-1"], ga: [{ sectionId: "FLOOR", quantity: 2 }] },
      }),
      HoldCreated,
    );
    const { body: order } = await checkout(hold.holdId, fan, {}, PendingCheckout);
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
    const stats = await json(
      await call("GET", `/api/v1/admin/events/${off.eventId}/stats`, { token: off.organizer }),
      EventStats,
    );
    expect(stats).toMatchObject({ sold: 3, queueLength: 0, queue: { mode: "off" } });
    expect(stats.sales.bucketSeconds).toBe(60);
    expect(stats.sales.points).toHaveLength(1);
    expect(stats.sales.points[0]).toMatchObject({ orders: 1, tickets: 3, revenueCents: 5000 + 2 * 2000 });
    expect(Date.parse(stats.sales.points[0]!.at) % 60_000).toBe(0);
  });
});
