import { describe, expect, inject, it, vi } from "vitest";
import { HoldCreated, Outbox } from "../../src/contract/responses";
import {
  api,
  createEvent,
  expectClean,
  newContext,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

/** One standing floor of two places. */
const CLUB = {
  name: "Browser Club",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: 2 }],
};

/** Reads the outbox until a message of `kind` for `to` is there (the queue consumer runs in wrangler dev). */
function mailOf(to: string, kind: string) {
  return vi.waitFor(
    async () => {
      const { body } = await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`, { schema: Outbox });
      const found = body.data.find((m) => m.kind === kind);
      if (!found) throw new Error(`no ${kind} message to ${to} yet: ${body.data.map((m) => m.kind).join(", ")}`);
      return found;
    },
    { timeout: 20_000, interval: 100 },
  );
}

describe("the waitlist in the browser", () => {
  it("a fan joins on a sold-out event page, gets a released hold as an offer with its countdown, pays, and is told", async () => {
    const event = await createEvent({ prices: { FLOOR: 2500 }, waitlistOfferMinutes: 5 }, undefined, CLUB);
    const holder = await tokenFor(unique("holder"));
    const held = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: holder,
      body: { ga: [{ sectionId: "FLOOR", quantity: 2 }] },
      schema: HoldCreated,
    });
    expect(held.status).toBe(201);
    // The room pushes "sold out" to the catalog after its commit: wait for the page to show it.
    await expect
      .poll(async () => (await fetch(new URL(`/events/${event.eventId}`, inject("baseUrl")))).text(), {
        timeout: 15_000,
        interval: 100,
      })
      .toContain("Join the waitlist");

    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    const fan = unique("wfan");
    await page.goto(signInPath(fan, "customer", `/events/${event.eventId}`));
    await page.getByRole("button", { name: "Join the waitlist" }).click();
    await page.getByText("You are number 1 in line for 1 ticket.").waitFor();

    // Another fan's hold is released: the seats go to the fan in line, not back on sale.
    expect((await api("DELETE", `/api/v1/holds/${held.body.holdId}`, { token: holder })).status).toBe(200);
    const offer = page.locator("#waitlist-offer");
    await offer.waitFor({ state: "visible", timeout: 15_000 });
    const countdown = page.locator("#waitlist-countdown[data-expires-at]");
    await countdown.waitFor();
    expect(await countdown.textContent()).toMatch(/^[45]:\d\d$/);

    await page.getByRole("button", { name: "Checkout" }).first().click();
    await page.waitForURL(/\/pay\/ord_/);
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.locator("[data-ticket-id]").first().waitFor();
    expect(await page.locator("[data-ticket-id]").count()).toBe(1);

    const email = `${fan.toLowerCase()}@dev.local`;
    expect((await mailOf(email, "waitlist_offer")).eventId).toBe(event.eventId);
    const confirmation = await mailOf(email, "order_confirmed");
    expect(page.url()).toContain(confirmation.orderId);
    expectClean(watched);
    await context.close();
  });
});
