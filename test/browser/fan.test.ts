import { describe, expect, it } from "vitest";
import {
  api,
  createEvent,
  expectAccessible,
  expectClean,
  focusIsOn,
  newContext,
  phoneContext,
  recordAnnouncements,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

describe("a fan's hold, as a screen reader hears it", () => {
  it("announces the fan's own hold as held, never as taken by someone else; Remove moves focus on", async () => {
    const event = await createEvent();
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();

    // Remove: focus goes to the next line's "Remove", and after the last one to the message.
    for (const id of ["A-2-1", "A-2-2", "A-2-3"]) await page.locator(`[data-seat-id="${id}"]`).click();
    await page.getByRole("button", { name: "Remove Section A, row 2, seat 1" }).click();
    expect(await focusIsOn(page, '#selection button[aria-label="Remove Section A, row 2, seat 2"]')).toBe(true);
    await page.getByRole("button", { name: "Remove Section A, row 2, seat 2" }).click();
    expect(await focusIsOn(page, '#selection button[aria-label="Remove Section A, row 2, seat 3"]')).toBe(true);
    await page.getByRole("button", { name: "Remove Section A, row 2, seat 3" }).click();
    expect(await focusIsOn(page, "#message")).toBe(true);
    expect(await page.locator("#message").textContent()).toBe("Removed Section A, row 2, seat 3.");

    // Six holds in a row, each recorded from the click to the map showing it as ours.
    for (const [i, seats] of [
      ["A-1-1", "A-1-2"],
      ["A-1-5"],
      ["B-1-1", "B-1-2"],
      ["A-3-9"],
      ["B-2-6"],
      ["A-2-5", "A-2-6"],
    ].entries()) {
      const heard = await recordAnnouncements(page);
      for (const id of seats) await page.locator(`[data-seat-id="${id}"]`).click();
      await page.getByRole("button", { name: "Hold", exact: true }).click();
      for (const id of seats) await page.locator(`[data-seat-id="${id}"][data-status="held"].mine`).waitFor();
      await page.locator("#message", { hasText: "Held." }).waitFor();
      const texts = await heard();
      expect(
        texts.filter((t) => /taken/i.test(t)),
        `hold ${i + 1}: ${JSON.stringify(texts)}`,
      ).toEqual([]);
      expect(texts.some((t) => t.startsWith("Held."))).toBe(true);
      // A 10-minute hold says nothing about minutes left yet.
      expect(texts.filter((t) => /left on your hold/.test(t))).toEqual([]);
      expect(await focusIsOn(page, "#checkout")).toBe(true);
      await page.getByRole("button", { name: "Release these seats" }).click();
      await page.locator("#message", { hasText: "Released." }).waitFor();
      expect(await focusIsOn(page, "#message")).toBe(true);
    }
    expectClean(watched);
    await context.close();
  });

  it("after a refused hold focuses the message and offers seats that keep the party together, held in one press", async () => {
    const event = await createEvent();
    const context = await newContext(browser());
    // This page's live map is cut off, so that a rival's hold is only learnt from the 409.
    const watched = await watchedPage(context, [/409/]);
    const { page } = watched;
    await page.routeWebSocket(/\/live/, () => {});
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('[data-seat-id="A-1-3"]').click();
    await page.locator('[data-seat-id="A-1-4"]').click();
    const rival = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: await tokenFor(unique("rival")),
      body: { seatIds: ["A-1-3"] },
    });
    expect(rival.status).toBe(201);
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator("#message", { hasText: "no longer available" }).waitFor();
    expect(await focusIsOn(page, "#message")).toBe(true);
    const offer = await page.locator("#alternatives-text").textContent();
    // Two neighbours in one row, neither the taken seat: e.g. "row 1, seat 4; … row 1, seat 5".
    const seats = [...(offer ?? "").matchAll(/row (\d+), seat (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(seats).toHaveLength(2);
    expect(seats[0]![0]).toBe(seats[1]![0]);
    expect(Math.abs(seats[0]![1]! - seats[1]![1]!)).toBe(1);
    expect(seats.some(([r, n]) => r === 1 && n === 3)).toBe(false);
    await expectAccessible(page, "event page after a refused hold");
    await page.getByRole("button", { name: "Hold these instead" }).click();
    await page.locator("#message", { hasText: "Held." }).waitFor();
    expect(await page.locator("#held-lines li").count()).toBe(2);
    expectClean(watched);
    await context.close();
  });

  it("counts down at real thresholds and, on expiry, says so and moves focus to the message", async () => {
    const event = await createEvent({ holdSeconds: 30 });
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    const heard = await recordAnnouncements(page);
    await page.locator('[data-seat-id="B-1-3"]').click();
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator("#message", { hasText: "Held." }).waitFor();
    await page
      .locator("#countdown-announce", { hasText: /^\d+ seconds? left on your hold\.$/ })
      .waitFor({ timeout: 40_000 });
    await page.locator("#message", { hasText: "Your hold expired" }).waitFor({ timeout: 40_000 });
    expect(await focusIsOn(page, "#message")).toBe(true);
    const texts = (await heard()).filter((t) => /left on your hold/.test(t));
    // A 30-second hold hears only the 10-second warning: never "5 minutes" or "1 minute".
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^(10|9|8) seconds left/);
    expectClean(watched);
    await context.close();
  }, 60_000);
});

describe("paying, and finding one's tickets again", () => {
  it("retries a declined card from the pay page to a confirmed order, then finds the ticket under My tickets", async () => {
    const event = await createEvent();
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-seat-id="A-3-5"]').click();
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.getByRole("button", { name: "Checkout" }).click();
    await page.waitForURL(/\/pay\/ord_/);
    // The pay page names the seats and counts the hold down.
    await page.locator("#pay-lines", { hasText: "Section A, row 3, seat 5" }).waitFor();
    await page.locator("#countdown[data-expires-at]").waitFor();
    await expectAccessible(page, "pay page");
    await screenshots(page, "pay");
    // More time while paying: the hold in checkout is extended, and the countdown moves with it.
    const before = Date.parse((await page.locator("#countdown").getAttribute("data-expires-at"))!);
    await page.getByRole("button", { name: /Extend the hold/ }).click();
    await page.locator("#pay-message", { hasText: "Extended" }).waitFor();
    const after = Date.parse((await page.locator("#countdown").getAttribute("data-expires-at"))!);
    expect(after).toBeGreaterThan(before);

    await page.getByRole("button", { name: "Decline" }).click();
    await page.locator("#pay-message", { hasText: "declined" }).waitFor();
    expect(await focusIsOn(page, "#pay-message")).toBe(true);
    await screenshots(page, "pay-declined");
    const retry = page.getByRole("button", { name: /^Pay( with another card)?$/ });
    expect(await retry.isEnabled()).toBe(true);
    await retry.click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();

    // From the home page, "My tickets" lists it with its QR code.
    await page.goto("/");
    await page.getByRole("link", { name: "My tickets" }).click();
    await page.waitForURL("**/tickets");
    const ticket = page.locator("#my-tickets [data-ticket-id]");
    await ticket.first().waitFor();
    expect(await ticket.count()).toBe(1);
    expect(await ticket.first().textContent()).toContain("Section A, row 3, seat 5");
    const qr = ticket.first().locator("img");
    expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(240);
    await page.locator('#my-orders [data-order-status="confirmed"]').waitFor();
    await expectAccessible(page, "my tickets");
    await screenshots(page, "tickets");
    await ticket.first().getByRole("button", { name: "Show full screen" }).click();
    await page.locator("#qr-dialog[open]").waitFor();
    await expectAccessible(page, "full-screen QR");
    await screenshots(page, "tickets-qr-full");
    await page.getByRole("button", { name: "Close" }).click();

    // Sign out: the header offers "Sign in" again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expectClean(watched);
    await context.close();
  });
});

