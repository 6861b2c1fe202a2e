import { describe, expect, it } from "vitest";
import { Event } from "../../src/contract/responses";
import {
  api,
  buy,
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

describe("the organizer dashboard", () => {
  it("shows the sale, live numbers and the sales chart, and pauses and resumes sales", async () => {
    const event = await createEvent();
    await buy(event.eventId, await tokenFor(unique("fan")), { seatIds: ["A-1-1", "A-1-2"] });

    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(event.organizerName, "organizer", "/organizer"));
    const card = page.locator(`article[data-event-id="${event.eventId}"]`);
    await card.getByRole("heading", { name: event.title }).waitFor();
    const stat = (name: string) => card.locator(`[data-stat="${name}"]`);
    expect(await stat("sold").textContent()).toBe("2");
    expect(await stat("revenue").textContent()).toBe("€100.00");
    expect(await stat("available").textContent()).toBe("80");
    expect(await card.locator("svg.chart").getAttribute("data-total")).toBe("2");
    expect(await card.locator("svg.chart [data-point]").count()).toBeGreaterThanOrEqual(1);

    // Live: another sale and a hold while the page is open appear at its next refresh.
    await buy(event.eventId, await tokenFor(unique("fan")), {
      seatIds: ["B-1-1"],
      ga: [{ sectionId: "FLOOR", quantity: 2 }],
    });
    expect(
      (
        await api("POST", `/api/v1/events/${event.eventId}/holds`, {
          token: await tokenFor(unique("fan")),
          body: { seatIds: ["B-2-1"] },
        })
      ).status,
    ).toBe(201);
    await card.locator('[data-stat="sold"]', { hasText: /^5$/ }).waitFor({ timeout: 10_000 });
    expect(await stat("held").textContent()).toBe("1");
    expect(await stat("available").textContent()).toBe("76");
    expect(await stat("revenue").textContent()).toBe("€185.00");
    expect(await card.locator("svg.chart").getAttribute("data-total")).toBe("5");
    await screenshots(page, "organizer");

    // Pause, then resume, through PATCH /api/v1/admin/events/:id.
    await card.getByRole("button", { name: "Pause sales" }).click();
    await card.locator('[data-state="paused"]').waitFor();
    expect((await api("GET", `/api/v1/events/${event.eventId}`, { schema: Event })).body.status).toBe("paused");
    await card.getByRole("button", { name: "Resume sales" }).click();
    await card.locator('[data-state="published"]').waitFor();
    await card.getByRole("button", { name: "Pause sales" }).waitFor();

    expectClean(watched);
    await context.close();
  });
});
