// Generated from the OpenAPI document (GET /api/v1/openapi.json) by src/http/client-gen.ts.
// Do not edit: test/domain/client-gen.test.ts fails when it is out of date, and with `--update` rewrites it
// from docs/openapi.json (which `npm run docs:api` rewrites).

export type Availability = "high" | "low" | "sold_out";

export type VenueSummary = {
  venueId: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  mapUrl: string | null;
};

export type SectionDefinition = {
  id: string;
  name: string;
  kind: "seated" | "ga";
  rows?: Array<{ label: string; seats: number; blocked?: Array<number> }>;
  capacity?: number;
};
export type Venue = VenueSummary & { id: string; sections: Array<SectionDefinition>; createdAt: string };
export type Breakdown = { baseCents: number; feesCents: number; taxCents: number };

export type TicketTypeView = {
  id: string;
  name: string;
  description?: string;
  prices: Record<string, number>;
  basePrices: Record<string, number>;
  quota?: number;
  minPerOrder?: number;
  maxPerOrder?: number;
  requiresVoucher?: boolean;
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
  limits: { perOrder: number; perUser: number };
  waitingRoom: {
    mode: "off" | "always" | "auto";
    admitPerMinute?: number | null;
    maxActive?: number | null;
    prequeueMinutes?: number | null;
    accessMinutes?: number | null;
  };
  minPriceCents: number | null;
  fromCents: number;
  rooms?: "event" | "section" | Array<Array<string>>;
  sections: Array<{
    id: string;
    name: string;
    kind: "seated" | "ga";
    priceCents: number;
    capacity: number;
    availability?: Availability;
  }>;
  ticketTypes: Array<TicketTypeView>;
  fees: Array<{ name: string; kind: "per_ticket" | "per_order" | "percent"; amount: number }>;
  tax: { name: string; ratePercent: number; included: boolean } | null;
  dynamic: Record<string, { floorCents: number; ceilingCents: number; maxStepPercent: number; everyMinutes: number }>;
  presales: Array<{ name: string; startsAt: string; endsAt: string }>;
  description: string | null;
  doorsAt: string | null;
  endsAt: string | null;
  ageRule: string | null;
  imageUrl: string | null;
  organizerId: string;
  orgId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type EventList = {
  data: Array<{
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
    limits: { perOrder: number; perUser: number };
    waitingRoom: {
      mode: "off" | "always" | "auto";
      admitPerMinute?: number | null;
      maxActive?: number | null;
      prequeueMinutes?: number | null;
      accessMinutes?: number | null;
    };
    minPriceCents: number | null;
    fromCents: number;
    rooms?: "event" | "section" | Array<Array<string>>;
    sections: Array<{
      id: string;
      name: string;
      kind: "seated" | "ga";
      priceCents: number;
      capacity: number;
      availability?: Availability;
    }>;
    ticketTypes: Array<TicketTypeView>;
    fees: Array<{ name: string; kind: "per_ticket" | "per_order" | "percent"; amount: number }>;
    tax: { name: string; ratePercent: number; included: boolean } | null;
    dynamic: Record<string, { floorCents: number; ceilingCents: number; maxStepPercent: number; everyMinutes: number }>;
    presales: Array<{ name: string; startsAt: string; endsAt: string }>;
    description: string | null;
    doorsAt: string | null;
    endsAt: string | null;
    ageRule: string | null;
    imageUrl: string | null;
    organizerId: string;
    orgId: string | null;
    createdAt: string;
    updatedAt: string;
    version: number;
    distanceKm?: number;
  }>;
  meta: {
    total: number;
    page: number;
    limit: number;
    facets: { category: Record<string, number>; city: Record<string, number>; month: Record<string, number> };
  };
};
export type OrganizerEventList = { data: Array<Event> };
export type SeatStatus = "available" | "held" | "sold" | "blocked";

export type SeatMap = {
  eventId: string;
  version: number;
  sections: Array<{
    id: string;
    name: string;
    kind: "seated" | "ga";
    priceCents: number;
    priceChangedAt?: string;
    available: number;
    capacity: number;
    seats?: Array<{ id: string; row: string; number: number; status: SeatStatus }>;
  }>;
};

export type LineItem = {
  seatId?: string;
  sectionId?: string | null;
  quantity: number;
  priceCents: number;
  ticketType?: string;
  breakdown?: Breakdown;
};
export type OrderFee = { priceCents: number; breakdown: Breakdown };

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
  orderFee?: OrderFee;
  voucher?: string;
};
export type HoldCreated = Hold & { version: number };

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
export type TicketList = { data: Array<Ticket> };
export type TransferredTicket = { ticketId: string; status: "transferred" };
export type OrderStatus = "pending" | "confirmed" | "partially_refunded" | "failed" | "refunded" | "cancelled";

