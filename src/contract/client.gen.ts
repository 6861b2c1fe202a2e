// Generated from the OpenAPI document (GET /api/v1/openapi.json) by src/http/client-gen.ts.
// Do not edit: `npm run docs:api` rewrites it, and a test fails when it is out of date.
// The answers' types are in client-types.gen.ts; the fetch that serves every operation is client-runtime.ts.
import { type CallArgs, clientFor, operation as op, type ShapeOf } from "./client-runtime";
import type {
  BooksAudit, ChallengeOffer, CheckinCounts, CheckinResult, Checkout, Clearance, Event, EventList, EventStats, Health,
  Hold, HoldCreated, Jwks, NotificationReplay, OpenApi, Order, OrderList, OrganizerEventList, QueueState, Readiness,
  Refund, Revocations, SeatMap, Ticket, TicketList, Venue, WaitlistEntry, WebhookReceipt,
} from "./client-types.gen";

export type { Answer, ApiErrorBody, ClientOptions } from "./client-runtime";
export type * from "./client-types.gen";

export type JoinQueueBody = { presaleCode?: string };

export type CreateHoldBody = {
  seatIds?: Array<string>;
  seats?: Array<{ seatId: string; ticketType?: string }>;
  ga?: Array<{ sectionId: string; quantity: number; ticketType?: string }>;
  presaleCode?: string;
  minVersion?: number;
  voucher?: string;
};
export type TransferTicketBody = { toUserId: string };
export type CheckInBody = { eventId: string; code: string; scanId?: string; deviceId?: string };
export type SolveChallengeBody = { token: string; solution: string };
export type JoinWaitlistBody = { sectionId?: string | null; quantity: number };

export type CreateVenueBody = {
  name: string;
  city: string;
  country: string;
  timezone: string;
  sections: Array<{
    id: string;
    name: string;
    kind: "seated";
    rows: Array<{ label: string; seats: number; blocked?: Array<number> }>;
  } | {
    id: string;
    name: string;
    kind: "ga";
    capacity: number;
  }>;
  address?: string;
  lat?: number;
  lon?: number;
};

export type UpdateVenueBody = {
  name?: string;
  city?: string;
  country?: string;
  timezone?: string;
  sections?: Array<{
    id: string;
    name: string;
    kind: "seated";
    rows: Array<{ label: string; seats: number; blocked?: Array<number> }>;
  } | {
    id: string;
    name: string;
    kind: "ga";
    capacity: number;
  }>;
  address?: string | null;
  lat?: number | null;
  lon?: number | null;
};

export type CreateEventBody = {
  venueId: string;
  title: string;
  category: string;
  artist?: string;
  startsAt: string;
  onSaleAt: string;
  salesEndAt?: string;
  currency: string;
  prices: Record<string, number>;
  holdSeconds?: number;
  extensions?: number;
  paymentGraceSeconds?: number;
  limits?: { perOrder: number; perUser: number };
  waitingRoom?: {
    mode: "off" | "always" | "auto";
    admitPerMinute?: number;
    maxActive?: number;
    prequeueMinutes?: number;
    accessMinutes?: number;
  };
  presales?: Array<{ name: string; code: string; startsAt: string; endsAt: string }>;
  waitlistOfferMinutes?: number;
  ticketTypes?: Array<{
    id: string;
    name: string;
    description?: string;
    prices: Record<string, number>;
    quota?: number;
    minPerOrder?: number;
    maxPerOrder?: number;
    requiresVoucher?: boolean;
  }>;
  fees?: Array<{ name: string; kind: "per_ticket" | "per_order" | "percent"; amount: number }>;
  tax?: { name: string; ratePercent: number; included: boolean } | null;
  dynamic?: Record<string, { floorCents: number; ceilingCents: number; maxStepPercent: number; everyMinutes: number }>;
  rooms?: "event" | "section" | Array<Array<string>>;
  description?: string | null;
  doorsAt?: string | null;
  endsAt?: string | null;
  ageRule?: string | null;
  orgId?: string;
  publish?: boolean;
};

export type UpdateEventBody = Pick<
  CreateEventBody,
  "artist" | "salesEndAt" | "holdSeconds" | "extensions" | "paymentGraceSeconds" | "limits" |
  "waitingRoom" | "presales" | "waitlistOfferMinutes" | "ticketTypes" | "fees" | "tax" | "dynamic" |
  "rooms" | "description" | "doorsAt" | "endsAt" | "ageRule"
