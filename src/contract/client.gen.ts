// Generated from the OpenAPI document (GET /api/v1/openapi.json) by src/http/client-gen.ts.
// Do not edit: `npm run docs:api` rewrites it, and a test fails when it is out of date.

export type Availability = "high" | "low" | "sold_out";

export type VenueSummary = {
  venueId: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
};

export type SectionDefinition = {
  id: string;
  name: string;
  kind: "seated" | "ga";
  rows?: Array<{
    label: string;
    seats: number;
    blocked?: Array<number>;
  }>;
  capacity?: number;
};

export type Venue = {
  venueId: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
  id: string;
  sections: Array<SectionDefinition>;
  createdAt: string;
};

export type EventStatus = "scheduled" | "on_sale" | "paused" | "sold_out" | "closed" | "cancelled";

export type Event = {
  eventId: string;
  id: string;
  title: string;
  category: string;
  artist: string | null;
  venueId: string;
  venue: VenueSummary;
  startsAt: string;
  onSaleAt: string;
  salesEndAt: string | null;
  currency: string;
  status: EventStatus;
  availability?: Availability;
  published: boolean;
  holdSeconds: number;
  extensions: number;
  paymentGraceSeconds: number;
  limits: {
    perOrder: number;
    perUser: number;
  };
  waitingRoom: {
    mode: "off" | "always" | "auto";
    admitPerMinute?: number | null;
    maxActive?: number | null;
    prequeueMinutes?: number | null;
    accessMinutes?: number | null;
  };
  minPriceCents: number | null;
  sections: Array<{
    id: string;
    name: string;
    kind: "seated" | "ga";
    priceCents: number;
    capacity: number;
    availability?: Availability;
  }>;
  presales: Array<{
    name: string;
    startsAt: string;
    endsAt: string;
  }>;
  organizerId: string;
  createdAt: string;
  updatedAt: string;
};

export type EventList = {
  data: Array<Event>;
  meta: {
    total: number;
    page: number;
    limit: number;
  };
};

export type OrganizerEventList = {
  data: Array<Event>;
};

export type SeatStatus = "available" | "held" | "sold" | "blocked";

export type SeatMap = {
  eventId: string;
  version: number;
  sections: Array<{
    id: string;
    name: string;
    kind: "seated" | "ga";
    priceCents: number;
    available: number;
    capacity: number;
    seats?: Array<{
      id: string;
      row: string;
      number: number;
      status: SeatStatus;
    }>;
  }>;
};

export type LineItem = {
  seatId?: string;
  sectionId?: string | null;
  quantity: number;
  priceCents: number;
};

export type Hold = {
  holdId: string;
  eventId: string;
  status: "held" | "checkout" | "purchased" | "expired" | "released";
  items: Array<LineItem>;
  totalCents: number;
  currency: string;
  expiresAt: string;
  createdAt: string;
  extensionsUsed: number;
};

export type HoldCreated = {
  holdId: string;
  eventId: string;
  status: "held" | "checkout" | "purchased" | "expired" | "released";
  items: Array<LineItem>;
  totalCents: number;
  currency: string;
  expiresAt: string;
  createdAt: string;
  extensionsUsed: number;
  version: number;
};

export type Ticket = {
  ticketId: string;
  orderId: string;
  eventId: string;
  seatId?: string;
  sectionId?: string | null;
  status: "valid" | "used" | "void";
  code?: string;
  qrSvgUrl?: string;
  issuedAt?: string;
};

export type TicketList = {
  data: Array<Ticket>;
};

export type TransferredTicket = {
  ticketId: string;
  status: "transferred";
};

export type OrderStatus = "pending" | "confirmed" | "partially_refunded" | "failed" | "refunded" | "cancelled";

export type Order = {
  orderId: string;
  status: OrderStatus;
  eventId: string;
  holdId: string;
  totalCents: number;
  refundedCents: number;
  currency: string;
  lastPaymentError?: string;
  items: Array<LineItem>;
  tickets: Array<Ticket | TransferredTicket>;
  payment: {
    provider: "stripe";
    paymentIntentId: string | null;
  };
  createdAt: string;
  updatedAt: string;
};

