import type { Context } from "hono";
import type { AppEnv, User } from "../http/context";
import { MessagePage } from "./layout";
import { pageError, signInUrl } from "./page-context";

/** A page for signed-in fans only, asked for by someone who is not: 401, with a way to sign in. */
export function signInRequired(c: Context<AppEnv>, title: string, message: string, next: string) {
  const signIn = signInUrl(c.env, next);
  return pageError(
    c,
    "UNAUTHENTICATED",
    () => (
      <MessagePage title={title} message={message} signIn={signIn}>
        {signIn && (
          <p>
            <a class="button" href={signIn}>
              Sign in
            </a>
          </p>
        )}
      </MessagePage>
    ),
    message,
  );
}

/** 404: an HTML page for a browser, the contract's error for anyone else. */
export function notFound(c: Context<AppEnv>, user: User | undefined, title: string, message: string) {
  return pageError(c, "NOT_FOUND", () => <MessagePage title={title} message={message} user={user} />, message);
}
