import { describe, expect, it } from "vitest";
import { Checkout, Event, EventStats, HoldCreated } from "../../src/contract/responses";
import { sectionRows, statItems } from "../../src/pages/dashboard-numbers";
import {
  api,
  buy,
  createEvent,
  expectClean,
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

describe("the organizer dashboard", () => {
  it("shows the sale, live numbers and the sales chart, and pauses and resumes sales", async () => {
    const event = await createEvent(ONE_ROOM);
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

  it("during a scripted sale, shows the stats endpoint's numbers: holds per minute, declines, by section", async () => {
    const event = await createEvent(ONE_ROOM);
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(event.organizerName, "organizer", "/organizer"));
    const card = page.locator(`article[data-event-id="${event.eventId}"]`);
    await card.getByRole("heading", { name: event.title }).waitFor();

    /** What the dashboard shows now: every tile, and every cell of the section table. */
    const shown = () =>
      card.evaluate((el) => ({
        tiles: Object.fromEntries(
          [...el.querySelectorAll("[data-stat]")].map((d) => [d.getAttribute("data-stat"), d.textContent]),
        ),
        sections: [...el.querySelectorAll("[data-section]")].map((row) => [
          row.getAttribute("data-section"),
          ...[...row.querySelectorAll("td")].map((td) => td.textContent),
        ]),
      }));
    /** The same, drawn from GET …/stats with the page's own formatting. */
    const expected = async () => {
      const stats = (
        await api("GET", `/api/v1/admin/events/${event.eventId}/stats`, { token: event.organizer, schema: EventStats })
      ).body;
      return {
        stats,
        view: {
          tiles: Object.fromEntries(statItems(stats).map((i) => [i.name, i.value])),
          sections: sectionRows(stats).map((r) => [r.sectionId, ...r.cells.map((c) => c.value)]),
        },
      };
    };
    const matches = async () => {
      const [now, want] = await Promise.all([shown(), expected()]);
      return JSON.stringify(now) === JSON.stringify(want.view) ? want.stats : undefined;
    };

    // The scripted sale, in steps; after each the dashboard settles on the endpoint's numbers.
    const sold: number[] = [];
    const steps: (() => Promise<unknown>)[] = [
      async () => buy(event.eventId, await tokenFor(unique("fan")), { seatIds: ["A-1-1", "A-1-2"] }),
      async () => {
        const fan = await tokenFor(unique("fan"));
        const held = await api("POST", `/api/v1/events/${event.eventId}/holds`, {
          token: fan,
          body: { ga: [{ sectionId: "FLOOR", quantity: 3 }] },
          schema: HoldCreated,
        });
        const checkout = await api("POST", `/api/v1/holds/${held.body.holdId}/checkout`, {
          token: fan,
          schema: Checkout,
        });
        expect(
          (await api("POST", `/pay/${checkout.body.orderId}`, { token: fan, body: { result: "fail" } })).status,
        ).toBe(200);
      },
      async () =>
        buy(event.eventId, await tokenFor(unique("fan")), {
          seatIds: ["B-1-1"],
          ga: [{ sectionId: "FLOOR", quantity: 2 }],
        }),
    ];
    for (const step of steps) {
      await step();
      let settled: Awaited<ReturnType<typeof matches>>;
      await expect
        .poll(
          async () => {
            settled = await matches();
            return settled !== undefined;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      sold.push(settled!.sold);
    }
    // The numbers moved: 2 sold, then a hold that was declined (sold unchanged), then 3 more.
    expect(sold).toEqual([2, 2, 5]);
    const final = await card.evaluate((el) => ({
      perMinute: el.querySelector('[data-stat="holds-per-minute"]')?.textContent,
      declined: el.querySelector('[data-stat="payment-failures"]')?.textContent,
      floor: el.querySelector('[data-section="FLOOR"] [data-col="held"]')?.textContent,
    }));
    expect(final).toEqual({ perMinute: "3", declined: "1 of 3", floor: "3" });

    expectClean(watched);
    await context.close();
  });
});
