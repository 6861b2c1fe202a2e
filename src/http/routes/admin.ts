import { Hono } from "hono";
import { z } from "zod";
import { contentTimeIssues } from "../../contract/requests";
import { database } from "../../db/client";
import {
  createEvent,
  type EventBundle,
  type EventFields,
  type EventRow,
  editedEvent,
  findEventBundle,
  inventoryConfig,
  organizerEvents,
  roomPlanOf,
  saveEvent,
} from "../../db/events";
import { findOrg, memberOrgIds } from "../../db/teams";
import { createVenue, findVenue, type VenueWithSections } from "../../db/venues";
import { roomVouchers } from "../../db/vouchers";
import { nextEventState } from "../../domain/event-status";
import { belowMinimum, minimumCharge } from "../../domain/money";
import { roomsIssues } from "../../domain/room-split";
import type { TeamAction } from "../../domain/team-roles";
import type { SectionDef } from "../../domain/types";
import { replayDead } from "../../notify/enqueue";
import { auditBooks } from "../../payments/books-audit";
import { workThroughCancelledEvent } from "../../payments/cancel-event";
import { paymentGateway } from "../../payments/gateway";
import { audit } from "../audit";
import type { AppEnv, User } from "../context";
import { ApiError, type Issue, unwrap } from "../errors";
import { eventStats } from "../event-stats";
import { auth, currentUser, isAdmin } from "../middleware/auth";
import { pricingIssues } from "../pricing-issues";
import { configureRooms, eventRoomBooks, eventRoomStats } from "../room-split";
import { type EventAction, EventCreate, EventIdParam, EventPatch, Id, VenueCreate } from "../schemas";
import { assertMayAct, mayAct } from "../team-access";
import { jsonBody, pathParams, validationFailed } from "../validate";
import { eventView, venueView } from "../views";

const sectionIdsOf = (sections: SectionDef[]): string[] => sections.map((s) => s.id);

/**
 * A split moves seats between rooms, so it changes only while no room has any: before the on-sale,
 * with no live or sold hold in any of the event's rooms (a presale's sales included).
 */
async function assertSplitMayChange(env: Env, before: EventBundle, after: EventBundle): Promise<void> {
  if (JSON.stringify(roomPlanOf(before)) === JSON.stringify(roomPlanOf(after))) return;
  if (before.event.state === "draft") return;
  const refuse = (why: string) =>
    new ApiError("CONFLICT", `An event's rooms change only before its on-sale with no holds: ${why}.`, {
      rooms: "locked",
    });
  if (Date.now() >= before.event.onSaleAt) throw refuse("the on-sale has begun");
  const stats = unwrap(await eventRoomStats(env, before.event.id));
  if (stats.holdsActive > 0 || stats.sold > 0) throw refuse("the event has holds or sales");
}

const canManage = (user: User, owner: string): boolean => isAdmin(user) || user.id === owner;

function priceIssues(sections: SectionDef[], prices: Record<string, number>): Issue[] {
  const issues: Issue[] = [];
  for (const section of sections) {
    if (prices[section.id] === undefined) {
      issues.push({ path: `prices.${section.id}`, message: `section ${section.id} has no price` });
    }
  }
  for (const id of Object.keys(prices)) {
    if (!sections.some((s) => s.id === id)) {
      issues.push({ path: `prices.${id}`, message: `the venue has no section ${id}` });
    }
  }
  return issues;
}

export async function ownedVenue(
  db: ReturnType<typeof database>,
  user: User,
  venueId: string,
): Promise<VenueWithSections> {
  const venue = await findVenue(db, venueId);
  if (!venue) throw new ApiError("NOT_FOUND", "No such venue.");
  if (!canManage(user, venue.organizerId)) throw new ApiError("FORBIDDEN", "This venue belongs to another organizer.");
  return venue;
}

/** The event, if the user may do `action` with it: its creator, an admin, or a member whose role allows it. */
export async function ownedEvent(
  db: ReturnType<typeof database>,
  user: User,
  eventId: string,
  action: TeamAction = "event.edit",
): Promise<EventBundle> {
  const bundle = await findEventBundle(db, eventId);
  if (!bundle) throw new ApiError("NOT_FOUND", "No such event.");
  if (!(await mayAct(db, user, { ownerId: bundle.event.organizerId, orgId: bundle.event.orgId }, action))) {
    throw new ApiError("FORBIDDEN", "This event belongs to another organizer.", { action });
  }
  return bundle;
}

/** The event's state machine (src/domain/event-status.ts), refused as the contract's 409. */
function nextState(current: EventRow["state"], action: EventAction | undefined): EventRow["state"] {
  const next = nextEventState(current, action);
  if (next) return next;
  if (!action) throw new ApiError("CONFLICT", "A cancelled event cannot be changed.");
  throw new ApiError("CONFLICT", `A ${current} event cannot ${action}.`, { state: current, action });
}

