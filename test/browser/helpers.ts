import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SignJWT } from "jose";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

/** Debian's Chromium, as VERSIONS.md gotcha 11 says; launch() gives it a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
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

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export function newContext(browser: Browser, base = inject("baseUrl")): Promise<BrowserContext> {
  return browser.newContext({ baseURL: base, viewport: DESKTOP, locale: "en-GB", timezoneId: "Europe/Berlin" });
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
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`) });
  await page.setViewportSize(DESKTOP);
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

export async function api<T = any>(
  method: string,
  path: string,
  { token, body, base = inject("baseUrl") }: { token?: string; body?: unknown; base?: string } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function ok<T = any>(result: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await result;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
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

/** A fresh organizer, venue and published event on sale now, made through the admin API. */
export async function createEvent(overrides: Record<string, unknown> = {}, base?: string): Promise<TestEvent> {
  const organizerName = unique("org");
  const organizer = await tokenFor(organizerName, ["organizer"]);
  const venue = await ok(api("POST", "/api/v1/admin/venues", { token: organizer, body: HALL, base }), "venue");
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
        ...overrides,
      },
    }),
    "event",
  );
  return { eventId: event.eventId, title, organizer, organizerName };
}

/** A confirmed order through the API: hold, checkout, simulated payment. */
export async function buy(eventId: string, customer: string, hold: { seatIds?: string[]; ga?: unknown[] }) {
  const held = await ok(api("POST", `/api/v1/events/${eventId}/holds`, { token: customer, body: hold }), "hold");
  const checkout = await ok(api("POST", `/api/v1/holds/${held.holdId}/checkout`, { token: customer }), "checkout");
  const paid = await ok(
    api("POST", `/pay/${checkout.orderId}`, { token: customer, body: { result: "succeed" } }),
    "simulated payment",
  );
  expect(paid.status).toBe("confirmed");
  return { holdId: held.holdId as string, orderId: checkout.orderId as string };
}

export function signInPath(name: string, role: string, next: string): string {
  return `/dev/login?${new URLSearchParams({ name, role, next })}`;
}
