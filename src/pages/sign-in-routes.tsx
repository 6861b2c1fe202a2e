import { type Context, Hono } from "hono";
import { z } from "zod";
import { Email } from "../contract/accounts";
import { consumeLink, sessionsOf, sha256, userForEmail } from "../db/accounts";
import { database } from "../db/client";
import type { AppEnv } from "../http/context";
import { ApiError, errorResponse } from "../http/errors";
import { sessionOf, startSession } from "../http/sessions";
import { sameSiteOrNull, sendSignInLink } from "../http/sign-in";
import { MessagePage } from "./layout";
import { devLoginEnabled, pageHeaders, pageUser } from "./page-context";
import { AccountPage, CheckMailPage, SignInPage } from "./sign-in";

/** `/dev/login` shortcuts beside the form, in local development only. */
function devLinks(env: Env, next: string): { customer: string; organizer: string } | undefined {
  if (!devLoginEnabled(env)) return undefined;
  const link = (name: string, role: string) => `/dev/login?${new URLSearchParams({ name, role, next })}`;
  return { customer: link("dev-customer", "customer"), organizer: link("dev-organizer", "organizer") };
}

/** The single sign-on button's target, when AUTH_OIDC_* are set. */
function ssoOf(c: Context<AppEnv>, next: string): { name: string; href: string } | undefined {
  const oidc = c.var.settings.oidc;
  return oidc && { name: oidc.name, href: `/auth/oidc/start?${new URLSearchParams({ next })}` };
}

/** A link's token as we make them (base64url of an HMAC-SHA256); anything else is unknown. */
const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

/**
 * `GET /auth/verify?token=`: the sign-in link. One use (a conditional UPDATE hands the row to one
 * request only), within 15 minutes; the first use makes the account. Then a session and a 303 to
 * the `next` stored with the link (a same-site path, checked when the link was asked for), else `/`.
 * A used, expired or unknown link is a page that says so (400), and no session.
 */
export const signInRoutes = new Hono<AppEnv>()
  .get("/signin", pageHeaders(), async (c) => {
    const next = sameSiteOrNull(c.req.query("next")) ?? "/";
    return c.html(
      <SignInPage next={next} user={await pageUser(c)} devLinks={devLinks(c.env, next)} sso={ssoOf(c, next)} />,
    );
  })

  /** The form's post (no script): the same link as `POST /api/v1/auth/email`, then "check your mail". */
  .post("/signin", pageHeaders(), async (c) => {
    if (c.req.header("origin") !== new URL(c.req.url).origin) {
      throw new ApiError("FORBIDDEN", "The sign-in form must be sent from this site.");
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const next = sameSiteOrNull(typeof form.next === "string" ? form.next : undefined) ?? "/";
    const email = Email.safeParse(form.email);
    if (!email.success) {
      const page = (
        <SignInPage
          next={next}
          devLinks={devLinks(c.env, next)}
          sso={ssoOf(c, next)}
          problem="Enter an e-mail address."
        />
      );
      return c.html(page, 400);
    }
    try {
      await sendSignInLink(c, email.data, next);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "RATE_LIMITED") throw error;
      return c.html(
        <SignInPage next={next} devLinks={devLinks(c.env, next)} sso={ssoOf(c, next)} problem={error.message} />,
        429,
      );
    }
    const outbox = c.var.settings.devRoutes ? `/dev/outbox?${new URLSearchParams({ to: email.data })}` : undefined;
    return c.html(<CheckMailPage email={email.data} outbox={outbox} />, 200);
  })

  .get("/account", pageHeaders(), async (c) => {
    const user = await pageUser(c);
    if (!user) return c.redirect(`/signin?${new URLSearchParams({ next: "/account" })}`, 303);
    const current = await sessionOf(c);
    const rows = await sessionsOf(database(c.env.DB), user.id, Date.now());
    const iso = (ms: number) => new Date(ms).toISOString();
    const sessions = rows.map((row) => ({
      sessionId: row.sessionId,
      createdAt: iso(row.createdAt),
      lastSeenAt: iso(row.lastSeenAt),
      userAgent: row.userAgent,
      current: row.sessionId === current?.session.sessionId,
    }));
    return c.html(<AccountPage user={user} sessions={sessions} />);
  })

  .get("/auth/verify", pageHeaders(), async (c) => {
    const token = Token.safeParse(c.req.query("token"));
    const db = database(c.env.DB);
    const now = Date.now();
    const link = token.success ? await consumeLink(db, await sha256(token.data), now) : undefined;
    if (!link) {
      const message =
        "This sign-in link was already used, is older than 15 minutes, or is incomplete: ask for a new one.";
      // A browser gets the page; an API client the contract's error body (pageError's rule).
      if (!(c.req.header("accept") ?? "").includes("text/html")) {
        return errorResponse(c, new ApiError("VALIDATION_FAILED", message, { reason: "link_not_usable" }));
      }
      return c.html(
        <MessagePage title="This sign-in link does not work" message={message}>
          <p>
            <a href="/signin">Ask for a new sign-in link</a>
          </p>
        </MessagePage>,
        400,
      );
    }
    const user = await userForEmail(db, link.email, now);
    await startSession(c, user);
    return c.redirect(link.next ?? "/", 303);
  });
