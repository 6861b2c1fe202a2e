import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { SignJWT } from "jose";
import { type Browser, type BrowserContext, chromium, type Page, type Response as PageResponse } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { z } from "zod";
import { Checkout, Event, HoldCreated, PaySimulation, Venue } from "../../src/contract/responses";

/**
 * The Chromium the global setup found or installed (scripts/browser.mjs), rather than the one
 * playwright-core would download; launch() gives it a fresh temporary profile. `extraArgs` are
 * further switches (the door's test gives it a fake camera).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: inject("chromePath"),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** One Chromium for the calling test file: launched before its tests, closed after them. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not launched yet");
    return browser;
  };
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function newContext(browser: Browser, base = inject("baseUrl")): Promise<BrowserContext> {
  return browser.newContext({ baseURL: base, viewport: DESKTOP, locale: "en-GB", timezoneId: "Europe/Berlin" });
}

/** A phone: 390×844, touch, as the walk-through used. */
export function phoneContext(browser: Browser, base = inject("baseUrl")): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: base,
    viewport: PHONE,
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
  });
}

// ------------------------------------------------------------------ accessibility

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core on the page as it is now (WCAG 2.0–2.2 A and AA): the violations, and the "needs
 * review" colour-contrast items inside the seat map. Evaluated through the DevTools protocol, so
 * the page's CSP (no inline scripts) does not stop it.
 */
export async function axe(page: Page): Promise<{ violations: AxeFinding[]; mapContrastReview: AxeFinding[] }> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const tags = JSON.stringify(WCAG_TAGS);
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ${tags} } });
    const brief = (r) => ({
      id: r.id,
      impact: r.impact,
      help: r.help,
      nodes: r.nodes.map((n) => (n.target.join(" ") + ": " + JSON.stringify((n.any[0] || {}).data) + " " + (n.failureSummary || "")).slice(0, 400)),
    });
    const inMap = (n) => document.querySelector(n.target[0])?.closest(".map-area") != null;
    return {
      violations: result.violations.map(brief),
      mapContrastReview: result.incomplete
        .filter((r) => r.id === "color-contrast")
        .map((r) => brief({ ...r, nodes: r.nodes.filter(inMap) }))
        .filter((r) => r.nodes.length > 0),
    };
  })()`);
}

/** 0 axe violations (and no seat-map contrast left to review) at the current size and at the other one. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const size of [original, original.width === PHONE.width ? DESKTOP : PHONE]) {
    await page.setViewportSize(size);
    // Scrolled to the end, where a phone's pinned bar sits in its own place and covers nothing:
    // text under a sticky bar has no background axe can measure.
    await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)");
    const { violations, mapContrastReview } = await axe(page);
    expect(violations, `${what} at ${size.width}×${size.height}: axe violations`).toEqual([]);
    expect(mapContrastReview, `${what} at ${size.width}×${size.height}: seat-map contrast to review`).toEqual([]);
  }
  await page.setViewportSize(original);
}

/**
 * Records every text that appears in a live region (aria-live, role=status/alert) from now on, in
 * order, as a screen reader would be handed it.
 */
export async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(`(() => {
    const heard = (window.__heard = []);
    const live = (node) => node instanceof Element && node.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]');
    new MutationObserver((records) => {
      for (const record of records) {
        const region = live(record.target instanceof Element ? record.target : record.target.parentElement);
        if (region && region.textContent.trim()) heard.push(region.textContent.trim());
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  return () => page.evaluate<string[]>("window.__heard.slice()");
}

/** Whether focus is on the element `selector` matches (or inside it). */
export function focusIsOn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const target = document.querySelector(${JSON.stringify(selector)});
    return target !== null && (target === document.activeElement || target.contains(document.activeElement));
  })()`);
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/**
 * A page whose console errors and uncaught exceptions are collected: a test ends with
 * `expectClean`. `expected` lists messages a test provokes on purpose (a 409 it asked for).
 */
export async function watchedPage(context: BrowserContext, expected: RegExp[] = []): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = `${message.text()} (${message.location().url})`;
    if (!expected.some((pattern) => pattern.test(text))) errors.push(text);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

export function expectClean(watched: WatchedPage): void {
  expect(watched.errors, "console errors or uncaught exceptions").toEqual([]);
}

const SCREENSHOTS = join(process.cwd(), "test-results", "screenshots");

/**
 * Writes `<name>-desktop.png` (the whole page) and `<name>-phone.png` (what a 390 px wide phone
 * shows: the screen, with the event page's bar stuck to its bottom), then restores the desktop size.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`) });
  await page.setViewportSize(original);
}

// ------------------------------------------------------------------ API set-up (Node side)

let counter = 0;
export const unique = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function tokenFor(sub: string, roles: string[] = ["customer"]): Promise<string> {
  return new SignJWT({ roles, name: sub })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(inject("authSecret")));
}

export interface ApiCall {
  token?: string;
  body?: unknown;
  base?: string;
}

