import { describe, expect, it } from "vitest";
import { Event, Order } from "../../src/contract/responses";
import {
  api,
  buy,
  createEvent,
  expectAccessible,
  expectClean,
  focusIsOn,
  newContext,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

describe("the organizer's controls", () => {
  it("publishes a draft with focus on the next action, refunds tickets and orders, cancels after asking, and shows the stats", async () => {
    const sale = await createEvent();
    const draft = await createEvent({ publish: false, onSaleAt: new Date(Date.now() + 86_400_000).toISOString() });
    const fan = await tokenFor(unique("fan"));
    const two = await buy(sale.eventId, fan, { seatIds: ["A-1-1", "A-1-2"] });
    const one = await buy(sale.eventId, fan, { seatIds: ["B-1-1"] });

    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    // The draft's organizer signs in: it sees that event only.
    await page.goto(signInPath(draft.organizerName, "organizer", "/organizer"));
    const card = page.locator(`article[data-event-id="${draft.eventId}"]`);
    await card.getByRole("heading", { name: draft.title }).waitFor();
    await card.getByRole("button", { name: "Publish" }).click();
    await card.locator('[data-state="published"]').waitFor();
    // Published before its on-sale time: nothing to pause yet; focus is on the next action.
    expect(await card.getByRole("button", { name: "Pause sales" }).count()).toBe(0);
    expect(await focusIsOn(page, `[data-actions-for="${draft.eventId}"] button`)).toBe(true);
    await expectAccessible(page, "organizer page");

    // The sale's organizer: stats with expired holds and conversion, a chart with a legend.
    await page.goto(signInPath(sale.organizerName, "organizer", "/organizer"));
    const saleCard = page.locator(`article[data-event-id="${sale.eventId}"]`);
    await saleCard.getByRole("heading", { name: sale.title }).waitFor();
    expect(await saleCard.locator('[data-stat="sold"]').textContent()).toBe("3");
    expect(await saleCard.locator('[data-stat="conversion"]').textContent()).toBe("100%");
    expect(await saleCard.locator('[data-stat="expired"]').textContent()).toBe("0");
    expect(await saleCard.locator(".chart-legend li").count()).toBe(2);
    expect(await saleCard.locator("svg.chart text.tick").count()).toBeGreaterThanOrEqual(5);

    // Refund one ticket of the two-ticket order, then the whole one-ticket order.
    await saleCard.locator("summary", { hasText: "Paid orders" }).click();
    const order = saleCard.locator(`[data-order-id="${two.orderId}"]`);
    await order.getByRole("checkbox").first().check();
    await order.getByRole("button", { name: "Refund selected tickets" }).click();
    await order.locator("[data-refund-message]", { hasText: /^(Refund started|[^R])/ }).waitFor();
    expect(await order.locator("[data-refund-message]").textContent()).toMatch(/^Refund started/);
    expect(await focusIsOn(page, `[data-refund-message="${two.orderId}"]`)).toBe(true);
    const whole = saleCard.locator(`[data-order-id="${one.orderId}"]`);
    await whole.getByRole("button", { name: "Refund the whole order" }).click();
    await whole.locator("[data-refund-message]", { hasText: "Refund started" }).waitFor();
    await expect
      .poll(async () => (await api("GET", `/api/v1/orders/${one.orderId}`, { token: fan, schema: Order })).body.status)
      .toBe("refunded");
    await expectAccessible(page, "organizer page with orders open");
    await screenshots(page, "organizer");

    // Cancel asks first; "Keep it" changes nothing; "Yes" cancels.
    await saleCard.getByRole("button", { name: "Cancel event…" }).click();
    expect(await focusIsOn(page, `[data-actions-for="${sale.eventId}"] button`)).toBe(true);
    await saleCard.getByRole("button", { name: "Keep it" }).click();
    await saleCard.getByRole("button", { name: "Cancel event…" }).click();
    await saleCard.getByRole("button", { name: "Yes, cancel the event" }).click();
    await saleCard.locator('[data-state="cancelled"]').waitFor();
    expect(await focusIsOn(page, `[data-message-for="${sale.eventId}"]`)).toBe(true);
    expect((await api("GET", `/api/v1/events/${sale.eventId}`, { schema: Event })).body.status).toBe("cancelled");
    expectClean(watched);
    await context.close();
  });
});
