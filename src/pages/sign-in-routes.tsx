import { Hono } from "hono";
import { z } from "zod";
import { consumeLink, sha256, userForEmail } from "../db/accounts";
import { database } from "../db/client";
import type { AppEnv } from "../http/context";
import { ApiError, errorResponse } from "../http/errors";
import { startSession } from "../http/sessions";
import { MessagePage } from "./layout";
import { pageHeaders } from "./page-context";

/** A link's token as we make them (base64url of an HMAC-SHA256); anything else is unknown. */
const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

/**
 * `GET /auth/verify?token=`: the sign-in link. One use (a conditional UPDATE hands the row to one
 * request only), within 15 minutes; the first use makes the account. Then a session and a 303 to
 * the `next` stored with the link (a same-site path, checked when the link was asked for), else `/`.
 * A used, expired or unknown link is a page that says so (400), and no session.
 */
export const signInRoutes = new Hono<AppEnv>().get("/auth/verify", pageHeaders(), async (c) => {
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
