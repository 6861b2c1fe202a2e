import { describe, expect, it } from "vitest";
import { ErrorBody, HoldCreated } from "../../src/contract/responses";
import {
  api,
  bodyOf,
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

/** The pages over an event split into a room per section (`rooms: "section"`). */
describe("an event in a room per section", () => {
  it("keeps the whole map live across the rooms, holds within one, and says why not across two", async () => {
    const event = await createEvent({ rooms: "section" });
    const path = `/events/${event.eventId}`;
    const context = await newContext(browser());
    const watched = await watchedPage(context, [/400 \(Bad Request\)/]);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", path));
    await page.locator('#live-status[data-live="live"]').waitFor();

    // Holds made elsewhere in two rooms (A and the standing floor) reach this one map.
    const rival = await tokenFor(unique("rival"));
    for (const body of [{ seatIds: ["A-2-5"] }, { ga: [{ sectionId: "FLOOR", quantity: 2 }] }]) {
      expect((await api("POST", `/api/v1/events/${event.eventId}/holds`, { token: rival, body })).status).toBe(201);
    }
    await page.locator('[data-seat-id="A-2-5"][data-status="held"]').waitFor({ timeout: 5000 });
    const rivalInB = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: rival,
      body: { seatIds: ["B-1-2"] },
    });
    expect(rivalInB.status).toBe(201);
    await page.locator('[data-seat-id="B-1-2"][data-status="held"]').waitFor({ timeout: 5000 });

    // A party across two rooms is refused with the contract's reason, and nothing is held.
    await page.locator('[data-seat-id="A-1-1"]').click();
    await page.locator('[data-seat-id="B-1-1"]').click();
    const refused = page.waitForResponse((r) => r.url().endsWith(`${event.eventId}/holds`));
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const refusal = await bodyOf(await refused, ErrorBody);
    expect(refusal.error.code).toBe("SPANS_ROOMS");
    await page.locator("#message", { hasText: refusal.error.message }).waitFor();
    expect(await page.locator('[data-seat-id="A-1-1"]').getAttribute("data-status")).toBe("available");

    // Within one room it holds, and the hold's id names that room.
    await page.locator('[data-seat-id="B-1-1"]').click();
    await page.locator('[data-seat-id="A-1-2"]').click();
    const held = page.waitForResponse((r) => r.url().endsWith(`${event.eventId}/holds`));
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const hold = await bodyOf(await held, HoldCreated);
    expect(hold.holdId.endsWith(".A")).toBe(true);
    await page.locator('[data-seat-id="A-1-2"][data-status="held"].mine').waitFor();
    await page.locator('#live-status[data-live="live"]').waitFor();

    expectClean(watched);
    await context.close();
  });
});
