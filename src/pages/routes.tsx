import { type Context, Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { endAllSessions, endSession } from "../db/accounts";
import { searchEvents } from "../db/catalog-search";
import { type Database, database } from "../db/client";
import { findEventBundle, organizerEvents } from "../db/events";
import { findOrder, itemsAndTickets } from "../db/orders";
import type { SectionView } from "../domain/types";
import { activeAlerts } from "../http/alerts/rules";
import type { AppEnv, User } from "../http/context";
import { ApiError } from "../http/errors";
import { eventStats } from "../http/event-stats";
import { isAdmin, SESSION_COOKIE } from "../http/middleware/auth";
import { protectionOf } from "../http/middleware/edge-client";
import { CatalogQuery, EventIdParam, OrderIdParam } from "../http/schemas";
import { seatSnapshot } from "../http/seat-snapshots";
import { clearSessionCookie, sessionOf } from "../http/sessions";
import { eventView, orderView } from "../http/views";
import { queueStatus } from "../waiting-room/status-cache";
import { EventPage } from "./event";
import { HomePage, type SearchForm } from "./home";
import { MessagePage } from "./layout";
import { OrderPage } from "./order";
import { OrganizerPage } from "./organizer";
import { refundableOrders, venuesOf } from "./organizer-data";
import { pageError, pageHeaders, pageUser, signInUrl } from "./page-context";
import { notFound, signInRequired } from "./page-errors";
import { QueuePage } from "./queue";
import { type DoorEvent, ScanPage } from "./scan";
import type { MapSection } from "./seat-map";
import { TicketsPage } from "./tickets";

/** The search form's fields as typed; anything unreadable is an empty field, never an error. */
const field = (max: number) => z.string().max(max).catch("");
const SearchParams = z.object({
  q: field(200),
  category: field(50),
  city: field(100),
  from: field(40),
  to: field(40),
  maxPrice: field(12),
});

const HOME_LIMIT = 24;
const ORGANIZER_LIVE_EVENTS = 20;
const DOOR_EVENTS = 50;

const today = (now: number): string => new Date(now).toISOString().slice(0, 10);

/**
 * The search form as the catalog API's query: each filter is checked with the API's own schema
 * and one that does not parse is left out (and named), rather than failing the whole page.
 */
function catalogQuery(form: SearchForm, now: number): { query: CatalogQuery; ignored: string[] } {
  const wanted: Record<string, string> = {
    q: form.q,
    category: form.category,
    city: form.city,
    from: form.from || today(now),
    to: form.to,
    maxPriceCents: /^\d{1,9}(\.\d{1,2})?$/.test(form.maxPrice) ? String(Math.round(Number(form.maxPrice) * 100)) : "",
    page: "1",
    limit: String(HOME_LIMIT),
  };
  const ignored: string[] = form.maxPrice && !wanted.maxPriceCents ? ["max price"] : [];
  for (const [name, value] of Object.entries(wanted)) if (value === "") delete wanted[name];
  for (;;) {
    const parsed = CatalogQuery.safeParse(wanted);
    if (parsed.success) return { query: parsed.data, ignored };
    const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    for (const name of bad) {
      delete wanted[name];
      ignored.push(name);
    }
    if (bad.size === 0) return { query: CatalogQuery.parse({}), ignored };
  }
}

/**
 * The event an /events/:eventId page is about, and who asks (looked up together); no bundle for a
 * malformed id, an unknown event or a draft, which fans may not see.
 */
async function listedEvent(c: Context<AppEnv>) {
  const params = EventIdParam.safeParse(c.req.param());
  const [user, bundle] = await Promise.all([
    pageUser(c),
    params.success ? findEventBundle(database(c.env.DB), params.data.eventId) : undefined,
  ]);
  return { user, bundle: bundle?.event.state === "draft" ? undefined : bundle };
}

/**
 * The events a door may choose from: a scanner token's own `eventIds`, else the upcoming catalog;
 * plus the one asked for by `?eventId=` (any event but a draft), so that a link opens that door.
 */
async function doorEvents(db: Database, user: User, wanted: string | undefined) {
  const now = Date.now();
  const listed = user.eventIds
    ? (await Promise.all(user.eventIds.slice(0, DOOR_EVENTS).map((id) => findEventBundle(db, id)))).filter(
        (b) => b !== undefined,
      )
    : (await searchEvents(db, CatalogQuery.parse({ from: today(now), limit: String(DOOR_EVENTS) }))).bundles;
  const asked = wanted && !listed.some((b) => b.event.id === wanted) ? await findEventBundle(db, wanted) : undefined;
  const allowed = !wanted || !user.eventIds || user.eventIds.includes(wanted) || isAdmin(user);
  const bundles = [...(asked && allowed ? [asked] : []), ...listed].filter((b) => b.event.state !== "draft");
  const events: DoorEvent[] = bundles.map((b) => ({
    eventId: b.event.id,
    title: b.event.title,
    startsAt: new Date(b.event.startsAt).toISOString(),
    timezone: b.venue.timezone,
  }));
  return { events, eventId: events.some((e) => e.eventId === wanted) ? wanted : undefined };
}

export const pages = new Hono<AppEnv>()
  .get("/", pageHeaders(), async (c) => {
    const now = Date.now();
    const query = c.req.query();
    const form = SearchParams.parse({
      q: query.q ?? "",
      category: query.category ?? "",
      city: query.city ?? "",
      from: query.from ?? "",
      to: query.to ?? "",
      maxPrice: query.maxPrice ?? "",
    });
    const { query: catalog, ignored } = catalogQuery(form, now);
    const [user, found] = await Promise.all([pageUser(c), searchEvents(database(c.env.DB), catalog)]);
    return c.html(
      <HomePage
        user={user}
        signIn={signInUrl(c.env, "/")}
        form={form}
        events={found.bundles.map((b) => eventView(b, now))}
        total={found.total}
        limit={HOME_LIMIT}
        ignored={ignored}
      />,
    );
  })

  .get("/events/:eventId", pageHeaders(), async (c) => {
    const { user, bundle } = await listedEvent(c);
    const path = c.req.path;
    if (!bundle) {
      return notFound(c, user, "Event not found", "There is no such event, or it is not on sale yet.");
    }
    const now = Date.now();
    const event = eventView(bundle, now);
    const [seats, queue] = await Promise.all([
      // The edge's copy (at most a second old), not a room call per page view.
      seatSnapshot(c.env, c.executionCtx, {
        origin: new URL(c.req.url).origin,
        eventId: event.eventId,
        ttlSeconds: protectionOf(c).seatMapCacheSeconds,
      }).then(
        (snapshot) => ({ ok: true as const, value: JSON.parse(snapshot.body) as { sections: SectionView[] } }),
        () => ({ ok: false as const }),
      ),
      event.waitingRoom.mode === "off"
        ? undefined
        : queueStatus(c.env, c.executionCtx as ExecutionContext, event.eventId),
    ]);
    const live = seats.ok ? seats.value.sections : [];
    const sections: MapSection[] = event.sections.map((s) => {
      const view = live.find((l) => l.id === s.id);
      return { ...s, available: view?.available ?? s.capacity, seats: view?.seats };
    });
    return c.html(
      <EventPage
        event={event}
        sections={sections}
        user={user}
        signIn={signInUrl(c.env, path)}
        queueActive={queue?.ok === true && queue.value.active && queue.value.selling}
      />,
    );
  })

  .get("/events/:eventId/queue", pageHeaders(), async (c) => {
    const { user, bundle } = await listedEvent(c);
    if (!bundle) return notFound(c, user, "Event not found", "There is no such event.");
    return c.html(
      <QueuePage event={eventView(bundle, Date.now())} user={user} signIn={signInUrl(c.env, c.req.path)} />,
    );
  })

  .get("/orders/:orderId", pageHeaders(), async (c) => {
    const user = await pageUser(c);
    if (!user) {
      const message = "Orders are shown to the person who placed them: sign in first.";
      return signInRequired(c, "Sign in to see this order", message, c.req.path);
    }
    const params = OrderIdParam.safeParse(c.req.param());
    const db = database(c.env.DB);
    const order = params.success ? await findOrder(db, params.data.orderId) : undefined;
    if (!order || (order.userId !== user.id && !isAdmin(user))) {
      return notFound(c, user, "Order not found", "There is no such order in your account.");
    }
    const [{ items, tickets }, bundle] = await Promise.all([
      itemsAndTickets(db, [order.id]),
      findEventBundle(db, order.eventId),
    ]);
    return c.html(
      <OrderPage
        order={orderView(order, items, tickets)}
        event={bundle ? eventView(bundle, Date.now()) : undefined}
        user={user}
      />,
    );
  })

  .get("/tickets", pageHeaders(), async (c) => {
    const user = await pageUser(c);
    if (!user) {
      return signInRequired(
        c,
        "Sign in to see your tickets",
        "Your tickets are shown to you once you are signed in.",
        "/tickets",
      );
    }
    return c.html(<TicketsPage user={user} />);
  })

  /** Signs out of this browser: the session cookie goes (a form post from our own pages only). */
  .post("/sign-out", async (c) => {
    if (c.req.header("origin") !== new URL(c.req.url).origin) {
      throw new ApiError("FORBIDDEN", "Signing out must come from this site.");
    }
    const session = await sessionOf(c);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (session && form.everywhere === "1") await endAllSessions(database(c.env.DB), session.user.id);
    else if (session) await endSession(database(c.env.DB), session.user.id, { idHash: session.session.idHash });
    clearSessionCookie(c);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/", 303);
  })

  .get("/scan", pageHeaders(), async (c) => {
    const user = await pageUser(c);
    if (!user?.roles.some((r) => r === "scanner" || r === "admin")) {
      const message = "The door's page checks tickets in: sign in with a scanner account.";
      const signIn = signInUrl(c.env, "/scan", "scanner");
      return pageError(
        c,
        user ? "FORBIDDEN" : "UNAUTHENTICATED",
        () => <MessagePage title="Scanners only" message={message} user={user} signIn={signIn} />,
        message,
      );
    }
    const wanted = EventIdParam.safeParse({ eventId: c.req.query("eventId") });
    const door = await doorEvents(database(c.env.DB), user, wanted.success ? wanted.data.eventId : undefined);
    return c.html(<ScanPage user={user} events={door.events} eventId={door.eventId} />);
  })

  .get("/organizer", pageHeaders(), async (c) => {
    const user = await pageUser(c);
    const signIn = signInUrl(c.env, "/organizer", "organizer");
    if (!user?.roles.some((r) => r === "organizer" || r === "admin")) {
      const message = "Sign in with an organizer account to see your events.";
      return pageError(
        c,
        user ? "FORBIDDEN" : "UNAUTHENTICATED",
        () => (
          <MessagePage title="Organizers only" message={message} user={user} signIn={signIn}>
            {signIn && (
              <p>
                <a class="button" href={signIn}>
                  Sign in as an organizer
                </a>
              </p>
            )}
          </MessagePage>
        ),
        message,
      );
    }
    const db = database(c.env.DB);
    const now = Date.now();
    const owner = isAdmin(user) ? undefined : user.id;
    const [bundles, venues] = await Promise.all([organizerEvents(db, owner), venuesOf(db, owner)]);
    const ctx = c.executionCtx as ExecutionContext;
    const orders = await refundableOrders(
      db,
      bundles.slice(0, ORGANIZER_LIVE_EVENTS).map((b) => b.event.id),
    );
    const events = await Promise.all(
      bundles.map(async (bundle, i) => ({
        event: eventView(bundle, now),
        state: bundle.event.state,
        stats: i < ORGANIZER_LIVE_EVENTS ? await eventStats(c.env, ctx, db, bundle, now) : undefined,
        orders: orders.filter((o) => o.eventId === bundle.event.id),
      })),
    );
    const alerts = (await activeAlerts(c.env.RATE_LIMITS))?.alerts ?? [];
    return c.html(<OrganizerPage user={user} events={events} venues={venues} now={now} alerts={alerts} />);
  });
