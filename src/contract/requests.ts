import { z } from "zod";
import { EVENT_ACTIONS, type EventAction } from "../domain/event-status";
import { pricingFields } from "./pricing-requests";

/**
 * What the API accepts to set up and find events: venues, events, their changes and the catalog's
 * query. Below the edge so the database layer (src/db) can take these shapes without importing
 * src/http; the routes validate with them and the OpenAPI document is generated from them.
 * No platform imports, so browser code and Node scripts may import it too.
 */

const isoTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2027-06-01T19:30:00Z" })
  .transform((s) => Date.parse(s));

const dayOrTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    message: "must be an ISO 8601 date or date-time",
  })
  .transform((s) => Date.parse(s));

const name = z.string().trim().min(1).max(200);
/** A section id or a row label: 1-16 letters or digits. */
export const SHORT_CODE = /^[A-Za-z0-9]{1,16}$/;
const code = SHORT_CODE;

export const Id = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be an id");

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ venues

export const MAX_SEATS_PER_VENUE = 300_000;

const Row = z.object({
  label: z.string().regex(code, "must be 1-16 letters or digits (no dashes)"),
  seats: z.number().int().min(1).max(5000),
  blocked: z.array(z.number().int().min(1)).max(5000).optional(),
});

const SeatedSection = z.object({
  id: z.string().regex(code, "must be 1-16 letters or digits (no dashes)"),
  name,
  kind: z.literal("seated"),
  rows: z.array(Row).min(1).max(1000),
});

const GaSection = z.object({
  id: z.string().regex(code, "must be 1-16 letters or digits (no dashes)"),
  name,
  kind: z.literal("ga"),
  capacity: z.number().int().min(1).max(1_000_000),
});

const venueFields = {
  name,
  city: z.string().trim().min(1).max(100),
  country: z.string().trim().min(2).max(60),
  timezone: z.string().refine(validTimeZone, "must be an IANA time zone, e.g. Europe/Berlin"),
  sections: z
    .array(z.discriminatedUnion("kind", [SeatedSection, GaSection]))
    .min(1)
    .max(200),
};

/** Where the venue is: an address as one line, and coordinates (WGS 84 degrees) for distance and the map. */
const placeFields = {
  address: z.string().trim().min(1).max(300),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
};

type VenueShape = {
  sections?: z.output<typeof venueFields.sections> | undefined;
  lat?: number | null | undefined;
  lon?: number | null | undefined;
};

function checkVenue(venue: VenueShape, ctx: z.RefinementCtx): void {
  if ((venue.lat === undefined) !== (venue.lon === undefined) || (venue.lat === null) !== (venue.lon === null)) {
    ctx.addIssue({ code: "custom", path: [venue.lat == null ? "lat" : "lon"], message: "lat and lon go together" });
  }
  const ids = new Set<string>();
  let seats = 0;
  venue.sections?.forEach((section, i) => {
    if (ids.has(section.id)) {
      ctx.addIssue({ code: "custom", path: ["sections", i, "id"], message: "is used twice" });
    }
    ids.add(section.id);
    if (section.kind !== "seated") return;
    const labels = new Set<string>();
    section.rows.forEach((row, r) => {
      if (labels.has(row.label)) {
        ctx.addIssue({ code: "custom", path: ["sections", i, "rows", r, "label"], message: "is used twice" });
      }
      labels.add(row.label);
      seats += row.seats;
      if (row.blocked?.some((n) => n > row.seats)) {
        ctx.addIssue({
          code: "custom",
          path: ["sections", i, "rows", r, "blocked"],
          message: "names a seat past the row's end",
        });
      }
    });
  });
  if (seats > MAX_SEATS_PER_VENUE) {
    ctx.addIssue({ code: "custom", path: ["sections"], message: `at most ${MAX_SEATS_PER_VENUE} seats per venue` });
  }
}

export const VenueCreate = z
  .object({
    ...venueFields,
    address: placeFields.address.optional(),
    lat: placeFields.lat.optional(),
    lon: placeFields.lon.optional(),
  })
  .superRefine(checkVenue);
export type VenueCreate = z.output<typeof VenueCreate>;

/**
 * A venue's edit: any of its fields (`null` clears the address or the coordinates); its sections
 * only while none of its events is published.
 */