> & {
  action?: "publish" | "pause" | "resume" | "cancel";
  status?: "published" | "on_sale" | "paused" | "cancelled";
  publish?: true;
  version?: number;
  title?: string;
  category?: string;
  startsAt?: string;
  onSaleAt?: string;
  currency?: string;
  prices?: Record<string, number>;
};
export type RefundOrderBody = { ticketIds?: Array<string> };
export type CreateOrgBody = { name: string };
export type PutOrgMemberBody = { email: string; role: "owner" | "manager" | "box_office" | "scanner" };

export type CreateKillBody = {
  seatIds?: Array<string>;
  ga?: Array<{ sectionId: string; quantity: number }>;
  reason: string;
};
export type CreateCompBody = CreateKillBody & { email: string };

export type CreateVouchersBody = {
  code?: string;
  count?: number;
  kind: "percent" | "amount" | "price" | "unlock";
  value?: number;
  maxUses: number;
  validFrom?: string;
  validUntil?: string;
  ticketTypes?: Array<string>;
  sections?: Array<string>;
};
export type UpdateVoucherBody = { disabled: boolean };
export type RequestSignInLinkBody = { email: string; next?: string };

export type ChangeUserRolesBody = {
  add?: Array<"customer" | "organizer" | "scanner" | "admin">;
  remove?: Array<"customer" | "organizer" | "scanner" | "admin">;
};

