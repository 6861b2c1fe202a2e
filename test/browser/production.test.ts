import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { Page, Route } from "playwright-core";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { snapshotConfig, startWranglerDev, type WranglerDev, wranglerAsync } from "../../bench/lib/wrangler-dev.mjs";
import { startEmailServer } from "../email-server";
import { startStripeServer } from "../stripe-server";
import {
  createEvent,
  DESKTOP,
  expectAccessible,
  expectClean,
  newContext,
  sharedBrowser,
  tokenFor,
  unique,
  watchedPage,
} from "./helpers";

/**
 * The product as deployed: `wrangler dev` with ENVIRONMENT=production (no /dev routes, no simulated
 * payments, no outbox page), mail through the Resend-compatible test server, Stripe through the
 * Stripe-compatible one. In the browser, Stripe.js is a stand-in served for js.stripe.com whose
 * confirmPayment asks api.stripe.com, which this test answers as Stripe would: the intent is paid at
 * the Stripe test server and Stripe's signed `payment_intent.succeeded` webhook is delivered.
 */

const browser = sharedBrowser();
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
let base = "";
let mailBase = "";
let stripeBase = "";
const stops: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  const tmp = mkdtempSync(join(os.tmpdir(), "edge-tickets-production-"));
  stops.push(() => rmSync(tmp, { recursive: true, force: true }));
  const [mail, stripe] = await Promise.all([startEmailServer(), startStripeServer()]);
  stops.push(mail.close, stripe.close);
  mailBase = mail.url;
  stripeBase = stripe.url;
  const config = snapshotConfig(tmp);
  const state = join(tmp, "state");
  mkdirSync(state);
  await wranglerAsync(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state], {
    timeoutMs: 90_000,
  });
  cpSync(state, join(tmp, "state-run"), { recursive: true });
  const server: WranglerDev = await startWranglerDev({
    config,
    persistTo: join(tmp, "state-run"),
    logPath: join(tmp, "wrangler.log"),
    vars: {
      ENVIRONMENT: "production",
      AUTH_SECRET: inject("authSecret"),
      AUTH_JWKS_URL: "",
      TOKEN_SECRET: randomBytes(24).toString("hex"),
      STRIPE_SECRET_KEY: "sk_test_production_check",
      STRIPE_PUBLISHABLE_KEY: "pk_test_production_check",
      STRIPE_API_BASE: stripe.url,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      EMAIL_PROVIDER: "resend",
      EMAIL_API_KEY: "re_production_check",
      EMAIL_API_BASE: mail.url,
      LOG_REQUESTS: "off",
      RATE_LIMIT_MODE: "off",
      BOT_CHALLENGE: "off",
    },
    readyTimeoutMs: 90_000,
  });
  stops.unshift(() => server.stop());
  // localhost, not 127.0.0.1: browsers keep the Secure __Host- cookies on http://localhost.
  base = `http://localhost:${server.port}`;
}, 180_000);

