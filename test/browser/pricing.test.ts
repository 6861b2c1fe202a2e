import { describe, expect, it } from "vitest";
import { VoucherList } from "../../src/contract/pricing-responses";
import { HoldCreated, Order } from "../../src/contract/responses";
import {
  api,
  bodyOf,
  createEvent,
  expectAccessible,
  expectClean,
  focusIsOn,
  newContext,
  phoneContext,
  screenshots,
  sharedBrowser,
  signInPath,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

const browser = sharedBrowser();

/**
 * Adult €40 and Child €20 everywhere, €2.50 service fee per ticket, 19% VAT on top, rounded half up
 * per ticket: Adult 4000 + 250 + 808 = 5058; Child 2000 + 250 + 428 = 2678. KIDS5 takes €5 off the
 * base of Child tickets only: 1500 + 250 + 333 = 2083. Worked out here by hand, not by the code under test.
 */
const PRICING = {
  ticketTypes: [
    { id: "adult", name: "Adult", prices: { "*": 4000 } },
    { id: "child", name: "Child", prices: { "*": 2000 } },
  ],
  fees: [{ name: "Service", kind: "per_ticket", amount: 250 }],
  tax: { name: "VAT", ratePercent: 19, included: false },
};
const ADULT = 5058;
const CHILD = 2678;
const CHILD_WITH_VOUCHER = 2083;

async function pricedEvent() {
  const event = await createEvent(PRICING);
  const { status, body } = await api("POST", `/api/v1/admin/events/${event.eventId}/vouchers`, {
    token: event.organizer,
    body: { code: "KIDS5", kind: "amount", value: 500, maxUses: 5, ticketTypes: ["child"] },
    schema: VoucherList,
  });
  expect(status).toBe(201);
  expect(body.data.map((v) => v.code)).toEqual(["KIDS5"]);
  return event;
}

describe("an event with ticket types", () => {
  it("buys one Adult seat and one Child standing ticket with a voucher; the receipt's total is what the payment took", async () => {
    const event = await pricedEvent();
    const fanName = unique("fan");
    const context = await newContext(browser());
    // The unknown code is refused on purpose: its 409 is expected in the console.
    const watched = await watchedPage(context, [/status of 409/]);
    const { page } = watched;
    await page.goto(signInPath(fanName, "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();

    // Every price all-in, with what it is made of beside it.
    await page.locator(".type-prices summary").click();
    expect(await page.locator("[data-type-price]").evaluateAll((rows) => rows.map((r) => r.textContent))).toEqual([
      "AdultEvery section€50.58€40.00 + €2.50 fees + €8.08 VAT",
      "ChildEvery section€26.78€20.00 + €2.50 fees + €4.28 VAT",
    ]);
    const floorChild = page.locator('.ga[data-section-id="FLOOR"] li[data-ticket-type="child"]');
    expect(await floorChild.locator(".price").textContent()).toBe("€26.78");
    expect(await floorChild.locator(".breakdown").textContent()).toBe("€20.00 + €2.50 fees + €4.28 VAT");

    // A seat comes as the first type; its chooser changes it, keeping focus, and says so.
    await page.locator('[data-seat-id="A-1-3"]').click();
    const chooser = page.getByRole("combobox", { name: "Ticket type for Section A, row 1, seat 3" });
    expect(await chooser.inputValue()).toBe("adult");
    expect(await chooser.locator("option").allTextContents()).toEqual(["Adult, €50.58", "Child, €26.78"]);
    // By keyboard: the lines are drawn anew with the new price, and focus stays on the chooser.
    await chooser.focus();
    await page.keyboard.press("ArrowDown");
    expect(await chooser.inputValue()).toBe("child");
    expect(await focusIsOn(page, '[data-type-of="A-1-3"]')).toBe(true);
    await page.locator("#message", { hasText: "Section A, row 1, seat 3: Child, €26.78." }).waitFor();
    expect(await page.locator("#total").textContent()).toBe("€26.78");
    await chooser.selectOption("adult");
    expect(await page.locator("#total").textContent()).toBe("€50.58");

    // One Child standing ticket by its own stepper.
    await page.getByRole("button", { name: "One more Child for Floor" }).click();
    expect(await page.locator('[data-ga-quantity="FLOOR"][data-ticket-type="child"]').inputValue()).toBe("1");
    expect(await page.locator('[data-ga-quantity="FLOOR"][data-ticket-type="adult"]').inputValue()).toBe("0");
    await page.locator("#selection li", { hasText: "Floor, Child × 1" }).waitFor();
    expect(await page.locator("#total").textContent()).toBe("€77.36");
    await expectAccessible(page, "event page with the ticket type chooser");
    await screenshots(page, "event-ticket-types");

    // An unknown code: the contract's words, the field marked, nothing held.
    const voucher = page.getByLabel("Voucher or presale code");
    await voucher.fill("NOPE5");
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator("#message", { hasText: "This code is not known." }).waitFor();
    expect(await voucher.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#hold-panel").isHidden()).toBe(true);

    // The real code (typed in lower case): the Child ticket is €5 cheaper before fees and tax, the Adult is not.
    await voucher.fill("kids5");
    expect(await voucher.getAttribute("aria-invalid")).toBeNull();
    const holdResponse = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/events/${event.eventId}/holds`) && r.status() === 201,
    );
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    const hold = await bodyOf(await holdResponse, HoldCreated);
    expect(hold.voucher).toBe("KIDS5");
    const held = Object.fromEntries(hold.items.map((i) => [i.ticketType, i]));
    expect(held.adult).toMatchObject({ seatId: "A-1-3", priceCents: ADULT, breakdown: { baseCents: 4000 } });
    expect(held.child).toMatchObject({
      sectionId: "FLOOR",
      quantity: 1,
      priceCents: CHILD_WITH_VOUCHER,
      breakdown: { baseCents: 1500, feesCents: 250, taxCents: 333 },
    });
    const total = ADULT + CHILD_WITH_VOUCHER;
    expect(hold.totalCents).toBe(total);
    expect(ADULT + CHILD - total).toBe(595); // €5 off the base, and the 19% VAT on it
    await page.locator("#hold-panel").waitFor();
    expect(await page.locator("#held-lines li").allInnerTexts()).toEqual([
      expect.stringMatching(/^Section A, row 1, seat 3, Adult\s+€50\.58\s+€40\.00 \+ €2\.50 fees \+ €8\.08 VAT$/),
      expect.stringMatching(/^Floor, Child × 1\s+€20\.83\s+€15\.00 \+ €2\.50 fees \+ €3\.33 VAT$/),
      "Voucher KIDS5 applied",
    ]);
    expect(await page.locator("#held-total").textContent()).toBe("€71.41");

    // Checkout, then the simulated payment of the order's total (the amount its signed webhook says was received).
    await page.getByRole("button", { name: "Checkout" }).click();
    await page.waitForURL(/\/pay\/ord_/);
    const orderId = new URL(page.url()).pathname.split("/").at(-1)!;
    await page.getByRole("heading", { name: "Pay €71.41" }).waitFor();
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(`**/orders/${orderId}`);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const { body: order } = await api("GET", `/api/v1/orders/${orderId}`, {
      token: await tokenFor(fanName),
      schema: Order,
    });
    // Confirmed: fulfilment refunds and fails an order whose payment's amount differs from its total.
    expect(order.status).toBe("confirmed");
    expect(order.totalCents).toBe(total);
    expect(order.voucher).toBe("KIDS5");

    // The receipt: its total is the amount paid, and the sum of its lines.
    await page.getByRole("link", { name: "Receipt" }).click();
    await page.waitForURL(`**/orders/${orderId}/receipt`);
    const shown = page.locator("#receipt-total");
    expect(Number(await shown.getAttribute("data-total-cents"))).toBe(order.totalCents);
    expect(await shown.textContent()).toBe("€71.41");
    const lineTotals = await page
      .locator("[data-line-total]")
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-line-total"))));
    expect(lineTotals.reduce((a, b) => a + b, 0)).toBe(order.totalCents);
    const rows = await page
      .locator(".receipt-lines tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())));
    expect(rows).toEqual(
      expect.arrayContaining([
        ["Section A, row 1, seat 3", "Adult", "1", "€40.00", "€2.50", "€8.08", "€50.58", "€50.58"],
        ["Floor, standing", "Child", "1", "€15.00", "€2.50", "€3.33", "€20.83", "€20.83"],
      ]),
    );
    expect(await page.locator("dd code").textContent()).toBe("KIDS5");

    expectClean(watched);
    await context.close();
  });

  it("on a phone the chooser is in the pinned bar's selection and passes axe", async () => {
    const event = await pricedEvent();
    const context = await phoneContext(browser());
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(signInPath(unique("fan"), "customer", `/events/${event.eventId}`));
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.getByRole("button", { name: "One more Adult for Floor" }).click();
    await page.locator('[data-seat-id="B-1-1"]').click();
    await page.locator("#selection-toggle").click();
    const chooser = page.getByRole("combobox", { name: "Ticket type for Section B, row 1, seat 1" });
    await chooser.selectOption("child");
    expect(await page.locator("#total").textContent()).toBe(`€${((ADULT + CHILD) / 100).toFixed(2)}`);
    expect(await page.getByLabel("Voucher or presale code").isVisible()).toBe(true);
    await expectAccessible(page, "event page with ticket types on a phone");
    expectClean(watched);
    await context.close();
  });
});
