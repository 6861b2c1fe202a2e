import { z } from "zod";
import { ERROR_CODES } from "../domain/error-codes";
import { CatalogFacets, catalogItem, eventContent, venuePlace } from "./content-responses";
import { EventStats } from "./event-stats";
import { Cents, Currency, Time } from "./primitives";

/**
 * What the API answers, as zod schemas: the views (src/http/views.ts) must produce these types
 * (src/http/view-types.ts checks it at compile time), and the OpenAPI document publishes them with
 * z.toJSONSchema. The document leaves objects open (no `additionalProperties: false`): the contract
 * lets fields be added, so a client must accept more than is listed; every listed field is there
 * with the listed type (test/worker/openapi.test.ts validates real answers with ajv).
 * No platform imports, so browser code and Node scripts may import it too.
 */

export const Availability = z.enum(["high", "low", "sold_out"]);

export const VenueSummary = z.object({
  venueId: z.string(),
  name: z.string(),
  city: z.string(),
  country: z.string(),
  timezone: z.string(),
  ...venuePlace,
});

export const SectionDefinition = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["seated", "ga"]),
  rows: z
    .array(z.object({ label: z.string(), seats: z.number().int(), blocked: z.array(z.number().int()).optional() }))
    .optional(),
  capacity: z.number().int().optional(),
});

export const Venue = z.object({
  ...VenueSummary.shape,
  id: z.string(),
  sections: z.array(SectionDefinition),
  createdAt: Time,
});

/** What the event and its seat map both say of a section (fields, not a schema: no component of its own). */
const sectionSummary = { id: z.string(), name: z.string(), kind: z.enum(["seated", "ga"]), priceCents: Cents };

export const Breakdown = z.object({ baseCents: Cents, feesCents: Cents, taxCents: Cents });

/** A ticket type as fans see it: `prices` all-in per section it is sold in; `basePrices` as the organizer set them. */
export const TicketTypeView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  prices: z.record(z.string(), Cents),
  basePrices: z.record(z.string(), Cents),
  quota: z.number().int().optional(),
  minPerOrder: z.number().int().optional(),
  maxPerOrder: z.number().int().optional(),
  requiresVoucher: z.boolean().optional(),
});

const Fee = z.object({ name: z.string(), kind: z.enum(["per_ticket", "per_order", "percent"]), amount: z.number() });
const Tax = z.object({ name: z.string(), ratePercent: z.number(), included: z.boolean() });
const DynamicRule = z.object({
  floorCents: Cents,
  ceilingCents: Cents,
  maxStepPercent: z.number(),
  everyMinutes: z.number().int(),
});

export const EventStatus = z.enum(["scheduled", "on_sale", "paused", "sold_out", "closed", "cancelled"]);

export const Event = z.object({
  eventId: z.string(),
  id: z.string(),
  title: z.string(),
  category: z.string(),
  artist: z.string().nullable(),
  venueId: z.string(),
  venue: VenueSummary,
  startsAt: Time,
  onSaleAt: Time,
  salesEndAt: Time.nullable(),
  currency: Currency,
  status: EventStatus,
  availability: Availability.optional(),
  published: z.boolean(),
  holdSeconds: z.number().int(),
  extensions: z.number().int(),
  paymentGraceSeconds: z.number().int(),
  limits: z.object({ perOrder: z.number().int(), perUser: z.number().int() }),
  waitingRoom: z.object({
    mode: z.enum(["off", "always", "auto"]),
    admitPerMinute: z.number().int().nullable().optional(),
    maxActive: z.number().int().nullable().optional(),
    prequeueMinutes: z.number().int().nullable().optional(),
    accessMinutes: z.number().int().nullable().optional(),
  }),
  minPriceCents: Cents.nullable(),
  /** The cheapest single ticket, all-in (fees and tax included). */
  fromCents: Cents,
  /** How the event's inventory is split into rooms: `"event"` (one), `"section"`, or groups of section ids. */
  rooms: z.union([z.literal("event"), z.literal("section"), z.array(z.array(z.string()))]).optional(),
  sections: z.array(z.object({ ...sectionSummary, capacity: z.number().int(), availability: Availability.optional() })),
  ticketTypes: z.array(TicketTypeView),
  fees: z.array(Fee),
  tax: Tax.nullable(),
  dynamic: z.record(z.string(), DynamicRule),
  presales: z.array(z.object({ name: z.string(), startsAt: Time, endsAt: Time })),
  ...eventContent,
  organizerId: z.string(),
  /** The organization (team) the event belongs to, if any. */
  orgId: z.string().nullable(),
  createdAt: Time,
  updatedAt: Time,
  /** Grows by one with every stored change; `PATCH` takes it as `If-Match: "<version>"` (or `version`). */
  version: z.number().int(),
});