afterAll(async () => {
  for (const stop of stops) await stop();
});

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** Waits until the mail server holds `count` mails to `to`, then answers them, newest last. */
async function mailsTo(to: string, count: number): Promise<Mail[]> {
  let mails: Mail[] = [];
  await expect
    .poll(
      async () => {
        const response = await fetch(`${mailBase}/__emails?to=${encodeURIComponent(to)}`);
        mails = ((await response.json()) as { data: Mail[] }).data;
        return mails.length;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBeGreaterThanOrEqual(count);
  return mails;
}

/** The path and query of the first link in `text` whose path matches `pattern` (mail links name PUBLIC_URL). */
function linkIn(text: string, pattern: RegExp): string {
  for (const match of text.matchAll(/https?:\/\/[^\s"<>)]+/g)) {
    const url = new URL(match[0]);
    if (pattern.test(url.pathname)) return `${url.pathname}${url.search}`;
  }
  throw new Error(`no link matching ${pattern} in:\n${text}`);
}

const FAKE_STRIPE_JS = `
window.Stripe = function () {
  return {
    elements: function (options) {
      return {
        clientSecret: options.clientSecret,
        create: function () {
          var ready = [];
          return {
            on: function (name, handler) { if (name === "ready") ready.push(handler); },
            mount: function (selector) {
              var el = document.querySelector(selector);
              var label = document.createElement("p");
              label.textContent = "Test card 4242 4242 4242 4242";
              el.appendChild(label);
              ready.forEach(function (h) { setTimeout(h, 0); });
            },
          };
        },
      };
    },
    confirmPayment: async function (options) {
      var id = options.elements.clientSecret.split("_secret_")[0];
      var answer = await fetch("https://api.stripe.com/v1/payment_intents/" + id + "/confirm", { method: "POST" });
      if (!answer.ok) return { error: { message: "Your card was declined." } };
      location.href = options.confirmParams.return_url;
      return {};
    },
  };
};`;

/** Stripe for this page: the stand-in Stripe.js, and api.stripe.com's confirm as Stripe would settle it. */
async function playStripe(page: Page): Promise<void> {
  await page.route("https://js.stripe.com/**", (route: Route) =>
    route.fulfill({ status: 200, contentType: "application/javascript", body: FAKE_STRIPE_JS }),
  );
  await page.route("https://api.stripe.com/**", async (route: Route) => {
    const id = /payment_intents\/([^/]+)\/confirm/.exec(route.request().url())?.[1] ?? "";
    const paid = await fetch(`${stripeBase}/__intents/${id}`, {
      method: "POST",
      body: JSON.stringify({ status: "succeeded" }),
    });
    const intent = (await paid.json()) as Record<string, unknown>;
    const payload = JSON.stringify({
      id: `evt_${unique("")}`,
      object: "event",
      type: "payment_intent.succeeded",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: intent },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const delivered = await fetch(`${base}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    // Stripe answers the browser only once its webhook was taken; a refused one fails the payment here.
    await route.fulfill({
      status: paid.ok && delivered.ok ? 200 : 402,
      contentType: "application/json",
      headers: { "access-control-allow-origin": "*" },
      body: JSON.stringify(intent),
    });
  });
}

describe("deployed with ENVIRONMENT=production", () => {
  it("a fan signs in by e-mail, holds, pays, opens the ticket from the mail without signing in, signs out; a transfer ends the link", async () => {
    const event = await createEvent({}, base);
    const email = `${unique("fan")}@example.com`;

    // No development sign-in here.
    expect((await fetch(`${base}/dev/login?name=x&role=customer`, { redirect: "manual" })).status).toBe(404);

    const context = await newContext(browser(), base);
    const watched = await watchedPage(context);
    const { page } = watched;
    await playStripe(page);

    // The sign-in page, then "check your mail" (no outbox link in production).
    await page.goto(`/signin?${new URLSearchParams({ next: `/events/${event.eventId}` })}`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expectAccessible(page, "sign-in page");
    await page.getByLabel("E-mail address").fill(email);
    await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
    await page.getByRole("heading", { name: "Check your mail" }).waitFor();
    expect(await page.getByRole("link", { name: "outbox" }).count()).toBe(0);

    // The link from the mail signs in and leads back to the event.
    const [signInMail] = await mailsTo(email, 1);
    await page.goto(linkIn(signInMail!.text, /^\/auth\/verify$/));
    await page.waitForURL(`**/events/${event.eventId}`);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "__Host-session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.secure).toBe(true);

    // Hold a seat, check out, pay through Stripe (the stand-in), see the order.
    await page.locator('#live-status[data-live="live"]').waitFor();
    await page.locator('[data-seat-id="A-1-1"]').click();
    await page.getByRole("button", { name: "Hold", exact: true }).click();
    await page.locator('[data-seat-id="A-1-1"][data-status="held"].mine').waitFor();
    await page.getByRole("button", { name: "Checkout" }).click();
    await page.waitForURL(/\/pay\/ord_/);
    const pay = page.getByRole("button", { name: "Pay", exact: true });
    await expect.poll(() => pay.isEnabled(), { timeout: 15_000 }).toBe(true);
    await pay.click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.getByRole("heading", { name: "You're going!" }).waitFor();

    // The account page: this browser's session, accessible at both sizes.
    await page.goto("/account");
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    expect(await page.getByText(email).count()).toBeGreaterThan(0);
    await expectAccessible(page, "account page");
    const me = (await page.evaluate("fetch('/api/v1/me').then((r) => r.json())")) as { userId: string };

    // The ticket mail's link opens the QR in a fresh browser that never signed in.
    const ticketMail = (await mailsTo(email, 2)).find((m) => /\/t\/[^\s?]+\?k=/.test(m.text));
    expect(ticketMail, "a ticket mail with its link").toBeDefined();
    const ticketLink = linkIn(ticketMail!.text, /^\/t\//);
    const door = await browser().newContext({ baseURL: base, viewport: DESKTOP });
    const doorPage = await watchedPage(door);
    const opened = await doorPage.page.goto(ticketLink);
    expect(opened?.status()).toBe(200);
    await doorPage.page.locator("svg").first().waitFor();
    expect((await door.cookies()).some((c) => c.name === "__Host-session")).toBe(false);

    // Sign out: the session ends, the account page asks to sign in again.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(`${base}/`);
    expect((await context.cookies()).some((c) => c.name === "__Host-session")).toBe(false);
    await page.goto("/account");
    await page.waitForURL(/\/signin\?next=%2Faccount/);

    // A transfer ends the mailed link.
    const ticketId = /^\/t\/([^?]+)/.exec(ticketLink)![1]!;
    const transferred = await fetch(`${base}/api/v1/tickets/${ticketId}/transfer`, {
      method: "POST",
      headers: { authorization: `Bearer ${await tokenFor(me.userId)}`, "content-type": "application/json" },
      body: JSON.stringify({ toUserId: unique("friend") }),
    });
    expect(transferred.status, await transferred.clone().text()).toBeLessThan(300);
    const after = await doorPage.page.goto(ticketLink);
    expect(after?.status()).toBe(404);
    await doorPage.page.getByRole("heading", { name: "This ticket link does not work" }).waitFor();

    expectClean(watched);
    await door.close();
    await context.close();
  });
});
