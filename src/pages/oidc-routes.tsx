import { type Context, Hono } from "hono";
import { userForEmail } from "../db/accounts";
import { database } from "../db/client";
import type { AppEnv } from "../http/context";
import { ApiError, errorResponse } from "../http/errors";
import { finishOidc, OidcRefused, OidcUnavailable, startOidc } from "../http/oidc";
import { startSession } from "../http/sessions";
import { sameSiteOrNull } from "../http/sign-in";
import { MessagePage } from "./layout";
import { pageHeaders } from "./page-context";

/** A sign-in that did not happen: the page for a browser, the contract's error body for anyone else. */
function failed(c: Context<AppEnv>, error: ApiError, title: string) {
  c.var.log("warn", "single sign-on refused", { code: error.code, reason: error.message });
  if (!(c.req.header("accept") ?? "").includes("text/html")) return errorResponse(c, error);
  return c.html(
    <MessagePage title={title} message={error.message}>
      <p>
        <a href="/signin">Back to sign-in</a>
      </p>
    </MessagePage>,
    error.status as 400 | 404 | 503,
  );
}

/**
 * Single sign-on (AUTH_OIDC_*): `/auth/oidc/start?next=` sends the browser to the provider (302);
 * the provider sends it back to `/auth/oidc/callback`, which starts a session as an e-mail link
 * does and goes to the same-site `next` (303). Without the settings both are 404.
 */
export const oidcRoutes = new Hono<AppEnv>()
  .get("/auth/oidc/start", pageHeaders(), async (c) => {
    const oidc = c.var.settings.oidc;
    if (!oidc) return failed(c, new ApiError("NOT_FOUND", "Single sign-on is not set up here."), "Not available");
    try {
      const url = await startOidc(c, oidc, sameSiteOrNull(c.req.query("next")));
      return c.redirect(url.toString(), 302);
    } catch (error) {
      if (!(error instanceof OidcUnavailable || error instanceof OidcRefused)) throw error;
      const message = `${oidc.name} cannot be reached for sign-in just now: try again, or sign in by e-mail.`;
      return failed(c, new ApiError("OVERLOADED", message, { reason: "provider_unavailable" }), "Sign-in unavailable");
    }
  })

  .get("/auth/oidc/callback", pageHeaders(), async (c) => {
    const oidc = c.var.settings.oidc;
    if (!oidc) return failed(c, new ApiError("NOT_FOUND", "Single sign-on is not set up here."), "Not available");
    let done: { email: string; next: string | null };
    try {
      done = await finishOidc(c, oidc);
    } catch (error) {
      if (error instanceof OidcRefused) {
        const refusal = new ApiError("VALIDATION_FAILED", error.message, { reason: "sign_in_refused" });
        return failed(c, refusal, "This sign-in did not work");
      }
      if (!(error instanceof OidcUnavailable)) throw error;
      const message = `${oidc.name} did not answer: try signing in again.`;
      return failed(c, new ApiError("OVERLOADED", message, { reason: "provider_unavailable" }), "Sign-in unavailable");
    }
    const user = await userForEmail(database(c.env.DB), done.email, Date.now());
    await startSession(c, user);
    return c.redirect(done.next ?? "/", 303);
  });