export const EventList = z.object({
  data: z.array(Event.extend(catalogItem)),
  meta: z.object({ total: z.number().int(), page: z.number().int(), limit: z.number().int(), facets: CatalogFacets }),
});
export const OrganizerEventList = z.object({ data: z.array(Event) });

export const SeatStatus = z.enum(["available", "held", "sold", "blocked"]);

export const SeatMap = z.object({
  eventId: z.string(),
  version: z.number().int(),
  sections: z.array(
    z.object({
      ...sectionSummary,
      /** Dynamic sections: when the price was last set. */
      priceChangedAt: Time.optional(),
      available: z.number().int(),
      capacity: z.number().int(),
      seats: z
        .array(z.object({ id: z.string(), row: z.string(), number: z.number().int(), status: SeatStatus }))
        .optional(),
    }),
  ),
});

export const LineItem = z.object({
  seatId: z.string().optional(),
  sectionId: z.string().nullable().optional(),
  quantity: z.number().int(),
  /** One ticket, all-in: what is paid for it. */
  priceCents: Cents,
  ticketType: z.string().optional(),
  breakdown: Breakdown.optional(),
});

/** Per-order fees of a hold or order, part of its total. */
export const OrderFee = z.object({ priceCents: Cents, breakdown: Breakdown });

export const Hold = z.object({
  holdId: z.string(),
  eventId: z.string(),
  status: z.enum(["held", "checkout", "purchased", "expired", "released"]),
  items: z.array(LineItem),
  totalCents: Cents,
  currency: Currency,
  expiresAt: Time,
  createdAt: Time,
  extensionsUsed: z.number().int(),
  orderFee: OrderFee.optional(),
  voucher: z.string().optional(),
});
/** The 201 of a new hold: also the seat map's `version` it produced (`GET …/seats?minVersion=` shows it). */
export const HoldCreated = z.object({ ...Hold.shape, version: z.number().int().min(0) });

export const Ticket = z.object({
  ticketId: z.string(),
  orderId: z.string(),
  eventId: z.string(),
  seatId: z.string().optional(),
  sectionId: z.string().nullable().optional(),
  status: z.enum(["valid", "used", "void"]),
  code: z.string().optional(),
  qrSvgUrl: z.string().optional(),
  issuedAt: Time.optional(),
});
export const TicketList = z.object({ data: z.array(Ticket) });
/** A ticket of an order that its owner gave away: no code, only that it was transferred. */
export const TransferredTicket = z.object({ ticketId: z.string(), status: z.literal("transferred") });

export const OrderStatus = z.enum(["pending", "confirmed", "partially_refunded", "failed", "refunded", "cancelled"]);