export type OrderList = {
  data: Array<Order>;
};

export type Checkout = {
  orderId: string;
  status: "pending" | "confirmed";
  totalCents: number;
  currency: string;
  holdExpiresAt?: string;
  payment: {
    provider: "stripe";
    clientSecret: string | null;
    paymentIntentId: string;
    simulated?: boolean;
  } | null;
  payUrl?: string;
};

export type Refund = {
  orderId: string;
  status: OrderStatus;
  refundedCents: number;
  totalCents: number;
  currency: string;
  refundId?: string;
};

export type QueueState = {
  eventId: string;
  queueToken: string;
  opensAt: string;
  state: "waiting" | "admitted" | "sold_out" | "closed";
  position: number;
  ahead: number;
  estimatedWaitSeconds: number;
  pollAfterSeconds: number;
  accessToken?: string;
  accessExpiresAt?: string;
  reason?: string;
};

export type CheckinResult = {
  result: "admitted" | "already_used" | "void" | "invalid" | "wrong_event";
  ticketId?: string;
  firstScannedAt?: string;
  seatId?: string;
  sectionId?: string;
};

export type Revocations = {
  eventId: string;
  since: string;
  until: string;
  ticketIds: Array<string>;
  revocations: Array<{
    ticketId: string;
    voidedAt: string;
  }>;
};

export type Challenge = {
  algorithm: "sha256-leading-zero-bits";
  nonce: string;
  difficulty: number;
  expiresAt: string;
  token: string;
  solveUrl: string;
};

export type ChallengeOffer = {
  challenge: Challenge;
};

export type Clearance = {
  clearance: string;
  expiresAt: string;
  header: "X-Clearance";
};

export type Jwks = {
  keys: Array<{
    kty: string;
    crv?: string;
    x?: string;
    kid?: string;
  }>;
};

export type WaitlistEntry = {
  waitlistId: string;
  eventId: string;
  sectionId: string | null;
  quantity: number;
  status: "waiting" | "offered" | "claimed" | "expired" | "left";
  position: number;
  joinedAt: string;
  offer?: {
    holdId: string;
    expiresAt: string;
    items: Array<LineItem>;
    totalCents: number;
    currency: string;
  };
};

export type OutboxMessage = {
  messageId: string;
  to: string;
  kind: string;
  subject: string;
  text: string;
  orderId?: string;
  eventId?: string;
  createdAt: string;
};

export type Outbox = {
  data: Array<OutboxMessage>;
};

export type Health = {
  ok: true;
};

export type WebhookReceipt = {
  received: true;
  outcome: string;
};

export type PaySimulation = {
  orderId: string;
  status: OrderStatus;
};

export type BenchPing = {
  version: number;
};

export type BenchSoak = {
  version: number;
  holds: number;
  keys: number;
};

export type BenchRestart = {
  restarted: true;
};

export type OpenApi = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, unknown>;
};

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    issues?: Array<{
      path: string;
      message: string;
    }>;
  };
};

export type EventStats = {
  eventId: string;
  sold: number;
  held: number;
  available: number;
  capacity: number;
  revenueCents: number;
  currency: string;
  holdsActive: number;
  holdsCreated: number;
  holdsExpired: number;
  holdsReleased: number;
  holdsPurchased: number;
  conversion: number;
  queueLength: number;
  admitted: number;
  queue: {
    mode: "off" | "always" | "auto";
    active: boolean;
    joined: number;
    waiting: number;
    admitted: number;
    admitPerMinute: number;
    admittedLastMinute: number;
    activeShoppers: number;
  };
  sales: {
    bucketSeconds: number;
    points: Array<{
      at: string;
      orders: number;
      tickets: number;
      revenueCents: number;
    }>;
  };
  waitlist: {
    waiting: number;
    lengths: Record<string, number>;
    joined: number;
    offersMade: number;
    offersClaimed: number;
    offersExpired: number;
    left: number;
  };
  notifications: {
    sent: number;
    queued: number;
    retried: number;
    skipped: number;
    deadLettered: number;
  };
  cancellation?: {
    done: boolean;
    ordersRefunded: number;
    ordersToRefund: number;
    paymentsToCancel: number;
    refundedCents: number;
  };
  version: number;
  at: string;
};