export const VenuePatch = z
  .object({
    ...z.object(venueFields).partial().shape,
    address: placeFields.address.nullable().optional(),
    lat: placeFields.lat.nullable().optional(),
    lon: placeFields.lon.nullable().optional(),
  })
  .superRefine(checkVenue);
export type VenuePatch = z.output<typeof VenuePatch>;

// ------------------------------------------------------------------ events

const Limits = z.object({
  perOrder: z.number().int().min(1).max(100),
  perUser: z.number().int().min(1).max(1000),
});

const WaitingRoom = z.object({
  mode: z.enum(["off", "always", "auto"]),
  admitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  maxActive: z.number().int().min(1).max(1_000_000).optional(),
  prequeueMinutes: z.number().int().min(0).max(1440).optional(),
  accessMinutes: z.number().int().min(1).max(240).optional(),
});

const PresaleInput = z
  .object({
    name,
    code: z.string().trim().min(1).max(64),
    startsAt: isoTime,
    endsAt: isoTime,
  })
  .refine((p) => p.startsAt < p.endsAt, { message: "startsAt must be before endsAt", path: ["endsAt"] });

/**
 * How the event's inventory is split into rooms (src/domain/room-split.ts): one for the event, one
 * per section, or one per group of sections. Changes only before the on-sale, with no holds.
 */
export const RoomsInput = z.union([
  z.literal("event"),
  z.literal("section"),
  z
    .array(z.array(z.string().regex(code, "must be a section id")).min(1).max(100))
    .min(1)
    .max(100),
]);

/** What a fan reads about an event; `null` (in an edit) removes it. */
const contentFields = {
  /** Plain text (shown escaped; blank lines part paragraphs). */
  description: z.string().trim().max(5000).nullable(),
  doorsAt: isoTime.nullable(),
  endsAt: isoTime.nullable(),
  /** Who may come, in the organizer's words: "18+", "All ages", "Under 16s with an adult". */
  ageRule: z.string().trim().min(1).max(100).nullable(),
};

const eventFields = {
  title: name,
  category: z.string().trim().toLowerCase().min(1).max(50),
  artist: z.string().trim().min(1).max(200).optional(),
  startsAt: isoTime,
  onSaleAt: isoTime,
  salesEndAt: isoTime.optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code, e.g. EUR")
    .transform((s) => s.toUpperCase()),
  prices: z.record(z.string().max(16), z.number().int().min(0).max(100_000_000)),
  holdSeconds: z.number().int().min(30).max(3600),
  extensions: z.number().int().min(0).max(10),
  paymentGraceSeconds: z.number().int().min(0).max(3600),
  limits: Limits,
  waitingRoom: WaitingRoom,
  presales: z.array(PresaleInput).max(20),
  /** How long a waitlist offer stands before it passes to the next fan in line. */
  waitlistOfferMinutes: z.number().int().min(1).max(1440),
  ...pricingFields,
  rooms: RoomsInput,
  ...contentFields,
};

interface EventTimes {
  startsAt?: number;
  onSaleAt?: number;
  salesEndAt?: number;
  doorsAt?: number | null;
  endsAt?: number | null;
}

/** Doors open at or before the start, and the event ends after it. */
export function contentTimeIssues(
  e: Pick<EventTimes, "startsAt" | "doorsAt" | "endsAt">,
): { path: string; message: string }[] {
  const issues = [];
  if (e.startsAt !== undefined && e.doorsAt != null && e.doorsAt > e.startsAt) {
    issues.push({ path: "doorsAt", message: "must be at or before startsAt" });
  }
  if (e.startsAt !== undefined && e.endsAt != null && e.endsAt <= e.startsAt) {
    issues.push({ path: "endsAt", message: "must be after startsAt" });
  }
  return issues;
}

function checkTimes(e: EventTimes, ctx: z.RefinementCtx): void {
  for (const issue of contentTimeIssues(e))
    ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  if (e.startsAt !== undefined && e.onSaleAt !== undefined && e.onSaleAt >= e.startsAt) {
    ctx.addIssue({ code: "custom", path: ["onSaleAt"], message: "must be before startsAt" });
  }
  if (e.salesEndAt !== undefined && e.onSaleAt !== undefined && e.salesEndAt <= e.onSaleAt) {
    ctx.addIssue({ code: "custom", path: ["salesEndAt"], message: "must be after onSaleAt" });
  }
}