export const Order = z.object({
  orderId: z.string(),
  /** What people read and type (`ORD-7K3P-9QX2`): on the receipt, in mails, in the organizer's search. */
  orderNumber: z.string(),
  /** The organizer's gap-free invoice number, given when the order is paid; null before (and for free orders). */
  invoiceNumber: z.number().int().min(1).nullable(),
  status: OrderStatus,
  eventId: z.string(),
  holdId: z.string(),
  totalCents: Cents,
  /** Refunded so far (Stripe's refunded total, or the tickets an organizer refunded). */
  refundedCents: Cents,
  currency: Currency,
  /** The last declined card's message, only while the order is `pending` (the card may be retried). */
  lastPaymentError: z.string().optional(),
  items: z.array(LineItem),
  /** Per-order fees, part of the total, and the voucher the hold used. */
  orderFee: OrderFee.optional(),
  voucher: z.string().optional(),
  /** What the owner holds; a ticket given away is only `{ticketId, status: "transferred"}`, no code. */
  tickets: z.array(z.union([Ticket, TransferredTicket])),
  /** `paymentIntentId` is null for a free order (no payment) and before a PaymentIntent exists. */
  payment: z.object({ provider: z.literal("stripe"), paymentIntentId: z.string().nullable() }),
  createdAt: Time,
  updatedAt: Time,
});
export const OrderList = z.object({ data: z.array(Order) });

/**
 * Checkout's answer: `pending` with a PaymentIntent to pay, or, for a hold whose total is 0,
 * `confirmed` at once with `payment: null` (tickets issued; a retry answers the same).
 */
export const Checkout = z.object({
  orderId: z.string(),
  status: z.enum(["pending", "confirmed"]),
  totalCents: Cents,
  currency: Currency,
  /** Pending orders: when the hold (with its payment grace) ends. */
  holdExpiresAt: Time.optional(),
  payment: z
    .object({
      provider: z.literal("stripe"),
      clientSecret: z.string().nullable(),
      paymentIntentId: z.string(),
      simulated: z.boolean().optional(),
    })
    .nullable()
    .meta({ description: "null for a free order (status `confirmed`, totalCents 0)" }),
  /** Simulated payments (local development): the page that plays the customer. */
  payUrl: z.string().optional(),
});

/** Dead-lettered notifications sent through the queue again: how many now, and how many are still dead. */
export const NotificationReplay = z.object({
  eventId: z.string(),
  requeued: z.number().int().min(0),
  /** Still dead-lettered after this call: more than one call's worth (100), or sent to the dead-letter queue again. */
  dead: z.number().int().min(0),
});

/** An organizer refund accepted by Stripe: the order's status and refunded total afterwards. */
export const Refund = z.object({
  orderId: z.string(),
  status: OrderStatus,
  refundedCents: Cents,
  totalCents: Cents,
  currency: Currency,
  /** Stripe's refund id, when this call refunded money (absent on a retry that refunded nothing). */
  refundId: z.string().optional(),
});

export const QueueState = z.object({
  eventId: z.string(),
  queueToken: z.string(),
  opensAt: Time,
  state: z.enum(["waiting", "admitted", "sold_out", "closed"]),
  position: z.number().int(),
  ahead: z.number().int(),
  estimatedWaitSeconds: z.number(),
  pollAfterSeconds: z.number(),
  accessToken: z.string().optional(),
  accessExpiresAt: Time.optional(),
  reason: z.string().optional(),
});

export const CheckinResult = z.object({
  result: z.enum(["admitted", "already_used", "void", "invalid", "wrong_event"]),
  ticketId: z.string().optional(),
  firstScannedAt: Time.optional(),
  seatId: z.string().optional(),
  sectionId: z.string().optional(),
});

export const CheckinCounts = z.object({
  eventId: z.string(),
  /** Tickets used (scanned in) so far. */
  checkedIn: z.number().int(),
  /** Tickets that admit someone: valid or used (void ones are not counted). */
  total: z.number().int(),
});

export const Revocations = z.object({
  eventId: z.string(),
  since: Time,
  until: Time,
  ticketIds: z.array(z.string()),
  revocations: z.array(z.object({ ticketId: z.string(), voidedAt: Time })),
});

export const Challenge = z.object({
  algorithm: z.literal("sha256-leading-zero-bits"),
  nonce: z.string(),
  difficulty: z.number().int(),
  expiresAt: Time,
  token: z.string(),
  solveUrl: z.string(),
});
export const ChallengeOffer = z.object({ challenge: Challenge });
export const Clearance = z.object({ clearance: z.string(), expiresAt: Time, header: z.literal("X-Clearance") });

