import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Me } from "../../src/contract/accounts";
import { call, errorOf, json, unique } from "./helpers";
import { waitForOutbox } from "./outbox";
import { browser, linkTokenFor, ORIGIN, sessionCookieOf, signIn } from "./sign-in";

const address = (prefix = "page") => `${unique(prefix)}@example.com`;
const html = { accept: "text/html" };
const production = () => ({ ...env, ENVIRONMENT: "production" }) as Env;

const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { ...html, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
});

describe("the sign-in pages", { timeout: 20_000 }, () => {
  it("/signin is a form with one labelled e-mail field, in production too; /dev/login is 404 there", async () => {
    const page = await call("GET", "/signin?next=/tickets", { headers: html, env: production() });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<label for="email">');
    expect(text).toMatch(/<input id="email" name="email" type="email"/);
    expect(text).toContain('name="next" value="/tickets"');
    expect(text).not.toContain("/dev/login");
    expect((await call("GET", "/dev/login?name=x", { env: production() })).status).toBe(404);
    // A foreign `next` is not carried into the form.
    expect(await (await call("GET", "/signin?next=https://evil.example/", { headers: html })).text()).toContain(
      'name="next" value="/"',
    );
  });

  it("the form mails a link and says to check the mail (the outbox beside it locally); the link leads back to next", async () => {
    const email = address();
    const sent = await call("POST", "/signin", form({ email, next: "/events/evt_x" }));
    expect(sent.status).toBe(200);
    const text = await sent.text();
    expect(text).toContain("Check your mail");
    expect(text).toContain(`/dev/outbox?to=${encodeURIComponent(email)}`);
    const token = await linkTokenFor(email);
    const verified = await call("GET", `/auth/verify?token=${token}`, { headers: html });
    expect(verified.headers.get("location")).toBe("/events/evt_x");
    expect((await waitForOutbox(email))[0]?.subject).toBe("Your sign-in link");
  });

  it("refuses a form from another site, and a bad address with the form again", async () => {
    const crossSite = await call("POST", "/signin", {
      ...form({ email: address() }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    await errorOf(crossSite, "FORBIDDEN");
    const bad = await call("POST", "/signin", form({ email: "nope" }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter an e-mail address.");
  });

  it("pages that need a signed-in fan send them to /signin, with the way back as next", async () => {
    const signedOut = await call("GET", "/account", { headers: html });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/signin?next=%2Faccount");
    const tickets = await call("GET", "/tickets", { headers: html });
    expect(await tickets.text()).toContain("/signin?next=%2Ftickets");
  });

  it("the account page lists the sessions; sign out everywhere ends them all", async () => {
    const email = address();
    const phone = await signIn(email, { userAgent: "Phone/1.0" });
    const laptop = await signIn(email, { userAgent: "Laptop/2.0" });
    const page = await call("GET", "/account", { headers: { ...html, cookie: laptop } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain(email);
    expect(text).toContain("Phone/1.0");
    expect(text).toContain("Laptop/2.0");
    expect(text).toContain("(this browser)");

    const out = await call("POST", "/sign-out", {
      ...form({ everywhere: "1" }),
      headers: { ...form({}).headers, cookie: laptop },
    });
    expect(out.status).toBe(303);
    expect(sessionCookieOf(out)).toBeUndefined();
    for (const cookie of [phone, laptop]) {
      await errorOf(await call("GET", "/api/v1/me", { headers: browser(cookie) }), "UNAUTHENTICATED");
    }
  });

  it("sign out (this browser only) keeps the other sessions", async () => {
    const email = address();
    const phone = await signIn(email);
    const laptop = await signIn(email);
    const out = await call("POST", "/sign-out", { headers: { origin: ORIGIN, cookie: laptop } });
    expect(out.status).toBe(303);
    await errorOf(await call("GET", "/api/v1/me", { headers: browser(laptop) }), "UNAUTHENTICATED");
    expect((await json(await call("GET", "/api/v1/me", { headers: browser(phone) }), Me)).email).toBe(email);
  });
});
