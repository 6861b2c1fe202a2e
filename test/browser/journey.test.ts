import { describe, expect, it } from "vitest";
import { HoldCreated } from "../../src/contract/responses";
import {
  bodyOf,
  createEvent,
  expectClean,
  newContext,
  ONE_ROOM,
  screenshots,
  sharedBrowser,
  signInPath,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

describe("a customer's journey", () => {
  it("goes from the home page to a ticket QR code: search, seats by click and keyboard, standing, hold, pay, order", async () => {
    const event = await createEvent(ONE_ROOM);
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;

    // Home: sign in (dev login), search the catalog API by a word of the title.
    await page.goto(signInPath(unique("fan"), "customer", "/"));
    await page.getByRole("heading", { name: "Upcoming events" }).waitFor();
    const word = event.title.split(" ").at(-1)!;
    const searched = page.waitForResponse(
      (r) => r.url().includes("/api/v1/events?") && r.url().includes(`q=${word}`) && r.status() === 200,
    );
    await page.getByLabel("Search").fill(word);
    await searched;
    const card = page.getByRole("link", { name: new RegExp(event.title) });
    await card.waitFor();
    expect(await page.locator("#results li").count()).toBe(1);
    expect(page.url()).toContain(`q=${word}`);
    // Filters narrow the same search: nothing from €20 down (the cheapest ticket is €25), then back.
    const filtered = (cents: number) =>
      page.waitForResponse((r) => r.url().includes(`maxPriceCents=${cents}`) && r.status() === 200);
    let answered = filtered(2000);
    await page.getByLabel("Max price").fill("20");
    await answered;
    await page.getByText("Nothing matches").waitFor();
    answered = filtered(3000);
    await page.getByLabel("Max price").fill("30");
    await page.getByLabel("Category").selectOption("concert");
    await page.getByLabel("City").fill("Berlin");
    await page.getByRole("button", { name: "Search" }).click();
    await answered;
    await card.waitFor();
    await screenshots(page, "home");

    // Event page: the live map is up, each seat a labelled button with the stable hooks.
    await card.click();
    await page.waitForURL(`**/events/${event.eventId}`);
    await page.locator('#live-status[data-live="live"]').waitFor();
    const seat3 = page.locator('[data-seat-id="A-1-3"]');
    expect(await seat3.getAttribute("data-status")).toBe("available");
    expect(await seat3.getAttribute("aria-label")).toBe("Section A, row 1, seat 3, €50, available");
    await screenshots(page, "event");

    // One seat by click, the next by keyboard (arrow, then Space), one standing ticket.
    await seat3.click();
    expect(await seat3.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("ArrowRight");
    const seat4 = page.getByRole("button", { name: "Section A, row 1, seat 4, €50, available" });
    expect(await seat4.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press("Space");
    expect(await seat4.getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "One more for Floor" }).click();
    expect(await page.locator('[data-ga-quantity="FLOOR"]').inputValue()).toBe("1");
    expect(await page.locator("#total").textContent()).toBe("€125.00");

    // Hold: the countdown runs to the hold's expiresAt; the map shows the seats held, as ours.
    const holdResponse = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/events/${event.eventId}/holds`) && r.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const hold = await bodyOf(await holdResponse, HoldCreated);
    expect(hold.status).toBe("held");
    const countdown = page.locator("[data-expires-at]");
    await countdown.waitFor();
    expect(await countdown.getAttribute("data-expires-at")).toBe(hold.expiresAt);
    expect(await countdown.textContent()).toMatch(/^(9|10):\d\d$/);
    await page.locator('[data-seat-id="A-1-3"][data-status="held"].mine').waitFor();
    await page.locator('[data-seat-id="A-1-4"][data-status="held"].mine').waitFor();
    await screenshots(page, "event-held");

    // Checkout → the (simulated) pay page → "Pay" → the order page with one QR per ticket.
    await page.getByRole("button", { name: "Checkout" }).click();
    await page.waitForURL(/\/pay\/ord_/);
    await page.getByRole("heading", { name: "Pay €125.00" }).waitFor();
    await screenshots(page, "pay");
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const qrs = page.locator("[data-ticket-id] img");
    await qrs.first().waitFor();
    expect(await qrs.count()).toBe(3);
    // Every QR image loaded and decoded (an <img> of the owner-only qr.svg, sent with the cookie).
    await expect
      .poll(() =>
        page.evaluate<boolean>("[...document.querySelectorAll('[data-ticket-id] img')].every((i) => i.complete)"),
      )
      .toBe(true);
    const widths = await page.evaluate<number[]>(
      "[...document.querySelectorAll('[data-ticket-id] img')].map((i) => i.naturalWidth)",
    );
    for (const width of widths) expect(width).toBeGreaterThan(0);
    expect(await page.locator("[data-ticket-id]").first().getAttribute("data-ticket-id")).toMatch(/^tkt_/);
    await screenshots(page, "order");

    expectClean(watched);
    await context.close();
  });
});