/** A price is free or at least Stripe's minimum charge for the event's currency. */
function chargeIssues(currency: string, prices: Record<string, number>): Issue[] {
  return belowMinimum(currency, prices).map((id) => ({
    path: `prices.${id}`,
    message: `must be 0 (free) or at least ${minimumCharge(currency)} (the smallest charge in ${currency.toUpperCase()})`,
  }));
}

/** Applies an edit to a stored event, validating what only the edited whole can show. */
function edited(bundle: EventBundle, fields: Partial<EventFields>, state: EventRow["state"]): EventBundle {
  const next = editedEvent(bundle, fields, state);
  const { startsAt, onSaleAt, salesEndAt } = next.event;
  const issues: Issue[] = fields.prices ? priceIssues(bundle.sections, fields.prices) : [];
  if (fields.rooms) issues.push(...roomsIssues(fields.rooms, sectionIdsOf(bundle.sections)));
  issues.push(...chargeIssues(next.event.currency, next.prices));
  issues.push(...pricingIssues(bundle.sections, next.event.currency, next.pricing));
  if (onSaleAt >= startsAt) issues.push({ path: "onSaleAt", message: "must be before startsAt" });
  issues.push(...contentTimeIssues(next.event));
  if (salesEndAt !== null && salesEndAt <= onSaleAt) {
    issues.push({ path: "salesEndAt", message: "must be after onSaleAt" });
  }
  if (issues.length) throw validationFailed(issues);
  return next;
}

/** Each round of a race has a winner, so this many concurrent edits always get through. */
const SAVE_ATTEMPTS = 16;

/** `If-Match: "7"` (or `W/"7"`, or a bare 7) → 7; none or `*` → undefined; anything else is refused. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw validationFailed([{ path: "If-Match", message: 'must be the event\'s version, e.g. "3"' }]);
  return Number(match[1]);
}

function stale(current: number): ApiError {
  return new ApiError(
    "PRECONDITION_FAILED",
    `The event has changed since version was read; its current version is ${current}.`,
    { version: current, currentVersion: current, details: { version: current } },
    { etag: `"${current}"` },
  );
}

/**
 * Hands the event's definition to its room (or, split by section, to each of its rooms): the room is
 * the authority on what sells. `before`: the event as its rooms have it now, whose split may retire rooms.
 */
export async function syncRoom(env: Env, bundle: EventBundle, before?: EventBundle): Promise<void> {
  const previous = before && before.event.state !== "draft" ? roomPlanOf(before) : null;
  const vouchers = await roomVouchers(database(env.DB), bundle.event.id);
  await configureRooms(env, { ...inventoryConfig(bundle), vouchers }, roomPlanOf(bundle), previous);
}