/**
 * A call to the API from Node: the status and the JSON body (undefined when empty), `unknown`.
 * With `schema` (the contract's, src/contract/responses.ts) the body is checked against it whatever
 * the status (a test that expects an error passes ErrorBody), typed by it and returned as sent.
 */
export async function api(method: string, path: string, call?: ApiCall): Promise<{ status: number; body: unknown }>;
export async function api<S extends z.ZodType>(
  method: string,
  path: string,
  call: ApiCall & { schema: S },
): Promise<{ status: number; body: z.output<S> }>;
export async function api(
  method: string,
  path: string,
  { token, body, base = inject("baseUrl"), schema }: ApiCall & { schema?: z.ZodType } = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (schema) return { status: response.status, body: checked(schema, parsed, `${method} ${path} ${response.status}`) };
  return { status: response.status, body: parsed };
}

/** `body` checked against `schema` and returned as it is; a mismatch fails, naming the field. */
export function checked<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const sent = JSON.stringify(body)?.slice(0, 500);
    throw new Error(`${what}: the body does not match the contract:\n${z.prettifyError(result.error)}\n${sent}`);
  }
  return body as z.output<S>;
}

/** The JSON body of a response the page received, checked against `schema` (the contract's). */
export async function bodyOf<S extends z.ZodType>(response: PageResponse, schema: S): Promise<z.output<S>> {
  const what = `${response.request().method()} ${response.url()} ${response.status()}`;
  return checked(schema, await response.json(), what);
}

/** A set-up step's answer: a success status, then checked against `schema`. */
async function ok<S extends z.ZodType>(result: Promise<{ status: number; body: unknown }>, what: string, schema: S) {
  const { status, body } = await result;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return checked(schema, body, what);
}

/** A small hall: section A (3 rows × 10), section B (2 × 6), a standing floor of 40. */
export const HALL = {
  name: "Browser Hall",
  city: "Berlin",
  country: "DE",
  timezone: "Europe/Berlin",
  sections: [
    { id: "A", name: "Section A", kind: "seated", rows: [1, 2, 3].map((r) => ({ label: String(r), seats: 10 })) },
    { id: "B", name: "Section B", kind: "seated", rows: [1, 2].map((r) => ({ label: String(r), seats: 6 })) },
    { id: "FLOOR", name: "Floor", kind: "ga", capacity: 40 },
  ],
};

export interface TestEvent {
  eventId: string;
  title: string;
  organizer: string;
  organizerName: string;
}

/**
 * For a test that holds one party across sections: always one room, even under TEST_ROOMS=section
 * (an event split by section refuses such a hold, 400 SPANS_ROOMS, by design).
 */
export const ONE_ROOM = { rooms: "event" };

/** A fresh organizer, venue and published event on sale now, made through the admin API. */
export async function createEvent(
  overrides: Record<string, unknown> = {},
  base?: string,
  hall: unknown = HALL,
): Promise<TestEvent> {
  const organizerName = unique("org");
  const organizer = await tokenFor(organizerName, ["organizer"]);
  const venue = await ok(api("POST", "/api/v1/admin/venues", { token: organizer, body: hall, base }), "venue", Venue);
  const now = Date.now();
  const title = `Browser Gala ${unique("")}`;
  const event = await ok(
    api("POST", "/api/v1/admin/events", {
      token: organizer,
      base,
      body: {
        venueId: venue.venueId,
        title,
        category: "concert",
        artist: "The Headless Band",
        startsAt: new Date(now + 30 * 86_400_000).toISOString(),
        onSaleAt: new Date(now - 3_600_000).toISOString(),
        currency: "EUR",
        prices: { A: 5000, B: 3500, FLOOR: 2500 },
        publish: true,
        // TEST_ROOMS=section runs the pages' tests over events split into a room per section.
        ...(process.env.TEST_ROOMS && { rooms: process.env.TEST_ROOMS }),
        ...overrides,
      },
    }),
    "event",
    Event,
  );
  return { eventId: event.eventId, title, organizer, organizerName };
}

/** A confirmed order through the API: hold, checkout, simulated payment. */
export async function buy(eventId: string, customer: string, hold: { seatIds?: string[]; ga?: unknown[] }) {
  const held = await ok(
    api("POST", `/api/v1/events/${eventId}/holds`, { token: customer, body: hold }),
    "hold",
    HoldCreated,
  );
  const checkout = await ok(
    api("POST", `/api/v1/holds/${held.holdId}/checkout`, { token: customer }),
    "checkout",
    Checkout,
  );
  const paid = await ok(
    api("POST", `/pay/${checkout.orderId}`, { token: customer, body: { result: "succeed" } }),
    "simulated payment",
    PaySimulation,
  );
  expect(paid.status).toBe("confirmed");
  return { holdId: held.holdId, orderId: checkout.orderId };
}

export function signInPath(name: string, role: string, next: string): string {
  return `/dev/login?${new URLSearchParams({ name, role, next })}`;
}
