import type { User } from "../http/context";
import { Field } from "./fields";
import { Layout } from "./layout";

/** The sign-in page: one e-mail field; the form posts to `/signin` (no script needed). */
export function SignInPage({
  next,
  user,
  devLinks,
  problem,
  sso,
}: {
  next: string;
  /** Single sign-on, when set up: the provider's name and where its button leads. */
  sso?: { name: string; href: string } | undefined;
  user?: User | undefined;
  /** Local development: `/dev/login` shortcuts for a customer and an organizer. */
  devLinks?: { customer: string; organizer: string } | undefined;
  problem?: string | undefined;
}) {
  return (
    <Layout title="Sign in" user={user}>
      <section class="card narrow">
        <h1>Sign in</h1>
        {user && (
          <p>
            You are signed in as <strong>{user.email ?? user.id}</strong>. <a href="/account">Your account</a>
          </p>
        )}
        <p>We e-mail you a link that signs you in: no password. It works once, for 15 minutes.</p>
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <form method="post" action="/signin" class="stack">
          <input type="hidden" name="next" value={next} />
          <Field name="email" label="E-mail address">
            <input id="email" name="email" type="email" autocomplete="email" required maxlength={254} />
          </Field>
          <button type="submit" class="primary">
            E-mail me a sign-in link
          </button>
        </form>
        {sso && (
          <p>
            <a class="button" href={sso.href}>
              Sign in with {sso.name}
            </a>
          </p>
        )}
        {devLinks && (
          <p>
            Local development: <a href={devLinks.customer}>sign in as a dev customer</a> or{" "}
            <a href={devLinks.organizer}>as a dev organizer</a> without mail.
          </p>
        )}
      </section>
    </Layout>
  );
}

/** After the form: the link is on its way (whether or not the address has an account). */
export function CheckMailPage({ email, outbox }: { email: string; outbox?: string | undefined }) {
  return (
    <Layout title="Check your mail">
      <section class="card narrow">
        <h1>Check your mail</h1>
        <p role="status">
          We sent a sign-in link to <strong>{email}</strong>. Open it on this device within 15 minutes.
        </p>
        {outbox && (
          <p>
            Local development: the mail is in the <a href={outbox}>outbox</a>.
          </p>
        )}
        <p>
          <a href="/signin">Use another address</a>
        </p>
      </section>
    </Layout>
  );
}

export interface SessionLine {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  current: boolean;
}

/** The account page: who is signed in, their sessions, sign out here or everywhere. */
export function AccountPage({ user, sessions }: { user: User; sessions: SessionLine[] }) {
  return (
    <Layout title="Your account" user={user}>
      <section class="card narrow">
        <h1>Your account</h1>
        <p>
          E-mail: <strong>{user.email ?? "—"}</strong>
        </p>
        <p>Roles: {user.roles.join(", ")}</p>
        <h2>Where you are signed in</h2>
        <ul class="sessions">
          {sessions.map((s) => (
            <li data-session-id={s.sessionId}>
              {s.userAgent ?? "Unknown browser"} — since <time datetime={s.createdAt}>{s.createdAt.slice(0, 16)}</time>,
              last seen <time datetime={s.lastSeenAt}>{s.lastSeenAt.slice(0, 16)}</time>
              {s.current && <strong> (this browser)</strong>}
            </li>
          ))}
        </ul>
        <form method="post" action="/sign-out">
          <input type="hidden" name="everywhere" value="1" />
          <button type="submit">Sign out everywhere</button>
        </form>
      </section>
    </Layout>
  );
}