export interface Operations {
  /** GET /healthz: Liveness */
  getHealth: {
    response: Health;
  };
  /** GET /api/v1/openapi.json: This OpenAPI document */
  getOpenApi: {
    response: OpenApi;
  };
  /** GET /docs: This API reference as HTML */
  getDocs: {
    response: unknown;
  };
  /** GET /api/v1/events: Search published events */
  searchEvents: {
    query: { q?: string; category?: string; city?: string; from?: string | string; to?: string | string; maxPriceCents?: number; page?: number; limit?: number };
    response: EventList;
  };
  /** GET /api/v1/events/{eventId}: Event detail */
  getEvent: {
    params: { eventId: string };
    response: Event;
  };
  /** GET /api/v1/events/{eventId}/seats: Live seat map and section availability (at most a second old) */
  getSeatMap: {
    params: { eventId: string };
    query: { section?: string; minVersion?: number };
    response: SeatMap;
  };
  /** GET /api/v1/events/{eventId}/live: Live seat map: WebSocket upgrade (snapshot, then deltas; send resume) */
  openLiveSeatMap: {
    params: { eventId: string };
    response: unknown;
  };
  /** POST /api/v1/events/{eventId}/queue: Join the waiting room (or present a queue token again as Bearer to keep the place) */
  joinQueue: {
    params: { eventId: string };
    response: QueueState;
  };
  /** GET /api/v1/events/{eventId}/queue: Poll the waiting room with the queue token as Bearer */
  pollQueue: {
    params: { eventId: string };
    response: QueueState;
  };
  /** POST /api/v1/events/{eventId}/holds: Hold seats and/or GA tickets, all or nothing */
  createHold: {
    params: { eventId: string };
    body: {
      seatIds?: Array<string>;
      ga?: Array<{
        sectionId: string;
        quantity: number;
      }>;
      presaleCode?: string;
    };
    response: HoldCreated;
  };
  /** GET /api/v1/holds/{holdId}: A hold (owner) */
  getHold: {
    params: { holdId: string };
    response: Hold;
  };
  /** DELETE /api/v1/holds/{holdId}: Release a hold (owner): its seats are available at once */
  releaseHold: {
    params: { holdId: string };
    response: Hold;
  };
  /** POST /api/v1/holds/{holdId}/extend: Extend a hold (owner), as often as the event allows */
  extendHold: {
    params: { holdId: string };
    response: Hold;
  };
  /** POST /api/v1/holds/{holdId}/checkout: Start payment: one order and one PaymentIntent per hold (a free hold is confirmed at once) */
  checkout: {
    params: { holdId: string };
    response: Checkout;
  };
  /** GET /api/v1/orders/{orderId}: An order with its tickets (owner) */
  getOrder: {
    params: { orderId: string };
    response: Order;
  };
  /** GET /api/v1/me/orders: My orders */
  listMyOrders: {
    response: OrderList;
  };
  /** POST /webhooks/stripe: Stripe's signed events (raw body, verified with Stripe-Signature) */
  receiveStripeEvent: {
    body: Record<string, unknown>;
    response: WebhookReceipt;
  };
  /** GET /api/v1/me/tickets: The tickets I hold */
  listMyTickets: {
    response: TicketList;
  };
  /** GET /api/v1/tickets/{ticketId}: A ticket (owner) */
  getTicket: {
    params: { ticketId: string };
    response: Ticket;
  };
  /** GET /api/v1/tickets/{ticketId}/qr.svg: The ticket's code as a QR code (SVG) */
  getTicketQr: {
    params: { ticketId: string };
    response: unknown;
  };
  /** POST /api/v1/tickets/{ticketId}/transfer: Give a ticket to someone: the old code is void */
  transferTicket: {
    params: { ticketId: string };
    body: {
      toUserId: string;
    };
    response: Ticket;
  };
  /** POST /api/v1/checkin: Scan a ticket at the venue */
  checkIn: {
    body: {
      eventId: string;
      code: string;
      scanId?: string;
      deviceId?: string;
    };
    response: CheckinResult;
  };
  /** GET /api/v1/events/{eventId}/revocations: Tickets voided since a time, for offline scanners */
  listRevocations: {
    params: { eventId: string };
    query: { since?: string };
    response: Revocations;
  };
  /** GET /.well-known/jwks.json: Public keys that verify ticket codes offline */
  getTicketKeys: {
    response: Jwks;
  };
  /** GET /api/v1/challenge: A proof-of-work challenge, for clients that want one in advance */
  getChallenge: {
    response: ChallengeOffer;
  };
  /** POST /api/v1/challenge: Trade a solved challenge for a clearance (send it back as X-Clearance) */
  solveChallenge: {
    body: {
      token: string;
      solution: string;
    };
    response: Clearance;
  };
  /** POST /api/v1/events/{eventId}/waitlist: Join the event's waitlist (joining again answers the same entry, 200) */
  joinWaitlist: {
    params: { eventId: string };
    body: {
      sectionId?: string | null;
      quantity: number;
    };
    response: WaitlistEntry;
  };
  /** GET /api/v1/events/{eventId}/waitlist/me: My place on the waitlist, and my offer when I have one */
  getMyWaitlistEntry: {
    params: { eventId: string };
    response: WaitlistEntry;
  };
  /** DELETE /api/v1/events/{eventId}/waitlist/me: Leave the waitlist */
  leaveWaitlist: {
    params: { eventId: string };
    response: WaitlistEntry;
  };
  /** POST /api/v1/admin/venues: Create a venue with its seat map */
  createVenue: {
    body: {
      name: string;
      city: string;
      country: string;
      timezone: string;
      sections: Array<{
        id: string;
        name: string;
        kind: "seated";
        rows: Array<{
          label: string;
          seats: number;
          blocked?: Array<number>;
        }>;
      } | {
        id: string;
        name: string;
        kind: "ga";
        capacity: number;
      }>;
    };
    response: Venue;
  };
  /** GET /api/v1/admin/venues/{venueId}: A venue (owner) */
  getVenue: {
    params: { venueId: string };
    response: Venue;
  };
  /** GET /api/v1/admin/events: The organizer's events, drafts included */
  listOrganizerEvents: {
    response: OrganizerEventList;
  };
  /** POST /api/v1/admin/events: Create an event */
  createEvent: {
    body: {
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
      limits?: {
        perOrder: number;
        perUser: number;
      };
      waitingRoom?: {
        mode: "off" | "always" | "auto";
        admitPerMinute?: number;
        maxActive?: number;
        prequeueMinutes?: number;
        accessMinutes?: number;
      };
      presales?: Array<{
        name: string;
        code: string;
        startsAt: string;
        endsAt: string;
      }>;
      waitlistOfferMinutes?: number;
      publish?: boolean;
    };
    response: Event;
  };
  /** GET /api/v1/admin/events/{eventId}: An event of the organizer, drafts included */
  getOrganizerEvent: {
    params: { eventId: string };
    response: Event;
  };
  /** PATCH /api/v1/admin/events/{eventId}: Edit, publish, pause, resume or cancel an event */
  updateEvent: {
    params: { eventId: string };
    body: {
      action?: "publish" | "pause" | "resume" | "cancel";
      status?: "published" | "on_sale" | "paused" | "cancelled";
      publish?: true;
      title?: string;
      category?: string;
      artist?: string;
      startsAt?: string;
      onSaleAt?: string;
      salesEndAt?: string;
      currency?: string;
      prices?: Record<string, number>;
      holdSeconds?: number;
      extensions?: number;
      paymentGraceSeconds?: number;
      limits?: {
        perOrder: number;
        perUser: number;
      };
      waitingRoom?: {
        mode: "off" | "always" | "auto";
        admitPerMinute?: number;
        maxActive?: number;
        prequeueMinutes?: number;
        accessMinutes?: number;
      };
      presales?: Array<{
        name: string;
        code: string;
        startsAt: string;
        endsAt: string;
      }>;
      waitlistOfferMinutes?: number;
    };
    response: Event;
  };
  /** GET /api/v1/admin/events/{eventId}/stats: Live sales figures, the waiting room's length and admissions, sales over time */
  getEventStats: {
    params: { eventId: string };
    response: EventStats;
  };
  /** POST /api/v1/admin/orders/{orderId}/refund: Refund an order, or only the named tickets, through Stripe (no body: the whole order) */
  refundOrder: {
    params: { orderId: string };
    body: {
      ticketIds?: Array<string>;
    };
    response: Refund;
  };
  /** POST /api/v1/bench/events/{eventId}/ping: The benchmark's ceiling: the hold route's edge path and one no-op room round trip */
  benchPing: {
    params: { eventId: string };
    body: {
      seatIds?: Array<string>;
      ga?: Array<{
        sectionId: string;
        quantity: number;
      }>;
      presaleCode?: string;
    };
    response: BenchPing;
  };
  /** POST /api/v1/bench/events/{eventId}/soak: bench:soak: make and expire one-ticket holds in the room, then report what memory keeps */
  benchSoak: {
    params: { eventId: string };
    body: {
      sectionId: string;
      count: number;
    };
    response: BenchSoak;
  };
  /** POST /api/v1/bench/events/{eventId}/restart: bench:soak: drop the room's memory, as an eviction would */
  benchRestart: {
    params: { eventId: string };
    response: BenchRestart;
  };
  /** POST /pay/{orderId}: Simulated payment: signs a payment_intent event and delivers it to /webhooks/stripe */
  simulatePayment: {
    params: { orderId: string };
    body: {
      result?: "succeed" | "fail";
    };
    response: PaySimulation;
  };
  /** GET /api/v1/dev/outbox: Notifications kept by the outbox provider, newest first (`?to=<email>&limit=`) */
  listOutbox: {
    response: Outbox;
  };
}

