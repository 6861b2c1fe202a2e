import { expect } from "vitest";
import { call } from "./helpers";
import { waitForOutbox } from "./outbox";

/** Sign-in by e-mail as a browser does it, for tests: ask for a link, read it from the outbox, use it. */

export const ORIGIN = "https://tickets.test";

/** The token of the newest sign-in link mailed to `email` (the outbox's newest first). */
export async function linkTokenFor(email: string, count = 1): Promise<string> {
  const mails = (await waitForOutbox(email, count)).filter((m) => m.kind === "sign_in_link");
  const token = /\/auth\/verify\?token=([A-Za-z0-9_-]+)/.exec(mails[0]?.text ?? "")?.[1];
  if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
  return token;
}

export async function askForLink(email: string, next?: string, env?: Env): Promise<Response> {
  return call("POST", "/api/v1/auth/email", { body: { email, ...(next !== undefined && { next }) }, env });
}

/** `__Host-session=<value>` from a response's Set-Cookie, ready for a Cookie header. */
export function sessionCookieOf(response: Response): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const match = /^__Host-session=([^;]*)/.exec(line);
    if (match?.[1]) return `__Host-session=${match[1]}`;
  }
  return undefined;
}

/** Signs `email` in (making the account the first time) and returns the browser's Cookie header. */
export async function signIn(email: string, options: { userAgent?: string } = {}): Promise<string> {
  const before = (await call("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(email)}`).then((r) => r.json())) as {
    data: unknown[];
  };
  expect((await askForLink(email)).status).toBe(202);
  const token = await linkTokenFor(email, before.data.length + 1);
  const response = await call("GET", `/auth/verify?token=${token}`, {
    headers: options.userAgent ? { "user-agent": options.userAgent } : {},
  });
  expect(response.status).toBe(303);
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

/** Headers of a same-origin browser request carrying this session. */
export const browser = (cookie: string, write = false): Record<string, string> => ({
  cookie,
  ...(write && { origin: ORIGIN }),
});