describe("on a phone", () => {
  it("shows what was picked before Hold, and the held seats after", async () => {
    const event = await createEvent();
    const context = await phoneContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    // No sideways scrolling: the section fits the screen.
    const scrolls = await page.evaluate(
      "[...document.querySelectorAll('.seat-scroller')].some((s) => s.scrollWidth > s.clientWidth + 1)",
    );
    expect(scrolls).toBe(false);
    await page.locator('[data-seat-id="A-1-3"]').tap();
    await page.locator('[data-seat-id="A-1-4"]').tap();
    const toggle = page.locator("#selection-toggle");
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.textContent()).toContain("Section A, row 1, seat 3");
    await toggle.tap();
    const remove = page.getByRole("button", { name: "Remove Section A, row 1, seat 4" });
    expect(await remove.isVisible()).toBe(true);
    await expectAccessible(page, "event page on a phone, selection open");
    await screenshots(page, "event-phone-selection");
    await page.getByRole("button", { name: "Hold", exact: true }).tap();
    await page.locator("#message", { hasText: "Held." }).waitFor();
    expect(await page.locator("#held-count").textContent()).toContain("Section A, row 1, seat 3");
    expect(await page.locator("#held-count").isVisible()).toBe(true);
    // One extension (the event's default): the countdown moves on to the new expiry.
    const before = await page.locator("#countdown").getAttribute("data-expires-at");
    await page.getByRole("button", { name: "Need more time? Extend the hold" }).tap();
    await page.locator("#message", { hasText: "Extended" }).waitFor();
    expect(await focusIsOn(page, "#message")).toBe(true);
    expect(Date.parse((await page.locator("#countdown").getAttribute("data-expires-at"))!)).toBeGreaterThan(
      Date.parse(before!),
    );
    expectClean(watched);
    await context.close();
  });
});