/** Method and path of each operation (OperationId → [method, path]). */
export const OPERATIONS = {
  getHealth: ["GET", "/healthz"],
  getOpenApi: ["GET", "/api/v1/openapi.json"],
  getDocs: ["GET", "/docs"],
  searchEvents: ["GET", "/api/v1/events"],
  getEvent: ["GET", "/api/v1/events/{eventId}"],
  getSeatMap: ["GET", "/api/v1/events/{eventId}/seats"],
  openLiveSeatMap: ["GET", "/api/v1/events/{eventId}/live"],
  joinQueue: ["POST", "/api/v1/events/{eventId}/queue"],
  pollQueue: ["GET", "/api/v1/events/{eventId}/queue"],
  createHold: ["POST", "/api/v1/events/{eventId}/holds"],
  getHold: ["GET", "/api/v1/holds/{holdId}"],
  releaseHold: ["DELETE", "/api/v1/holds/{holdId}"],
  extendHold: ["POST", "/api/v1/holds/{holdId}/extend"],
  checkout: ["POST", "/api/v1/holds/{holdId}/checkout"],
  getOrder: ["GET", "/api/v1/orders/{orderId}"],
  listMyOrders: ["GET", "/api/v1/me/orders"],
  receiveStripeEvent: ["POST", "/webhooks/stripe"],
  listMyTickets: ["GET", "/api/v1/me/tickets"],
  getTicket: ["GET", "/api/v1/tickets/{ticketId}"],
  getTicketQr: ["GET", "/api/v1/tickets/{ticketId}/qr.svg"],
  transferTicket: ["POST", "/api/v1/tickets/{ticketId}/transfer"],
  checkIn: ["POST", "/api/v1/checkin"],
  listRevocations: ["GET", "/api/v1/events/{eventId}/revocations"],
  getTicketKeys: ["GET", "/.well-known/jwks.json"],
  getChallenge: ["GET", "/api/v1/challenge"],
  solveChallenge: ["POST", "/api/v1/challenge"],
  joinWaitlist: ["POST", "/api/v1/events/{eventId}/waitlist"],
  getMyWaitlistEntry: ["GET", "/api/v1/events/{eventId}/waitlist/me"],
  leaveWaitlist: ["DELETE", "/api/v1/events/{eventId}/waitlist/me"],
  createVenue: ["POST", "/api/v1/admin/venues"],
  getVenue: ["GET", "/api/v1/admin/venues/{venueId}"],
  listOrganizerEvents: ["GET", "/api/v1/admin/events"],
  createEvent: ["POST", "/api/v1/admin/events"],
  getOrganizerEvent: ["GET", "/api/v1/admin/events/{eventId}"],
  updateEvent: ["PATCH", "/api/v1/admin/events/{eventId}"],
  getEventStats: ["GET", "/api/v1/admin/events/{eventId}/stats"],
  refundOrder: ["POST", "/api/v1/admin/orders/{orderId}/refund"],
  benchPing: ["POST", "/api/v1/bench/events/{eventId}/ping"],
  benchSoak: ["POST", "/api/v1/bench/events/{eventId}/soak"],
  benchRestart: ["POST", "/api/v1/bench/events/{eventId}/restart"],
  simulatePayment: ["POST", "/pay/{orderId}"],
  listOutbox: ["GET", "/api/v1/dev/outbox"],
} as const;

