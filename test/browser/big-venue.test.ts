import { describe, expect, inject, it } from "vitest";
import { HoldCreated } from "../../src/contract/responses";
import {
  api,
  bodyOf,
  createEvent,
  expectAccessible,
  expectClean,
  focusIsOn,
  newContext,
  ONE_ROOM,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

/** 50,000 seats: 40 sections of 50 rows × 25 seats. */
const SECTIONS = 40;
const ARENA = {
  name: "Browser Stadium",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  sections: Array.from({ length: SECTIONS }, (_, i) => ({
    id: `S${i + 1}`,
    name: `Block ${i + 1}`,
    kind: "seated",
    rows: Array.from({ length: 50 }, (_, r) => ({ label: String(r + 1), seats: 25 })),
  })),
};
const PRICES = Object.fromEntries(ARENA.sections.map((s, i) => [s.id, 4000 + (i % 4) * 1500]));

const HTML_BUDGET = 200 * 1024;

describe("a 50,000-seat venue", () => {
  it("sends a first HTML under 200 KB: a section overview, a section's seats fetched when it is opened", async () => {
    const event = await createEvent({ prices: PRICES }, undefined, ARENA);
    const response = await fetch(new URL(`/events/${event.eventId}`, inject("baseUrl")), {
      headers: { accept: "text/html", authorization: `Bearer ${await tokenFor(unique("fan"))}` },
    });
    const html = await response.text();
    const bytes = new TextEncoder().encode(html).byteLength;
    console.log(`event page HTML at 50,000 seats: ${bytes} bytes`);
    expect(response.status).toBe(200);
    expect(bytes).toBeLessThan(HTML_BUDGET);
    expect(html).not.toContain("data-seat-id=");
    expect((html.match(/data-open-section=/g) ?? []).length).toBe(SECTIONS);
  });

  it("is usable end to end: pick a section, best available 2 together, hold, pay", async () => {
    // One room: it watches the overview's socket, which an event split by section does not have yet.
    const event = await createEvent({ prices: PRICES, ...ONE_ROOM }, undefined, ARENA);
    // Someone already holds the front row's middle of Block 7: "best available" goes around it.
    const rival = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: await tokenFor(unique("rival")),
      body: { seatIds: ["S7-1-12", "S7-1-13", "S7-1-14"] },
    });
    expect(rival.status).toBe(201);
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    // Each live socket the page opens, with the size of its first message (the snapshot).
    const sockets: Array<{ url: string; snapshotBytes?: number }> = [];
    page.on("websocket", (ws) => {
      const socket: { url: string; snapshotBytes?: number } = { url: ws.url() };
      sockets.push(socket);
      ws.on("framereceived", ({ payload }) => {
        socket.snapshotBytes ??= typeof payload === "string" ? payload.length : payload.byteLength;
      });
    });
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor({ timeout: 20_000 });
    // The overview follows availability only: no seats in its snapshot (the whole map is ~3 MB).
    await expect.poll(() => sockets[0]?.snapshotBytes).toBeGreaterThan(0);
    expect(sockets[0]!.url).toMatch(/\/live\?sections=$/);
    expect(sockets[0]!.snapshotBytes).toBeLessThan(20_000);
    const elements = await page.evaluate<number>("document.getElementsByTagName('*').length");
    const timing = await page.evaluate<string>(
      "JSON.stringify({ domContentLoadedMs: Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd), liveByMs: Math.round(performance.now()) })",
    );
    console.log(`DOM elements before a section is opened: ${elements}; ${timing}`);
    expect(elements).toBeLessThan(3000);
    await page.locator('[data-open-section="S7"] [data-left-of="S7"]', { hasText: "1247 left" }).waitFor();
    await expectAccessible(page, "big venue overview");
    await screenshots(page, "event-big-overview");

    await page.locator('[data-open-section="S7"]').click();
    await page.locator('figure[data-section-id="S7"][data-drawn] [data-seat-id="S7-1-1"]').waitFor();
    expect(await page.locator('[data-seat-id="S7-1-13"]').getAttribute("data-status")).toBe("held");
    expect(await page.locator("[data-seat-id]").count()).toBe(1250);
    // Now the page follows Block 7's seats: a hold someone makes there shows at once.
    await expect.poll(() => sockets.at(-1)?.snapshotBytes).toBeGreaterThan(0);
    expect(sockets.at(-1)!.url).toMatch(/\/live\?sections=S7$/);
    expect(sockets.at(-1)!.snapshotBytes).toBeLessThan(200_000);
    const later = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: await tokenFor(unique("rival")),
      body: { seatIds: ["S7-5-1"] },
    });
    expect(later.status).toBe(201);
    await page.locator('[data-seat-id="S7-5-1"][data-status="held"]').waitFor();
    console.log(`live snapshots: ${sockets.map((x) => `${x.url.split("?")[1]} ${x.snapshotBytes} bytes`).join(", ")}`);
    // The drawn section is coloured by its price tier, like the server-drawn ones.
    expect(await page.locator('figure[data-section-id="S7"] svg.seats').getAttribute("class")).toMatch(
      /^seats tier-\d$/,
    );
    expect(await focusIsOn(page, 'figure[data-section-id="S7"]')).toBe(true);
    await expectAccessible(page, "big venue, a section open");
    await screenshots(page, "event-big-section");

    await page.getByLabel("Seats together").fill("2");
    const holdResponse = page.waitForResponse((r) => r.url().endsWith(`/api/v1/events/${event.eventId}/holds`));
    await page.getByRole("button", { name: "Hold best available in Block 7" }).click();
    const hold = await bodyOf(await holdResponse, HoldCreated);
    expect(hold.status).toBe("held");
    const seats = hold.items.map((i) => i.seatId ?? "").sort();
    // Two neighbours in the front row, beside the rival's three.
    expect(seats).toHaveLength(2);
    const [first = "", second = ""] = seats;
    expect(first.startsWith("S7-1-")).toBe(true);
    expect(Math.abs(Number(first.split("-")[2]) - Number(second.split("-")[2]))).toBe(1);
    await page.locator("#message", { hasText: "Held." }).waitFor();
    await page.getByRole("button", { name: "Checkout" }).click();
    await page.waitForURL(/\/pay\/ord_/);
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    expect(await page.locator("[data-ticket-id]").count()).toBe(2);
    expectClean(watched);
    await context.close();
  }, 120_000);
});