export const EventCreate = z
  .object({
    venueId: Id,
    ...eventFields,
    holdSeconds: eventFields.holdSeconds.default(600),
    extensions: eventFields.extensions.default(1),
    paymentGraceSeconds: eventFields.paymentGraceSeconds.default(300),
    limits: Limits.default({ perOrder: 8, perUser: 8 }),
    waitingRoom: WaitingRoom.default({ mode: "off" }),
    presales: eventFields.presales.default([]),
    waitlistOfferMinutes: eventFields.waitlistOfferMinutes.default(15),
    ticketTypes: pricingFields.ticketTypes.optional(),
    fees: pricingFields.fees.optional(),
    tax: pricingFields.tax.optional(),
    dynamic: pricingFields.dynamic.optional(),
    rooms: RoomsInput.default("event"),
    description: contentFields.description.optional(),
    doorsAt: contentFields.doorsAt.optional(),
    endsAt: contentFields.endsAt.optional(),
    ageRule: contentFields.ageRule.optional(),
    /** The organization (team) the event belongs to: its owners and managers may create it there. */
    orgId: Id.optional(),
    publish: z.boolean().optional(),
  })
  .superRefine(checkTimes);
export type EventCreate = z.output<typeof EventCreate>;

export { EVENT_ACTIONS, type EventAction };

/** `status` is accepted as a synonym of `action` (`published`, `paused`, `on_sale`, `cancelled`). */
const STATUS_ACTIONS: Record<string, EventAction> = {
  published: "publish",
  on_sale: "resume",
  paused: "pause",
  cancelled: "cancel",
};

export const EventPatch = z
  .object({
    action: z.enum(EVENT_ACTIONS).optional(),
    status: z.enum(["published", "on_sale", "paused", "cancelled"]).optional(),
    publish: z.literal(true).optional(),
    /** The event's version this edit was made from (like `If-Match`): a stale one is refused with 412. */
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    ...z.object(eventFields).partial().shape,
  })
  .superRefine(checkTimes)
  .transform(({ status, publish, action, version, ...fields }) => ({
    action: action ?? (status ? STATUS_ACTIONS[status] : publish ? ("publish" as const) : undefined),
    version,
    fields,
  }));
export type EventPatch = z.output<typeof EventPatch>;

// ------------------------------------------------------------------ catalog

const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const CatalogQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    category: z.string().trim().toLowerCase().max(50).optional(),
    city: z.string().trim().max(100).optional(),
    from: dayOrTime.optional(),
    to: dayOrTime.optional(),
    maxPriceCents: intParam(0, 100_000_000).optional(),
    /** `lat,lon` in degrees: only events within `radiusKm` (default 50) of it, each with its `distanceKm`. */
    near: z
      .string()
      .regex(
        /^\s*-?\d{1,3}(?:\.\d{1,10})?\s*,\s*-?\d{1,3}(?:\.\d{1,10})?\s*$/,
        "must be lat,lon in degrees, e.g. 52.52,13.40",
      )
      .transform((s) => s.split(",").map(Number) as [number, number])
      .refine(
        ([lat, lon]) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180,
        "must be a latitude (±90) and a longitude (±180)",
      )
      .optional(),
    radiusKm: z
      .string()
      .regex(/^\d{1,5}(?:\.\d{1,3})?$/, "must be a distance in km")
      .transform(Number)
      .pipe(z.number().gt(0).max(20_000))
      .optional(),
    /** Default: with `q`, the best matches first (title, then artist, then the rest), soonest within each; else soonest. */
    sort: z.enum(["date", "price", "distance", "relevance"]).optional(),
    page: intParam(1, 100_000).default(1),
    limit: intParam(1, 100).default(20),
  })
  .superRefine((query, ctx) => {
    if (query.sort === "distance" && !query.near) {
      ctx.addIssue({ code: "custom", path: ["sort"], message: "sort=distance needs near=lat,lon" });
    }
    if (query.radiusKm !== undefined && !query.near) {
      ctx.addIssue({ code: "custom", path: ["radiusKm"], message: "radiusKm needs near=lat,lon" });
    }
  });
export type CatalogQuery = z.output<typeof CatalogQuery>;

/** Type-ahead: what the words typed so far (the last one a prefix) may complete to. */
export const SuggestQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: intParam(1, 20).default(8),
});
export type SuggestQuery = z.output<typeof SuggestQuery>;
