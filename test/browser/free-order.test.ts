import { describe, expect, it } from "vitest";
import { createEvent, expectClean, newContext, sharedBrowser, signInPath, unique, watchedPage } from "./helpers";

const browser = sharedBrowser();

describe("a free order", () => {
  it("goes from Checkout straight to the order's tickets: no pay page, no payment", async () => {
    const event = await createEvent({ prices: { A: 0, B: 3500, FLOOR: 0 } });
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-seat-id="A-1-5"]').click();
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator('[data-seat-id="A-1-5"][data-status="held"].mine').waitFor();
    const checkout = page.waitForResponse((r) => r.url().includes("/checkout") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Checkout" }).click();
    expect((await checkout).status()).toBe(201);
    await page.waitForURL(/\/orders\/ord_/);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    await page.locator("[data-ticket-id] img").first().waitFor();
    expect(await page.locator("[data-ticket-id]").count()).toBe(1);
    expectClean(watched);
    await context.close();
  });
});