export const admin = new Hono<AppEnv>()
  .use("/admin/*", auth({ roles: ["organizer"] }))

  .post("/admin/venues", jsonBody(VenueCreate), async (c) => {
    const venue = await createVenue(database(c.env.DB), currentUser(c).id, c.var.body);
    await audit(c, {
      action: "venue.create",
      targetType: "venue",
      target: venue.id,
      ownerId: venue.organizerId,
      details: { name: venue.name, sections: venue.sections.map((s) => s.id) },
    });
    return c.json(venueView(venue), 201);
  })

  .get("/admin/venues/:venueId", pathParams(z.object({ venueId: Id })), async (c) => {
    const venue = await ownedVenue(database(c.env.DB), currentUser(c), c.var.params.venueId);
    return c.json(venueView(venue));
  })

  .post("/admin/events", jsonBody(EventCreate), async (c) => {
    const db = database(c.env.DB);
    const user = currentUser(c);
    const input = c.var.body;
    const venue = await ownedVenue(db, user, input.venueId);
    if (input.orgId) {
      const org = await findOrg(db, input.orgId);
      if (!org) throw validationFailed([{ path: "orgId", message: "no such organization" }]);
      await assertMayAct(db, user, { ownerId: org.createdBy, orgId: org.id }, "org.create_event", "organization");
    }
    const issues = [
      ...priceIssues(venue.sections, input.prices),
      ...chargeIssues(input.currency, input.prices),
      ...pricingIssues(venue.sections, input.currency, input),
      ...roomsIssues(input.rooms, sectionIdsOf(venue.sections)),
    ];
    if (issues.length) throw validationFailed(issues);
    const eventId = await createEvent(db, user.id, venue, input);
    let bundle = await findEventBundle(db, eventId);
    if (bundle && input.publish) {
      const published = edited(bundle, {}, "published");
      await syncRoom(c.env, published);
      await saveEvent(db, published, {});
      bundle = (await findEventBundle(db, eventId)) ?? published;
    }
    if (!bundle) throw new Error("event vanished after insert");
    await audit(c, {
      action: "event.create",
      targetType: "event",
      target: eventId,
      eventId,
      ownerId: bundle.event.organizerId,
      details: { title: bundle.event.title, published: input.publish === true },
    });
    return c.json(eventView(bundle, Date.now()), 201);
  })

  .get("/admin/events", async (c) => {
    const user = currentUser(c);
    const db = database(c.env.DB);
    const admin = isAdmin(user);
    const bundles = await organizerEvents(db, admin ? undefined : user.id, admin ? [] : await memberOrgIds(db, user));
    const now = Date.now();
    return c.json({ data: bundles.map((b) => eventView(b, now)) });
  })

  .get("/admin/events/:eventId", pathParams(EventIdParam), async (c) => {
    const bundle = await ownedEvent(database(c.env.DB), currentUser(c), c.var.params.eventId, "event.read");
    c.header("etag", `"${bundle.event.version}"`);
    return c.json(eventView(bundle, Date.now()));
  })

  .patch("/admin/events/:eventId", pathParams(EventIdParam), jsonBody(EventPatch), async (c) => {
    const db = database(c.env.DB);
    const user = currentUser(c);
    const { action, fields, version } = c.var.body;
    const expected = ifMatchVersion(c.req.header("if-match")) ?? version;
    const eventId = c.var.params.eventId;
    let saved: EventBundle | undefined;
    let from: EventRow["state"] | undefined;
    let before: EventBundle | undefined;
    // A compare-and-set on the version read: an edit that lost a race is re-read and judged again
    // (a stale If-Match → 412, a cancel that came first → 409); without If-Match it simply retries.
    for (let attempt = 0; !saved; attempt++) {
      const bundle = await ownedEvent(db, user, eventId, action === "cancel" ? "event.cancel" : "event.edit");
      const state = nextState(bundle.event.state, action);
      const cancel = state === "cancelled";
      if (expected !== undefined && !cancel && bundle.event.version !== expected) throw stale(bundle.event.version);
      if (attempt === SAVE_ATTEMPTS)
        throw new ApiError("OVERLOADED", "The event is being changed; try again.", {}, { "retry-after": "1" });
      const next = edited(bundle, fields, state);
      await assertSplitMayChange(c.env, bundle, next);
      // A cancel stops sales in the room before anything else, and the room never takes it back.
      if (cancel) await syncRoom(c.env, next, bundle);
      if (await saveEvent(db, next, fields)) saved = await findEventBundle(db, eventId);
      from = bundle.event.state;
      before = bundle;
    }
    // The room takes what D1 kept, at its version: edits arriving out of order leave the newest.
    if (saved.event.state !== "draft") await syncRoom(c.env, saved, before);
    if (saved.event.state === "cancelled") {
      // Sales stopped with the room's new state; refunds start now and the cron finishes them.
      const deps = { env: c.env, db, gateway: paymentGateway(c.env), log: c.var.log };
      c.executionCtx.waitUntil(workThroughCancelledEvent(deps, eventId, 200).catch(() => 0));
    }
    await audit(c, {
      action: action ? `event.${action}` : "event.update",
      targetType: "event",
      target: eventId,
      eventId,
      ownerId: saved.event.organizerId,
      details: { fields: Object.keys(fields).sort(), from, to: saved.event.state, version: saved.event.version },
    });
    c.header("etag", `"${saved.event.version}"`);
    return c.json(eventView(saved, Date.now()));
  })

  .post("/admin/events/:eventId/notifications/replay", pathParams(EventIdParam), async (c) => {
    const bundle = await ownedEvent(database(c.env.DB), currentUser(c), c.var.params.eventId);
    const replayed = await replayDead(c.env, bundle.event.id);
    c.var.log("info", "dead-lettered notifications replayed", { eventId: bundle.event.id, ...replayed });
    await audit(c, {
      action: "notifications.replay",
      targetType: "notifications",
      target: bundle.event.id,
      eventId: bundle.event.id,
      ownerId: bundle.event.organizerId,
      details: replayed,
    });
    return c.json({ eventId: bundle.event.id, ...replayed });
  })

  .get("/admin/events/:eventId/audit", pathParams(EventIdParam), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "orders.read");
    if (bundle.event.state === "draft")
      return c.json({ eventId: bundle.event.id, checkedAt: new Date().toISOString(), mismatches: [] });
    const report = await auditBooks(
      { db, gateway: paymentGateway(c.env), rooms: () => eventRoomBooks(c.env, bundle.event.id) },
      bundle.event.id,
    );
    if (report.mismatches.length) {
      c.var.log("warn", "the books of an event do not balance", {
        eventId: report.eventId,
        mismatches: report.mismatches.length,
      });
    }
    return c.json(report);
  })

  .get("/admin/events/:eventId/stats", pathParams(EventIdParam), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "event.read");
    return c.json(await eventStats(c.env, c.executionCtx as ExecutionContext, db, bundle, Date.now()));
  });
