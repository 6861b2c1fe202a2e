import { describe, expect, it } from "vitest";
import { EventStats, QueueState } from "../../src/contract/responses";
import {
  api,
  createEvent,
  expectClean,
  newContext,
  screenshots,
  sharedBrowser,
  signInPath,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

const AHEAD = 12;

describe("the waiting room", () => {
  it("shows a queued visitor their place falling, admits them by itself, and they can hold", async () => {
    // Sales open in a few seconds. Those who join before are shuffled into the pre-queue (keys
    // spread over the minutes before the opening); whoever joins after the opening queues behind
    // all of them, and admission starts at the opening, when the room has counted everyone.
    const opensAt = Date.now() + 3_000;
    const event = await createEvent({
      onSaleAt: new Date(opensAt).toISOString(),
      waitingRoom: { mode: "always", admitPerMinute: 120, maxActive: 1000 },
    });
    const queueUrl = `/api/v1/events/${event.eventId}/queue`;
    const joined = await Promise.all(
      Array.from({ length: AHEAD }, () => api("POST", queueUrl, { schema: QueueState })),
    );
    for (const j of joined) expect(j.body.state).toBe("waiting");
    const queueStats = async () =>
      (await api("GET", `/api/v1/admin/events/${event.eventId}/stats`, { token: event.organizer, schema: EventStats }))
        .body.queue;
    // Wait for the opening: the room has started admitting the people ahead.
    await expect.poll(async () => (await queueStats()).admitted, { timeout: 15_000, interval: 200 }).toBeGreaterThan(0);
    expect((await queueStats()).joined).toBe(AHEAD);

    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    // The event page sends a visitor without an access token to the line.
    await page.goto(signInPath(unique("queued"), "customer", `/events/${event.eventId}`));
    await page.waitForURL(`**/events/${event.eventId}/queue`);
    const root = page.locator("#queue");
    await page.locator('#queue[data-queue-state="waiting"]').waitFor();
    const first = Number(await root.getAttribute("data-position"));
    expect(first).toBeGreaterThan(1);
    expect(await page.locator("#ahead").textContent()).toBe(String(first - 1));
    expect(Number(await page.locator("#queue-progress").getAttribute("value"))).toBeLessThan(50);
    await screenshots(page, "queue");

    // The place falls while waiting (polls every pollAfterSeconds, here 2 s)...
    await expect
      .poll(
        async () =>
          (await root.getAttribute("data-queue-state")) === "waiting" &&
          Number(await root.getAttribute("data-position")) < first,
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);
    // ...then the page moves on to the seat map by itself, carrying the access token.
    await page.waitForURL(`**/events/${event.eventId}`, { timeout: 30_000 });
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-seat-id="A-1-1"]').click();
    const held = page.waitForResponse((r) => r.url().endsWith(`${event.eventId}/holds`));
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const response = await held;
    expect(response.status()).toBe(201);
    expect(response.request().headers()["x-access-token"]).toBeTruthy();
    await page.locator("[data-expires-at]").waitFor();

    expectClean(watched);
    await context.close();
  });
});
