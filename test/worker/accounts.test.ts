import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Me, SessionList, SignInSent, UserRoles } from "../../src/contract/accounts";
import { call, errorOf, json, tokenFor, unique } from "./helpers";
import { askForLink, browser, linkTokenFor, ORIGIN, sessionCookieOf, signIn } from "./sign-in";

const address = (prefix = "fan") => `${unique(prefix)}@example.com`;

afterEach(() => {
  vi.useRealTimers();
});

describe("e-mail sign-in", { timeout: 20_000 }, () => {
  it("answers 202 {sent: true}, mails a link that makes the account and a __Host- session", async () => {
    const email = address();
    const asked = await askForLink(email.toUpperCase(), "/events/x?y=1");
    expect(asked.status).toBe(202);
    expect(await json(asked, SignInSent)).toEqual({ sent: true });

    const token = await linkTokenFor(email);
    const verified = await call("GET", `/auth/verify?token=${token}`);
    expect(verified.status).toBe(303);
    expect(verified.headers.get("location")).toBe("/events/x?y=1");
    const setCookie = verified.headers.getSetCookie().find((c) => c.startsWith("__Host-session="));
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).not.toMatch(/Domain=/i);

    const cookie = sessionCookieOf(verified)!;
    const me = await json(await call("GET", "/api/v1/me", { headers: browser(cookie) }), Me);
    expect(me.email).toBe(email);
    expect(me.roles).toEqual(["customer"]);
    expect(me.userId).toMatch(/^usr_/);

    // Only hashes are stored: neither the link's token nor the cookie's value is anywhere in D1.
    const secret = cookie.split("=")[1]!;
    for (const [table, column] of [
      ["sign_in_tokens", "token_hash"],
      ["sessions", "id_hash"],
      ["notifications", "payload"],
    ]) {
      const hits = await env.DB.prepare(
        `SELECT count(*) AS n FROM ${table} WHERE ${column} LIKE ?1 OR ${column} LIKE ?2`,
      )
        .bind(`%${token}%`, `%${secret}%`)
        .first<{ n: number }>();
      expect(hits?.n, table).toBe(0);
    }

    // The same address again signs in to the same account.
    const again = await json(await call("GET", "/api/v1/me", { headers: browser(await signIn(email)) }), Me);
    expect(again.userId).toBe(me.userId);
  });

  it("refuses a malformed address with the contract's error and sends nothing", async () => {
    const response = await call("POST", "/api/v1/auth/email", { body: { email: "not an address" } });
    await errorOf(response, "VALIDATION_FAILED");
    expect(response.status).toBe(400);
  });

  it("works once: a used link is a 400 page and no session", async () => {
    const email = address();
    await askForLink(email);
    const token = await linkTokenFor(email);
    expect((await call("GET", `/auth/verify?token=${token}`)).status).toBe(303);
    const reused = await call("GET", `/auth/verify?token=${token}`, { headers: { accept: "text/html" } });
    expect(reused.status).toBe(400);
    expect(reused.headers.get("content-type")).toMatch(/text\/html/);
    expect(await reused.text()).toContain("does not work");
    // An API client gets the contract's error body instead of the page.
    await errorOf(await call("GET", `/auth/verify?token=${token}`), "VALIDATION_FAILED");
    expect(sessionCookieOf(reused)).toBeUndefined();
  });

  it("expires after 15 minutes", async () => {
    const email = address();
    await askForLink(email);
    const token = await linkTokenFor(email);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 15 * 60_000 + 1_000 });
    const late = await call("GET", `/auth/verify?token=${token}`);
    expect(late.status).toBe(400);
    expect(sessionCookieOf(late)).toBeUndefined();
  });

  it("refuses unknown and malformed tokens", async () => {
    for (const token of ["", "short", "A".repeat(43), "%3Cscript%3E", "a".repeat(500)]) {
      const response = await call("GET", `/auth/verify?token=${token}`);
      expect(response.status, token).toBe(400);
      expect(sessionCookieOf(response)).toBeUndefined();
    }
  });

  it("20 parallel uses of one link start exactly one session", async () => {
    const email = address();
    await askForLink(email);
    const token = await linkTokenFor(email);
    const responses = await Promise.all(Array.from({ length: 20 }, () => call("GET", `/auth/verify?token=${token}`)));
    expect(responses.filter((r) => r.status === 303)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(19);
    const cookie = responses.map(sessionCookieOf).find(Boolean)!;
    const sessions = await json(await call("GET", "/api/v1/me/sessions", { headers: browser(cookie) }), SessionList);
    expect(sessions.data).toHaveLength(1);
  });

  it("goes to `next` only when it is a path on this site, and ignores a `next` added to the link", async () => {
    const foreign = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", " /x"];
    const emails = foreign.map(() => address());
    for (const [i, next] of foreign.entries()) expect((await askForLink(emails[i]!, next)).status).toBe(202);
    const tokens = await Promise.all(emails.map((email) => linkTokenFor(email)));
    for (const [i, token] of tokens.entries()) {
      const response = await call("GET", `/auth/verify?token=${token}`);
      expect(response.status, foreign[i]).toBe(303);
      expect(response.headers.get("location"), foreign[i]).toBe("/");
    }
    const email = address();
    await askForLink(email, "/tickets");
    const token = await linkTokenFor(email);
    const forged = await call("GET", `/auth/verify?token=${token}&next=${encodeURIComponent("https://evil.example/")}`);
    expect(forged.headers.get("location")).toBe("/tickets");
  });

  it("answers 429 when one address or one client asks too often", async () => {
    const enforced = { ...env, RATE_LIMIT_MODE: "enforce" } as Env;
    const client = { "cf-connecting-ip": "203.0.113.7" };
    const email = address("often");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await call("POST", "/api/v1/auth/email", { body: { email }, headers: client, env: enforced })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await call("POST", "/api/v1/auth/email", { body: { email }, headers: client, env: enforced });
    await errorOf(limited, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const other = { "cf-connecting-ip": "198.51.100.9" };
    const fromOne: number[] = [];
    for (let i = 0; i < 31; i++) {
      const body = { email: address("many") };
      fromOne.push((await call("POST", "/api/v1/auth/email", { body, headers: other, env: enforced })).status);
    }
    expect(fromOne.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(fromOne[30]).toBe(429);
  });
});

describe("sessions", { timeout: 20_000 }, () => {
  it("lists this user's sessions and ends one: it is refused at once", async () => {
    const email = address();
    const phone = await signIn(email, { userAgent: "Phone/1.0" });
    const laptop = await signIn(email, { userAgent: "Laptop/2.0" });
    const list = await json(await call("GET", "/api/v1/me/sessions", { headers: browser(laptop) }), SessionList);
    expect(list.data).toHaveLength(2);
    const current = list.data.find((s) => s.current)!;
    const other = list.data.find((s) => !s.current)!;
    expect(current.userAgent).toBe("Laptop/2.0");
    expect(other.userAgent).toBe("Phone/1.0");

    expect((await call("GET", "/api/v1/me", { headers: browser(phone) })).status).toBe(200);
    const ended = await call("DELETE", `/api/v1/me/sessions/${other.sessionId}`, { headers: browser(laptop, true) });
    expect(ended.status).toBe(204);
    await errorOf(await call("GET", "/api/v1/me", { headers: browser(phone) }), "UNAUTHENTICATED");
    expect((await call("GET", "/api/v1/me", { headers: browser(laptop) })).status).toBe(200);

    // Another user's session id is not found, and changes nothing.
    const stranger = await signIn(address("stranger"));
    const theirs = await call("DELETE", `/api/v1/me/sessions/${current.sessionId}`, {
      headers: browser(stranger, true),
    });
    await errorOf(theirs, "NOT_FOUND");
    expect((await call("GET", "/api/v1/me", { headers: browser(laptop) })).status).toBe(200);
  });

  it("logout ends the session (204) and needs a same-origin Origin when the cookie authenticates", async () => {
    const cookie = await signIn(address());
    const crossSite = await call("POST", "/api/v1/auth/logout", {
      headers: { cookie, origin: "https://evil.example" },
    });
    await errorOf(crossSite, "FORBIDDEN");
    await errorOf(await call("POST", "/api/v1/auth/logout", { headers: { cookie } }), "FORBIDDEN");
    expect((await call("GET", "/api/v1/me", { headers: browser(cookie) })).status).toBe(200);

    const out = await call("POST", "/api/v1/auth/logout", { headers: { cookie, origin: ORIGIN } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => /^__Host-session=;/.test(c))).toBe(true);
    await errorOf(await call("GET", "/api/v1/me", { headers: browser(cookie) }), "UNAUTHENTICATED");
  });

  it("keeps bearer tokens working as before", async () => {
    const me = await json(
      await call("GET", "/api/v1/me", { token: await tokenFor("integrator-1", ["organizer"]) }),
      Me,
    );
    expect(me).toEqual({ userId: "integrator-1", email: null, roles: ["organizer"] });
    await errorOf(await call("GET", "/api/v1/me"), "UNAUTHENTICATED");
    await errorOf(await call("GET", "/api/v1/me", { headers: { authorization: "Bearer nope" } }), "UNAUTHENTICATED");
  });
});

describe("roles", { timeout: 20_000 }, () => {
  it("ADMIN_EMAILS are admins, who grant and withdraw roles; others may not", async () => {
    const admin = await signIn("admin@example.com");
    const adminMe = await json(await call("GET", "/api/v1/me", { headers: browser(admin) }), Me);
    expect(adminMe.roles).toContain("admin");

    const fan = await signIn(address("staff"));
    const fanMe = await json(await call("GET", "/api/v1/me", { headers: browser(fan) }), Me);
    const path = `/api/v1/admin/users/${fanMe.userId}/roles`;

    await errorOf(await call("POST", path, { body: { add: ["admin"] }, headers: browser(fan, true) }), "FORBIDDEN");

    const granted = await call("POST", path, {
      body: { add: ["organizer", "scanner"] },
      headers: browser(admin, true),
    });
    expect(await json(granted, UserRoles)).toMatchObject({
      userId: fanMe.userId,
      roles: ["customer", "organizer", "scanner"],
    });
    // At once, on the session the user already had.
    expect((await json(await call("GET", "/api/v1/me", { headers: browser(fan) }), Me)).roles).toEqual([
      "customer",
      "organizer",
      "scanner",
    ]);
    // An integrator's admin token may grant too.
    const byToken = await call("POST", path, {
      body: { remove: ["scanner"] },
      token: await tokenFor("ops", ["admin"]),
    });
    expect((await json(byToken, UserRoles)).roles).toEqual(["customer", "organizer"]);

    await errorOf(
      await call("POST", path, { body: { add: ["wizard"] }, headers: browser(admin, true) }),
      "VALIDATION_FAILED",
    );
    await errorOf(
      await call("POST", "/api/v1/admin/users/usr_nobody/roles", {
        body: { add: ["organizer"] },
        headers: browser(admin, true),
      }),
      "NOT_FOUND",
    );
  });
});
