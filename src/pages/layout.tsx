import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { User } from "../http/context";
import { assetUrl } from "./assets";

export interface LayoutProps {
  title: string;
  user?: User | undefined;
  /** Client bundles (src/client/<name>.ts → "<name>.js") this page runs. */
  scripts?: string[];
  /** Handed to the page's script as JSON (never executed; `<` escaped). */
  data?: unknown;
  /** Extra scripts from other origins, allowed by the page's CSP (Stripe.js). */
  externalScripts?: string[];
  /** Where "Sign in" goes, when there is a sign-in page (local development). */
  signIn?: string | undefined;
  children?: Child;
}

/** JSON that is safe inside <script type="application/json">: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function Layout({ title, user, scripts = [], data, externalScripts = [], signIn, children }: LayoutProps) {
  const organizer = user?.roles.some((r) => r === "organizer" || r === "admin");
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{`${title} · Edge Tickets`}</title>
          <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("styles.css")} />
          {externalScripts.map((src) => (
            <script src={src} />
          ))}
          {scripts.map((name) => (
            <script type="module" src={assetUrl(name)} />
          ))}
        </head>
        <body data-pow-worker={assetUrl("pow-worker.js")}>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <nav class="bar" aria-label="Main">
              <a class="brand" href="/">
                <span aria-hidden="true">◆</span> Edge Tickets
              </a>
              <ul>
                <li>
                  <a href="/">Events</a>
                </li>
                <li>
                  <a href="/tickets">My tickets</a>
                </li>
                {organizer && (
                  <li>
                    <a href="/organizer">Organizer</a>
                  </li>
                )}
                <li class="who">
                  {user ? (
                    <span>
                      Signed in as{" "}
                      <a href="/account">
                        <strong>{user.id.startsWith("usr_") ? (user.email ?? user.id) : user.id}</strong>
                      </a>
                    </span>
                  ) : signIn ? (
                    <a href={signIn}>Sign in</a>
                  ) : null}
                </li>
                {user && (
                  <li>
                    <form method="post" action="/sign-out">
                      <button type="submit" class="link">
                        Sign out
                      </button>
                    </form>
                  </li>
                )}
              </ul>
            </nav>
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
          <footer class="site-footer">
            <p>Edge Tickets — fair on-sales at the edge.</p>
          </footer>
          {data !== undefined && (
            <script type="application/json" id="page-data" dangerouslySetInnerHTML={{ __html: scriptJson(data) }} />
          )}
        </body>
      </html>
    </>
  );
}

/** A page that says something went wrong or is missing, in the site's layout. */
export function MessagePage({
  title,
  message,
  user,
  signIn,
  children,
}: {
  title: string;
  message: string;
  user?: User | undefined;
  signIn?: string | undefined;
  children?: Child;
}) {
  return (
    <Layout title={title} user={user} signIn={signIn}>
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{message}</p>
        {children}
      </section>
    </Layout>
  );
}
