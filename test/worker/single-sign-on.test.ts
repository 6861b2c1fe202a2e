import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Me } from "../../src/contract/accounts";
import { OIDC_TEST_CLIENT } from "../oidc-server";
import { BASE, call, errorOf, json, unique } from "./helpers";
import { browser, sessionCookieOf, signIn } from "./sign-in";

/** The same Worker with single sign-on set up against the OpenID test provider (test/oidc-server.ts). */
const ssoEnv = {
  ...env,
  AUTH_OIDC_ISSUER: env.OIDC_TEST_ISSUER,
  AUTH_OIDC_CLIENT_ID: OIDC_TEST_CLIENT.id,
  AUTH_OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.secret,
  AUTH_OIDC_NAME: "Test ID",
};

const html = { accept: "text/html" };

/** `__Host-oidc=<state>` from the start's Set-Cookie. */
function stateCookieOf(response: Response): string {
  const line = response.headers.getSetCookie().find((c) => c.startsWith("__Host-oidc="));
  if (!line) throw new Error("no __Host-oidc cookie");
  return line.split(";")[0]!;
}

/** Starts a sign-in: the provider's authorize URL and this browser's state cookie. */
async function start(next?: string) {
  const query = next === undefined ? "" : `?${new URLSearchParams({ next })}`;
  const response = await call("GET", `/auth/oidc/start${query}`, { env: ssoEnv, headers: html });
  expect(response.status).toBe(302);
  return { authorize: new URL(response.headers.get("location")!), cookie: stateCookieOf(response), response };
}

/** The person signs in at the provider (as `script.test_email`, or scripted to misbehave); the callback path. */
async function atProvider(authorize: URL, script: Record<string, string> = {}): Promise<string> {
  const url = new URL(authorize);
  for (const [name, value] of Object.entries(script)) url.searchParams.set(name, value);
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get("location")!);
  expect(back.origin).toBe(BASE);
  return `${back.pathname}${back.search}`;
}

const callback = (path: string, cookie?: string, accept = html) =>
  call("GET", path, { env: ssoEnv, headers: { ...accept, ...(cookie && { cookie }) } });

async function expectRefusedPage(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toMatch(/text\/html/);
  expect(await response.text()).toContain("did not work");
  expect(sessionCookieOf(response)).toBeUndefined();
}

describe("single sign-on (OpenID Connect)", { timeout: 20_000 }, () => {
  it("signs in with code + PKCE + state + nonce, starts a session and goes to the same-site next", async () => {
    const email = `${unique("sso")}@example.com`;
    const { authorize, cookie, response } = await start("/events/x?y=1");
    expect(authorize.origin).toBe(env.OIDC_TEST_ISSUER);
    expect(authorize.searchParams.get("client_id")).toBe(OIDC_TEST_CLIENT.id);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${BASE}/auth/oidc/callback`);
    const state = authorize.searchParams.get("state")!;
    expect(cookie).toBe(`__Host-oidc=${state}`);
    const line = response.headers.getSetCookie().find((c) => c.startsWith("__Host-oidc="))!;
    for (const part of [/; Path=\//, /; HttpOnly/, /; Secure/, /; SameSite=Lax/]) expect(line).toMatch(part);
    // D1 keeps the state's hash only.
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM oidc_logins WHERE state_hash = ?1")
      .bind(state)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);

    const signedIn = await callback(await atProvider(authorize, { test_email: email.toUpperCase() }), cookie);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/events/x?y=1");
    const session = sessionCookieOf(signedIn)!;
    const me = await json(await call("GET", "/api/v1/me", { headers: browser(session) }), Me);
    expect(me.email).toBe(email);
    // The state cookie is gone once used.
    expect(signedIn.headers.getSetCookie().some((c) => /^__Host-oidc=;/.test(c))).toBe(true);
    // The same verified address signed in by e-mail is the same account.
    const byMail = await json(await call("GET", "/api/v1/me", { headers: browser(await signIn(email)) }), Me);
    expect(byMail.userId).toBe(me.userId);
  });

  it("refuses a replayed callback: 400 page, no session", async () => {
    const { authorize, cookie } = await start();
    const path = await atProvider(authorize);
    expect((await callback(path, cookie)).status).toBe(303);
    await expectRefusedPage(await callback(path, cookie));
  });

  it("refuses a state that is not this browser's, or comes without its cookie", async () => {
    const first = await start();
    const second = await start();
    // The provider's answer for one attempt, with the other attempt's cookie (login CSRF).
    await expectRefusedPage(await callback(await atProvider(first.authorize), second.cookie));
    // No cookie at all; then a state altered in the query.
    await expectRefusedPage(await callback(await atProvider(second.authorize)));
    const third = await start();
    const path = (await atProvider(third.authorize)).replace(/state=[^&]+/, "state=forged-state-value");
    await expectRefusedPage(await callback(path, third.cookie));
    // An API client gets the contract's error body instead of the page.
    const fourth = await start();
    const refused = await callback(await atProvider(fourth.authorize), "__Host-oidc=other", {} as typeof html);
    expect(refused.status).toBe(400);
    await errorOf(refused, "VALIDATION_FAILED");
  });

  it("refuses an ID token with another nonce, another issuer or an unverified e-mail", async () => {
    const scripts: Record<string, string>[] = [
      { test_nonce: "someone-elses-nonce" },
      { test_issuer: "https://evil.example" },
      { test_unverified: "1" },
    ];
    for (const script of scripts) {
      const { authorize, cookie } = await start();
      const response = await callback(await atProvider(authorize, script), cookie);
      await expectRefusedPage(response);
    }
  });

  it("ignores a foreign next and goes to /", async () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
      const { authorize, cookie } = await start(next);
      const response = await callback(await atProvider(authorize), cookie);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/");
    }
  });

  it("answers 503 when the provider's discovery fails, and starts nothing", async () => {
    // An issuer the test provider does not serve: its discovery document is a 404.
    const down = { ...ssoEnv, AUTH_OIDC_ISSUER: `${env.OIDC_TEST_ISSUER}/nowhere` };
    const page = await call("GET", "/auth/oidc/start", { env: down, headers: html });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("cannot be reached");
    expect(page.headers.getSetCookie().some((c) => c.startsWith("__Host-oidc="))).toBe(false);
    await errorOf(await call("GET", "/auth/oidc/start", { env: down }), "OVERLOADED");
  });

  it("is offered on /signin only when set up; otherwise start and callback are 404", async () => {
    const page = await call("GET", "/signin?next=/tickets", { env: ssoEnv, headers: html });
    const text = await page.text();
    expect(text).toContain("Sign in with Test ID");
    expect(text).toContain('href="/auth/oidc/start?next=%2Ftickets"');
    const plain = await call("GET", "/signin", { headers: html });
    expect(await plain.text()).not.toContain("Sign in with");
    expect((await call("GET", "/auth/oidc/start", { headers: html })).status).toBe(404);
    await errorOf(await call("GET", "/auth/oidc/callback?state=x&code=y"), "NOT_FOUND");
  });
});