export const Jwks = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      crv: z.string().optional(),
      x: z.string().optional(),
      kid: z.string().optional(),
      alg: z.string().optional(),
      use: z.string().optional(),
    }),
  ),
});

export const WaitlistEntry = z.object({
  waitlistId: z.string(),
  eventId: z.string(),
  sectionId: z.string().nullable(),
  quantity: z.number().int(),
  status: z.enum(["waiting", "offered", "claimed", "expired", "left"]),
  /** 1 + the entries still waiting ahead; 0 while this entry holds an offer. */
  position: z.number().int().min(0),
  joinedAt: Time,
  /** While `offered`: a hold owned by this fan, checked out like any hold. */
  offer: z
    .object({ holdId: z.string(), expiresAt: Time, items: z.array(LineItem), totalCents: Cents, currency: Currency })
    .optional(),
});

export const OutboxMessage = z.object({
  messageId: z.string(),
  to: z.string(),
  kind: z.string(),
  subject: z.string(),
  text: z.string(),
  orderId: z.string().optional(),
  eventId: z.string().optional(),
  createdAt: Time,
});
export const Outbox = z.object({ data: z.array(OutboxMessage) });

export const Health = z.object({ ok: z.literal(true) });
/** `/readyz`: 200 with `ok: true`, or 503 naming each failing part. */
export const Readiness = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), failing: z.array(z.enum(["d1", "room", "queue", "settings"])).min(1) }),
]);
export const WebhookReceipt = z.object({ received: z.literal(true), outcome: z.string() });
export const PaySimulation = z.object({ orderId: z.string(), status: OrderStatus });
export const BenchPing = z.object({ version: z.number().int() });
export const BenchSoak = z.object({ version: z.number().int(), holds: z.number().int(), keys: z.number().int() });
export const BenchRestart = z.object({ restarted: z.literal(true) });
export const OpenApi = z.object({ openapi: z.string(), info: z.object({}), paths: z.object({}) });

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES).meta({ examples: ["SEATS_UNAVAILABLE"] }),
    message: z.string(),
    /** VALIDATION_FAILED: each problem. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** SEATS_UNAVAILABLE: the seats that were not free, and nearby free seats in the same section, best first. */
    unavailableSeatIds: z.array(z.string()).optional(),
    alternatives: z.array(z.string()).optional(),
    /** SOLD_OUT: how many places the general-admission section has left. */
    available: z.number().int().min(0).optional(),
    /** LIMIT_EXCEEDED: the limit, and how many tickets the buyer already holds. */
    limit: z.number().int().min(0).optional(),
    alreadyHeld: z.number().int().min(0).optional(),
    /** QUEUE_REQUIRED: where to join the event's waiting room. */
    queueUrl: z.string().optional(),
    /** CHALLENGE_REQUIRED: the proof of work to solve. */
    challenge: Challenge.optional(),
  }),
});

/** The books audit: where the room, D1 and Stripe disagree about an event; empty when they agree. */
export const BooksAudit = z.object({
  eventId: z.string(),
  checkedAt: Time,
  mismatches: z.array(
    z.object({
      kind: z.string(),
      seatId: z.string().optional(),
      sectionId: z.string().optional(),
      orderId: z.string().optional(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

export { EventStats };

/** The views' types (src/http/views.ts is built to these). */
export type VenueSummaryView = z.output<typeof VenueSummary>;
export type VenueView = z.output<typeof Venue>;
export type EventView = z.output<typeof Event>;
export type HoldView = z.output<typeof Hold>;
export type TicketView = z.output<typeof Ticket>;
export type OrderView = z.output<typeof Order>;
export type HoldCreatedView = z.output<typeof HoldCreated>;
export type WaitlistEntryView = z.output<typeof WaitlistEntry>;
export type EventStatsView = z.output<typeof EventStats>;