/** Every operation by its operationId: method and path, and (as a type) what it takes and answers. */
export const OPERATIONS = {
  /** GET /healthz: Liveness */
  getHealth: op<{ response: Health }>("GET", "/healthz"),
  /** GET /readyz: Readiness: D1, one room, the queue producer and the settings */
  getReadiness: op<{ response: Readiness }>("GET", "/readyz"),
  /** GET /metrics: Prometheus metrics (text format), for a scraper with METRICS_TOKEN as its bearer token */
  getMetrics: op<{ response: unknown }>("GET", "/metrics"),
  /** GET /api/v1/openapi.json: This OpenAPI document */
  getOpenApi: op<{ response: OpenApi }>("GET", "/api/v1/openapi.json"),
  /** GET /docs: This API reference as HTML */
  getDocs: op<{ response: unknown }>("GET", "/docs"),
  /** GET /api/v1/events: Search published events: full-text `q` (best matches first), filters, `near`/`radiusKm`, `sort`, `meta.facets` */
  searchEvents: op<{ query: { q?: string; category?: string; city?: string; from?: string | string; to?: string | string; maxPriceCents?: number; near?: string; radiusKm?: number; sort?: "date" | "price" | "distance" | "relevance"; page?: number; limit?: number }; response: EventList }>("GET", "/api/v1/events"),
  /** GET /api/v1/search/suggest: Type-ahead: event titles (with `eventId`), artists, venues and cities starting with the words typed */
  suggestSearch: op<{ query: { q?: string; limit?: number }; response: {
  data: Array<{ text: string; eventId?: string }>;
} }>("GET", "/api/v1/search/suggest"),
  /** GET /api/v1/events/{eventId}: Event detail */
  getEvent: op<{ params: { eventId: string }; response: Event }>("GET", "/api/v1/events/{eventId}"),
  /** GET /api/v1/events/{eventId}/seats: Live seat map and section availability (at most a second old) */
  getSeatMap: op<{ params: { eventId: string }; query: { section?: string; minVersion?: number }; response: SeatMap }>("GET", "/api/v1/events/{eventId}/seats"),
  /** GET /api/v1/events/{eventId}/live: Live seat map: WebSocket upgrade (snapshot, then deltas; send resume) */
  openLiveSeatMap: op<{ params: { eventId: string }; query: { access?: string; sections?: string }; response: unknown }>("GET", "/api/v1/events/{eventId}/live"),
  /** POST /api/v1/events/{eventId}/queue: Join the waiting room: a signed-in account (session cookie, or its user token as Bearer) or a clearance has one place and joining again answers it (200); a queue token as Bearer keeps its place; during a presale window a valid `presaleCode` is admitted at once */
  joinQueue: op<{ params: { eventId: string }; body: JoinQueueBody; response: QueueState }>("POST", "/api/v1/events/{eventId}/queue"),
  /** GET /api/v1/events/{eventId}/queue: Poll the waiting room with the queue token as Bearer */
  pollQueue: op<{ params: { eventId: string }; response: QueueState }>("GET", "/api/v1/events/{eventId}/queue"),
  /** POST /api/v1/events/{eventId}/holds: Hold seats and/or GA tickets, all or nothing */
  createHold: op<{ params: { eventId: string }; query: { minVersion?: number }; body: CreateHoldBody; response: HoldCreated }>("POST", "/api/v1/events/{eventId}/holds"),
  /** GET /api/v1/holds/{holdId}: A hold (owner) */
  getHold: op<{ params: { holdId: string }; response: Hold }>("GET", "/api/v1/holds/{holdId}"),
  /** DELETE /api/v1/holds/{holdId}: Release a hold (owner): its seats are available at once */
  releaseHold: op<{ params: { holdId: string }; response: Hold }>("DELETE", "/api/v1/holds/{holdId}"),
  /** POST /api/v1/holds/{holdId}/extend: Extend a hold (owner), as often as the event allows */
  extendHold: op<{ params: { holdId: string }; response: Hold }>("POST", "/api/v1/holds/{holdId}/extend"),
  /** POST /api/v1/holds/{holdId}/checkout: Start payment: one order and one PaymentIntent per hold (a free hold is confirmed at once) */
  checkout: op<{ params: { holdId: string }; response: Checkout }>("POST", "/api/v1/holds/{holdId}/checkout"),
  /** GET /api/v1/orders/{orderId}: An order with its tickets (owner) */
  getOrder: op<{ params: { orderId: string }; response: Order }>("GET", "/api/v1/orders/{orderId}"),
  /** GET /api/v1/me/orders: My orders */
  listMyOrders: op<{ response: OrderList }>("GET", "/api/v1/me/orders"),
  /** POST /webhooks/stripe: Stripe's signed events (raw body, verified with Stripe-Signature) */
  receiveStripeEvent: op<{ body: Record<string, unknown>; response: WebhookReceipt }>("POST", "/webhooks/stripe"),
  /** GET /api/v1/me/tickets: The tickets I hold */
  listMyTickets: op<{ response: TicketList }>("GET", "/api/v1/me/tickets"),
  /** GET /api/v1/tickets/{ticketId}: A ticket (owner) */
  getTicket: op<{ params: { ticketId: string }; response: Ticket }>("GET", "/api/v1/tickets/{ticketId}"),
  /** GET /api/v1/tickets/{ticketId}/qr.svg: The ticket's code as a QR code (SVG) */
  getTicketQr: op<{ params: { ticketId: string }; response: unknown }>("GET", "/api/v1/tickets/{ticketId}/qr.svg"),
  /** POST /api/v1/tickets/{ticketId}/transfer: Give a ticket to someone: the old code is void */
  transferTicket: op<{ params: { ticketId: string }; body: TransferTicketBody; response: Ticket }>("POST", "/api/v1/tickets/{ticketId}/transfer"),
  /** POST /api/v1/checkin: Scan a ticket at the venue */
  checkIn: op<{ body: CheckInBody; response: CheckinResult }>("POST", "/api/v1/checkin"),
  /** GET /api/v1/events/{eventId}/revocations: Tickets voided since a time, for offline scanners */
  listRevocations: op<{ params: { eventId: string }; query: { since?: string }; response: Revocations }>("GET", "/api/v1/events/{eventId}/revocations"),
  /** GET /api/v1/events/{eventId}/checkins: Check-in counts of an event for the door: tickets checked in and tickets in all */
  getCheckinCounts: op<{ params: { eventId: string }; response: CheckinCounts }>("GET", "/api/v1/events/{eventId}/checkins"),
  /** GET /.well-known/jwks.json: Public keys that verify ticket codes offline */
  getTicketKeys: op<{ response: Jwks }>("GET", "/.well-known/jwks.json"),
  /** GET /api/v1/challenge: A proof-of-work challenge, for clients that want one in advance */
  getChallenge: op<{ response: ChallengeOffer }>("GET", "/api/v1/challenge"),
  /** POST /api/v1/challenge: Trade a solved challenge for a clearance (send it back as X-Clearance) */
  solveChallenge: op<{ body: SolveChallengeBody; response: Clearance }>("POST", "/api/v1/challenge"),
  /** POST /api/v1/events/{eventId}/waitlist: Join the event's waitlist (joining again answers the same entry, 200) */
  joinWaitlist: op<{ params: { eventId: string }; body: JoinWaitlistBody; response: WaitlistEntry }>("POST", "/api/v1/events/{eventId}/waitlist"),
  /** GET /api/v1/events/{eventId}/waitlist/me: My place on the waitlist, and my offer when I have one */
  getMyWaitlistEntry: op<{ params: { eventId: string }; response: WaitlistEntry }>("GET", "/api/v1/events/{eventId}/waitlist/me"),
  /** DELETE /api/v1/events/{eventId}/waitlist/me: Leave the waitlist */
  leaveWaitlist: op<{ params: { eventId: string }; response: WaitlistEntry }>("DELETE", "/api/v1/events/{eventId}/waitlist/me"),
  /** POST /api/v1/admin/venues: Create a venue with its seat map */
  createVenue: op<{ body: CreateVenueBody; response: Venue }>("POST", "/api/v1/admin/venues"),
  /** GET /api/v1/admin/venues/{venueId}: A venue (owner) */
  getVenue: op<{ params: { venueId: string }; response: Venue }>("GET", "/api/v1/admin/venues/{venueId}"),
  /** PATCH /api/v1/admin/venues/{venueId}: Edit a venue: name, address, coordinates; its sections only while no event is set there */
  updateVenue: op<{ params: { venueId: string }; body: UpdateVenueBody; response: Venue }>("PATCH", "/api/v1/admin/venues/{venueId}"),
  /** GET /api/v1/admin/events: The organizer's events, drafts included */
  listOrganizerEvents: op<{ response: OrganizerEventList }>("GET", "/api/v1/admin/events"),
  /** POST /api/v1/admin/events: Create an event */
  createEvent: op<{ body: CreateEventBody; response: Event }>("POST", "/api/v1/admin/events"),
  /** GET /api/v1/admin/events/{eventId}: An event of the organizer, drafts included */
  getOrganizerEvent: op<{ params: { eventId: string }; response: Event }>("GET", "/api/v1/admin/events/{eventId}"),
  /** PATCH /api/v1/admin/events/{eventId}: Edit, publish, pause, resume or cancel an event */
  updateEvent: op<{ params: { eventId: string }; body: UpdateEventBody; response: Event }>("PATCH", "/api/v1/admin/events/{eventId}"),
  /** GET /api/v1/admin/events/{eventId}/stats: Live sales figures, the waiting room's length and admissions, sales over time */
  getEventStats: op<{ params: { eventId: string }; response: EventStats }>("GET", "/api/v1/admin/events/{eventId}/stats"),
  /** GET /api/v1/admin/events/{eventId}/audit: Cross-check the books: the room's sold seats and places against D1's tickets, refunded totals against Stripe */
  auditEventBooks: op<{ params: { eventId: string }; response: BooksAudit }>("GET", "/api/v1/admin/events/{eventId}/audit"),
  /** POST /api/v1/admin/events/{eventId}/notifications/replay: Send the event's dead-lettered notifications again, up to 100 per call (once the provider works) */
  replayDeadNotifications: op<{ params: { eventId: string }; response: NotificationReplay }>("POST", "/api/v1/admin/events/{eventId}/notifications/replay"),
  /** POST /api/v1/admin/orders/{orderId}/refund: Refund an order, or only the named tickets, through Stripe (no body: the whole order) */
  refundOrder: op<{ params: { orderId: string }; body: RefundOrderBody; response: Refund }>("POST", "/api/v1/admin/orders/{orderId}/refund"),
  /** POST /api/v1/admin/orgs: Create an organization (team); its creator is its first owner */
  createOrg: op<{ body: CreateOrgBody; response: {
  orgId: string;
  name: string;
  createdBy: string;
  createdAt: string;
  members: Array<{
    orgId: string;
    email: string;
    role: "owner" | "manager" | "box_office" | "scanner";
    addedAt: string;
  }>;
} }>("POST", "/api/v1/admin/orgs"),
  /** POST /api/v1/admin/orgs/{orgId}/members: Invite a member by e-mail with a role (owner, manager, box_office, scanner), or change their role (200) */
  putOrgMember: op<{ params: { orgId: string }; body: PutOrgMemberBody; response: {
  orgId: string;
  email: string;
  role: "owner" | "manager" | "box_office" | "scanner";
  addedAt: string;
} }>("POST", "/api/v1/admin/orgs/{orgId}/members"),
  /** PUT /api/v1/admin/events/{eventId}/image: The event's image (JPEG, PNG or WebP, judged by its bytes, at most 5 MB), stored under its content hash */
  putEventImage: op<{ params: { eventId: string }; response: {
  eventId: string;
  imageUrl: string;
  version: number;
} }>("PUT", "/api/v1/admin/events/{eventId}/image"),
  /** GET /api/v1/admin/audit-log: Who did what, newest first: every organizer action (`?eventId=` one event's; `cursor` pages) */
  listAuditLog: op<{ query: { eventId?: string; cursor?: string; limit?: number }; response: {
  data: Array<{
    at: string;
    actor: string;
    actorEmail: string | null;
    action: string;
    target: string;
    targetType: string;
    eventId: string | null;
    details: Record<string, unknown>;
  }>;
  meta: { nextCursor: string | null };
} }>("GET", "/api/v1/admin/audit-log"),
  /** POST /api/v1/admin/events/{eventId}/kills: Take seats or GA places off sale with a reason (shown as `blocked`), through the room */
  createKill: op<{ params: { eventId: string }; body: CreateKillBody; response: {
  killId: string;
  eventId: string;
  seatIds: Array<string>;
  ga: Array<{ sectionId: string; quantity: number }>;
  reason: string;
  createdAt: string;
  version: number;
} }>("POST", "/api/v1/admin/events/{eventId}/kills"),
  /** DELETE /api/v1/admin/events/{eventId}/kills/{killId}: Put a kill's seats and places back on sale (the waitlist first) */
  deleteKill: op<{ params: { eventId: string; killId: string }; response: {
  killId: string;
  eventId: string;
  seatIds: Array<string>;
  ga: Array<{ sectionId: string; quantity: number }>;
  reason: string;
  createdAt: string;
  version: number;
} }>("DELETE", "/api/v1/admin/events/{eventId}/kills/{killId}"),
  /** POST /api/v1/admin/events/{eventId}/comps: Complimentary tickets: a free order for `email`, its tickets mailed */
  createComp: op<{ params: { eventId: string }; body: CreateCompBody; response: Order }>("POST", "/api/v1/admin/events/{eventId}/comps"),
  /** POST /api/v1/admin/events/{eventId}/vouchers: One voucher code, or `count` unique generated codes (presale codes), with their kind, value and use limit */
  createVouchers: op<{ params: { eventId: string }; body: CreateVouchersBody; response: {
  data: Array<{
    voucherId: string;
    eventId: string;
    code: string;
    kind: "percent" | "amount" | "price" | "unlock";
    value: number | null;
    maxUses: number;
    used: number;
    validFrom: string | null;
    validUntil: string | null;
    ticketTypes: Array<string> | null;
    sections: Array<string> | null;
    disabled: boolean;
    createdAt: string;
  }>;
} }>("POST", "/api/v1/admin/events/{eventId}/vouchers"),
  /** GET /api/v1/admin/events/{eventId}/vouchers: The event's vouchers with the uses each has taken (`used`) */
  listVouchers: op<{ params: { eventId: string }; response: {
  data: Array<{
    voucherId: string;
    eventId: string;
    code: string;
    kind: "percent" | "amount" | "price" | "unlock";
    value: number | null;
    maxUses: number;
    used: number;
    validFrom: string | null;
    validUntil: string | null;
    ticketTypes: Array<string> | null;
    sections: Array<string> | null;
    disabled: boolean;
    createdAt: string;
  }>;
} }>("GET", "/api/v1/admin/events/{eventId}/vouchers"),
  /** GET /api/v1/admin/events/{eventId}/price-steps: The dynamic price steps the event's rooms took, oldest first, each with its demand inputs */
  listPriceSteps: op<{ params: { eventId: string }; response: {
  data: Array<{
    sectionId: string;
    at: string;
    fromCents: number;
    toCents: number;
    score: number;
    inputs: { available: number; capacity: number; holdsPerMinute: number; queueLength: number; minutesLeft: number };
  }>;
} }>("GET", "/api/v1/admin/events/{eventId}/price-steps"),
  /** PATCH /api/v1/admin/vouchers/{voucherId}: Disables (or enables again) a voucher: holds made with it before keep their price */
  updateVoucher: op<{ params: { voucherId: string }; body: UpdateVoucherBody; response: {
  voucherId: string;
  eventId: string;
  code: string;
  kind: "percent" | "amount" | "price" | "unlock";
  value: number | null;
  maxUses: number;
  used: number;
  validFrom: string | null;
  validUntil: string | null;
  ticketTypes: Array<string> | null;
  sections: Array<string> | null;
  disabled: boolean;
  createdAt: string;
} }>("PATCH", "/api/v1/admin/vouchers/{voucherId}"),
  /** GET /api/v1/admin/events/{eventId}/orders: The event's orders with the buyer's e-mail, newest first (`q`: e-mail or order id; `status`; `cursor` pages) */
  listEventOrders: op<{ params: { eventId: string }; query: { q?: string; status?: "pending" | "confirmed" | "partially_refunded" | "failed" | "refunded" | "cancelled"; cursor?: string; limit?: number }; response: {
  data: Array<{
    orderId: string;
    orderNumber: string;
    invoiceNumber: number | null;
    eventId: string;
    status: "pending" | "confirmed" | "partially_refunded" | "failed" | "refunded" | "cancelled";
    email: string | null;
    userId: string;
    totalCents: number;
    refundedCents: number;
    currency: string;
    items: Array<{
      seatId?: string;
      sectionId?: string | null;
      quantity: number;
      priceCents: number;
      ticketType?: string;
      breakdown?: { baseCents: number; feesCents: number; taxCents: number };
    }>;
    tickets: Array<{
      ticketId: string;
      status: "valid" | "used" | "void" | "transferred";
      seatId: string | null;
      sectionId: string | null;
      firstScannedAt: string | null;
    }>;
    createdAt: string;
    updatedAt: string;
  }>;
  meta: { nextCursor: string | null };
} }>("GET", "/api/v1/admin/events/{eventId}/orders"),
  /** GET /api/v1/admin/events/{eventId}/orders.csv: The event's orders as CSV (RFC 4180, header row, streamed) */
  exportEventOrders: op<{ params: { eventId: string }; query: { q?: string; status?: "pending" | "confirmed" | "partially_refunded" | "failed" | "refunded" | "cancelled" }; response: unknown }>("GET", "/api/v1/admin/events/{eventId}/orders.csv"),
  /** GET /api/v1/admin/events/{eventId}/attendees.csv: The event's tickets with their buyers' e-mail as CSV (RFC 4180, header row, streamed) */
  exportEventAttendees: op<{ params: { eventId: string }; response: unknown }>("GET", "/api/v1/admin/events/{eventId}/attendees.csv"),
  /** POST /api/v1/auth/email: Mail a one-time sign-in link (15 minutes) to this address; 202 whether or not it has an account, 429 when asked too often */
  requestSignInLink: op<{ body: RequestSignInLinkBody; response: {
  sent: true;
} }>("POST", "/api/v1/auth/email"),
  /** POST /api/v1/auth/logout: End this browser's session */
  logout: op<{ response: unknown }>("POST", "/api/v1/auth/logout"),
  /** GET /api/v1/me: The signed-in user */
  getMe: op<{ response: {
  userId: string;
  email: string | null;
  roles: Array<string>;
} }>("GET", "/api/v1/me"),
  /** GET /api/v1/me/sessions: The signed-in user's sessions (`current` marks this one) */
  listMySessions: op<{ response: {
  data: Array<{ sessionId: string; createdAt: string; lastSeenAt: string; userAgent: string | null; current: boolean }>;
} }>("GET", "/api/v1/me/sessions"),
  /** DELETE /api/v1/me/sessions/{sessionId}: End one of the signed-in user's sessions; it is refused from then on */
  endMySession: op<{ params: { sessionId: string }; response: unknown }>("DELETE", "/api/v1/me/sessions/{sessionId}"),
  /** POST /api/v1/admin/users/{userId}/roles: Grant or withdraw an account's roles (admin) */
  changeUserRoles: op<{ params: { userId: string }; body: ChangeUserRolesBody; response: {
  userId: string;
  email: string;
  roles: Array<string>;
} }>("POST", "/api/v1/admin/users/{userId}/roles"),
};

export type OperationId = keyof typeof OPERATIONS;
export type Operations = { [K in OperationId]: ShapeOf<(typeof OPERATIONS)[K]> };
export type Args<K extends OperationId> = CallArgs<Operations[K]>;
export type ResponseOf<K extends OperationId> = Operations[K]["response"];
export const { urlFor, createClient } = clientFor(OPERATIONS);