export type Order = {
  orderId: string;
  orderNumber: string;
  invoiceNumber: number | null;
  status: OrderStatus;
  eventId: string;
  holdId: string;
  totalCents: number;
  refundedCents: number;
  currency: string;
  lastPaymentError?: string;
  items: Array<LineItem>;
  orderFee?: OrderFee;
  voucher?: string;
  tickets: Array<Ticket | TransferredTicket>;
  payment: { provider: "stripe"; paymentIntentId: string | null };
  createdAt: string;
  updatedAt: string;
};
export type OrderList = { data: Array<Order> };

export type Checkout = {
  orderId: string;
  status: "pending" | "confirmed";
  totalCents: number;
  currency: string;
  holdExpiresAt?: string;
  payment: { provider: "stripe"; clientSecret: string | null; paymentIntentId: string; simulated?: boolean } | null;
  payUrl?: string;
};
export type NotificationReplay = { eventId: string; requeued: number; dead: number };

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
export type CheckinCounts = { eventId: string; checkedIn: number; total: number };

export type Revocations = {
  eventId: string;
  since: string;
  until: string;
  ticketIds: Array<string>;
  revocations: Array<{ ticketId: string; voidedAt: string }>;
};

export type Challenge = {
  algorithm: "sha256-leading-zero-bits";
  nonce: string;
  difficulty: number;
  expiresAt: string;
  token: string;
  solveUrl: string;
};
export type ChallengeOffer = { challenge: Challenge };
export type Clearance = { clearance: string; expiresAt: string; header: "X-Clearance" };
export type Jwks = { keys: Array<{ kty: string; crv?: string; x?: string; kid?: string; alg?: string; use?: string }> };

export type WaitlistEntry = {
  waitlistId: string;
  eventId: string;
  sectionId: string | null;
  quantity: number;
  status: "waiting" | "offered" | "claimed" | "expired" | "left";
  position: number;
  joinedAt: string;
  offer?: { holdId: string; expiresAt: string; items: Array<LineItem>; totalCents: number; currency: string };
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
export type Outbox = { data: Array<OutboxMessage> };
export type Health = { ok: true };
export type Readiness = { ok: true } | { ok: false; failing: Array<"d1" | "room" | "queue" | "settings"> };
export type WebhookReceipt = { received: true; outcome: string };
export type PaySimulation = { orderId: string; status: OrderStatus };
export type BenchPing = { version: number };
export type BenchSoak = { version: number; holds: number; keys: number };
export type BenchRestart = { restarted: true };
export type OpenApi = { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> };

export type ErrorBody = {
  error: {
    code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "INVALID_SIGNATURE" | "SPANS_ROOMS" | "UNAUTHENTICATED" | "FORBIDDEN" | "QUEUE_REQUIRED" | "PRESALE_CODE_REQUIRED" | "CHALLENGE_REQUIRED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "SEATS_UNAVAILABLE" | "SOLD_OUT" | "NOT_ON_SALE" | "EXTENSION_LIMIT" | "HOLD_NOT_ACTIVE" | "VOUCHER_INVALID" | "CONFLICT" | "HOLD_EXPIRED" | "PRECONDITION_FAILED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "UPGRADE_REQUIRED" | "LIMIT_EXCEEDED" | "IDEMPOTENCY_MISMATCH" | "RATE_LIMITED" | "INTERNAL" | "PAYMENTS_UNAVAILABLE" | "OVERLOADED" | "WRONG_ROOM";
    message: string;
    issues?: Array<{ path: string; message: string }>;
    unavailableSeatIds?: Array<string>;
    alternatives?: Array<string>;
    available?: number;
    limit?: number;
    alreadyHeld?: number;
    queueUrl?: string;
    challenge?: Challenge;
  };
};

export type BooksAudit = {
  eventId: string;
  checkedAt: string;
  mismatches: Array<{
    kind: string;
    seatId?: string;
    sectionId?: string;
    orderId?: string;
    details: Record<string, unknown>;
  }>;
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
  holdsLastMinute: number;
  payments: { succeeded: number; failed: number };
  sections: Array<{ sectionId: string; name: string; capacity: number; available: number; held: number; sold: number }>;
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
    points: Array<{ at: string; orders: number; tickets: number; revenueCents: number }>;
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
  notifications: { sent: number; queued: number; retried: number; skipped: number; deadLettered: number };
  cancellation?: {
    done: boolean;
    ordersRefunded: number;
    ordersToRefund: number;
    paymentsToCancel: number;
    refundedCents: number;
    refunded: number;
    failed: Array<{ orderId: string; reason: string; retrying: boolean }>;
  };
  version: number;
  at: string;
};
