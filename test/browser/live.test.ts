import { describe, expect, it } from "vitest";
import { ErrorBody, HoldCreated } from "../../src/contract/responses";
import {
  api,
  bodyOf,
  createEvent,
  expectClean,
  newContext,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

describe("the live seat map", () => {
  it("shows a hold made in one browser in the other's map within a second", async () => {
    const event = await createEvent();
    const path = `/events/${event.eventId}`;
    const [one, two] = await Promise.all([newContext(browser()), newContext(browser())]);
    const alice = await watchedPage(one);
    const bob = await watchedPage(two);
    await Promise.all([
      alice.page.goto(signInPath(unique("alice"), "customer", path)),
      bob.page.goto(signInPath(unique("bob"), "customer", path)),
    ]);
    await Promise.all([
      alice.page.locator('#live-status[data-live="live"]').waitFor(),
      bob.page.locator('#live-status[data-live="live"]').waitFor(),
    ]);
    const inBobsMap = (id: string) => bob.page.locator(`[data-seat-id="${id}"]`);
    expect(await inBobsMap("B-2-3").getAttribute("data-status")).toBe("available");

    await alice.page.locator('[data-seat-id="B-2-3"]').click();
    await alice.page.locator('[data-seat-id="B-2-4"]').click();
    // The assertion: from Alice's click on "Hold", Bob's map shows the seat held within 1 s.
    const heldForBob = bob.page.locator('[data-seat-id="B-2-3"][data-status="held"]').waitFor({ timeout: 1000 });
    const response = alice.page.waitForResponse((r) => r.url().endsWith(`${event.eventId}/holds`));
    await alice.page.getByRole("button", { name: "Hold", exact: true }).click();
    await heldForBob;
    expect((await response).status()).toBe(201);

    // Same delta: the other seat too, with its accessible name; Bob cannot pick them.
    expect(await inBobsMap("B-2-4").getAttribute("data-status")).toBe("held");
    expect(await inBobsMap("B-2-3").getAttribute("aria-label")).toBe("Section B, row 2, seat 3, €35, held");
    expect(await inBobsMap("B-2-3").getAttribute("aria-disabled")).toBe("true");
    expect(await inBobsMap("B-2-5").getAttribute("data-status")).toBe("available");
    await screenshots(bob.page, "event-live-other-browser");

    expectClean(alice);
    expectClean(bob);
    await Promise.all([one.close(), two.close()]);
  });

  it("offers nearby seats when a seat on a stale map was taken (409 SEATS_UNAVAILABLE)", async () => {
    const event = await createEvent();
    const context = await newContext(browser());
    // The 409 is the point of this test; Chromium logs every 4xx fetch as a console error.
    const watched = await watchedPage(context, [/status of 409/]);
    const { page } = watched;
    // This visitor's live map freezes after its snapshot: no delta says the seat was taken.
    await page.routeWebSocket(/\/live/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (String(message).includes('"snapshot"')) ws.send(message);
      });
    });
    await page.goto(signInPath(unique("late"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    const rival = await tokenFor(unique("rival"));
    const taken = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
      token: rival,
      body: { seatIds: ["A-2-5"] },
    });
    expect(taken.status).toBe(201);
    expect(await page.locator('[data-seat-id="A-2-5"]').getAttribute("data-status")).toBe("available");

    await page.locator('[data-seat-id="A-2-5"]').click();
    const conflict = page.waitForResponse((r) => r.url().endsWith("/holds") && r.status() === 409);
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const body = await bodyOf(await conflict, ErrorBody);
    expect(body.error.code).toBe("SEATS_UNAVAILABLE");
    await page.getByText("Section A, row 2, seat 5 is no longer available").waitFor();
    await page.getByText(/free seat nearby: Section A, row 2, seat (4|6)\./).waitFor();
    expect(await page.locator('[data-seat-id="A-2-5"]').getAttribute("data-status")).toBe("held");
    await screenshots(page, "event-conflict");

    // One press holds the seat offered: the one next to the taken one.
    const held = page.waitForResponse((r) => r.url().endsWith("/holds") && r.status() === 201);
    await page.getByRole("button", { name: "Hold these instead" }).click();
    const hold = await bodyOf(await held, HoldCreated);
    expect(hold.items.map((i) => i.seatId)).toEqual([expect.stringMatching(/^A-2-(4|6)$/)]);
    await page.locator("[data-expires-at]").waitFor();

    expectClean(watched);
    await context.close();
  });
});
