import { describe, expect, inject, it } from "vitest";
import {
  buy,
  createEvent,
  expectAccessible,
  expectClean,
  HALL,
  newContext,
  ONE_ROOM,
  phoneContext,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

/** A real 1×1 PNG: the event page shows it as the event's image. */
const PIXEL = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

/**
 * Every page in API.md's "Pages" table (and the message pages), at 1280×900 and 390×844: axe-core
 * (WCAG 2.0–2.2 A/AA) finds nothing, and a screenshot of each goes to test-results/screenshots/.
 */
describe("every page, at desktop and phone sizes", () => {
  it("home, event, held seats, order (and its print view), My tickets, message pages", async () => {
    const startsAt = Date.now() + 30 * 86_400_000;
    const event = await createEvent(
      {
        startsAt: new Date(startsAt).toISOString(),
        doorsAt: new Date(startsAt - 3_600_000).toISOString(),
        ageRule: "18+",
        description: "An evening in the browser.\n\nNo re-entry.",
        ...ONE_ROOM,
      },
      undefined,
      { ...HALL, address: "Alexanderplatz 1, Berlin", lat: 52.5219, lon: 13.4132 },
    );
    const image = await fetch(`${inject("baseUrl")}/api/v1/admin/events/${event.eventId}/image`, {
      method: "PUT",
      headers: { authorization: `Bearer ${event.organizer}`, "content-type": "image/png" },
      body: PIXEL,
    });
    expect(image.status).toBe(200);
    const name = unique("fan");
    const { orderId } = await buy(event.eventId, await tokenFor(name), {
      seatIds: ["B-2-2"],
      ga: [{ sectionId: "FLOOR", quantity: 1 }],
    });
    const context = await newContext(browser());
    const watched = await watchedPage(context, [/status of 40[14]/]);
    const { page } = watched;

    await page.goto("/");
    await page.getByRole("heading", { name: "Upcoming events" }).waitFor();
    await expectAccessible(page, "home, signed out");
    await page.goto("/tickets");
    await page.getByRole("heading", { name: "Sign in to see your tickets" }).waitFor();
    await expectAccessible(page, "My tickets, signed out");
    await screenshots(page, "tickets-signed-out");
    await page.goto(`/events/evt_${"x".repeat(20)}`);
    await page.getByRole("heading", { name: "Event not found" }).waitFor();
    await expectAccessible(page, "event not found");
    await screenshots(page, "event-not-found");

    await page.goto(signInPath(name, "customer", "/"));
    await page.getByRole("link", { name: "My tickets" }).waitFor();
    await expectAccessible(page, "home, signed in");
    await screenshots(page, "home");

    await page.goto(`/events/${event.eventId}`);
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.getByRole("img", { name: `${event.title} at ${HALL.name}` }).waitFor();
    await page.getByText("No re-entry.").waitFor();
    await expectAccessible(page, "event");
    await screenshots(page, "event");
    await page.locator('[data-seat-id="A-2-4"]').click();
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator("#message", { hasText: "Held." }).waitFor();
    await expectAccessible(page, "event, seats held");
    await screenshots(page, "event-held");

    await page.goto(`/orders/${orderId}`);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const qr = page.locator("[data-ticket-id] img").first();
    expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(240);
    await expectAccessible(page, "order");
    await screenshots(page, "order");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    await screenshots(page, "order-print");
    await page.emulateMedia({ media: "screen" });

    await page.goto("/tickets");
    await page.locator("#my-tickets [data-ticket-id]").first().waitFor();
    expect(await page.locator("#my-tickets [data-ticket-id]").count()).toBe(2);
    await expectAccessible(page, "My tickets");
    expectClean(watched);
    await context.close();
  });

  it("a pre-sale event: the map is read-only and says when sales open", async () => {
    const onSaleAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const event = await createEvent({ onSaleAt });
    const context = await phoneContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("early"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-event-status="scheduled"]', { hasText: "Sales open" }).waitFor();
    await page.locator('[data-seat-id="A-1-1"]').tap();
    await page.locator("#message", { hasText: "Sales open" }).waitFor();
    expect(await page.locator('[data-seat-id="A-1-1"]').getAttribute("aria-pressed")).toBe("false");
    expect(await page.getByRole("button", { name: "Hold", exact: true }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "One more for Floor" }).tap();
    expect(await page.locator('[data-ga-quantity="FLOOR"]').inputValue()).toBe("0");
    await expectAccessible(page, "pre-sale event");
    await screenshots(page, "event-presale");
    expectClean(watched);
    await context.close();
  });

  it("the waiting room", async () => {
    const event = await createEvent({ waitingRoom: { mode: "always", admitPerMinute: 1, maxActive: 1 } });
    const context = await newContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("q"), "customer", `/events/${event.eventId}/queue`));
    await page.locator('#queue:not([data-queue-state="joining"])').waitFor();
    await expectAccessible(page, "waiting room");
    await screenshots(page, "queue");
    expectClean(watched);
    await context.close();
  });
});