export type OperationId = keyof Operations;
type Op<K extends OperationId> = Operations[K];
type Params<K extends OperationId> = Op<K> extends { params: infer P } ? { params: P } : { params?: undefined };
type Body<K extends OperationId> = Op<K> extends { body: infer B } ? { body: B } : { body?: undefined };
type Query<K extends OperationId> = Op<K> extends { query: infer Q } ? { query?: Q } : { query?: undefined };
/** What a call takes: path parameters and body where the operation has them, an optional query, extra headers. */
export type Args<K extends OperationId> = Params<K> & Body<K> & Query<K> & { headers?: Record<string, string> };
export type ResponseOf<K extends OperationId> = Op<K>["response"];

export interface ApiErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}
export type Answer<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody["error"]; headers: Headers };

/** The path of an operation with its parameters and query filled in. */
export function urlFor<K extends OperationId>(operation: K, args: Args<K>): string {
  const [, template] = OPERATIONS[operation];
  // Object(): the generic parameter and query types, read as plain records.
  const params: Record<string, unknown> = Object(args.params);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? "")));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries<unknown>(Object(args.query))) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

export interface ClientOptions {
  /** Where the API is: `https://tickets.example`; empty for the page's own origin. */
  baseUrl?: string;
  /** A bearer token (user or queue token), or a function that returns the current one. */
  token?: string | (() => string | undefined);
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A client for every operation: `client("getEvent", { params: { eventId } })` answers
 * `{ ok: true, data: Event }` or `{ ok: false, error: { code, message, ... } }`. The data is
 * typed by the document and not checked at run time; parse it where you do not trust the server.
 */
export function createClient(options: ClientOptions = {}) {
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async function call<K extends OperationId>(operation: K, args: Args<K>): Promise<Answer<ResponseOf<K>>> {
    const [method] = OPERATIONS[operation];
    const token = typeof options.token === "function" ? options.token() : options.token;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers, ...args.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (args.body !== undefined) headers["content-type"] = "application/json";
    const response = await send(`${options.baseUrl ?? ""}${urlFor(operation, args)}`, {
      method,
      headers,
      body: args.body === undefined ? undefined : JSON.stringify(args.body),
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (response.ok) return { ok: true, status: response.status, data: body as ResponseOf<K>, headers: response.headers };
    const error = (body as ApiErrorBody | undefined)?.error ?? { code: "UNKNOWN", message: response.statusText };
    return { ok: false, status: response.status, error, headers: response.headers };
  };
}
