import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Times are integer milliseconds since the epoch (UTC); money is integer minor units. */

export const venues = sqliteTable("venues", {
  id: text("id").primaryKey(),
  organizerId: text("organizer_id").notNull(),
  name: text("name").notNull(),
  city: text("city").notNull(),
  country: text("country").notNull(),
  timezone: text("timezone").notNull(),
  /** A postal address as one text (lines joined by ", "), for the event page and its map link. */
  address: text("address"),
  /** WGS 84 degrees; both or neither. */
  lat: real("lat"),
  lon: real("lon"),
  createdAt: integer("created_at").notNull(),
});

export const sections = sqliteTable(
  "sections",
  {
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    id: text("id").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["seated", "ga"] }).notNull(),
    capacity: integer("capacity").notNull(),
    /** Seated sections: [{label, seats, blocked?}] in display order. */
    rowsJson: text("rows_json").notNull().default("[]"),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.id] })],
);

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    organizerId: text("organizer_id").notNull(),
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    title: text("title").notNull(),
    category: text("category").notNull(),
    artist: text("artist"),
    startsAt: integer("starts_at").notNull(),
    onSaleAt: integer("on_sale_at").notNull(),
    salesEndAt: integer("sales_end_at"),
    currency: text("currency").notNull(),
    holdSeconds: integer("hold_seconds").notNull(),
    extensions: integer("extensions").notNull(),
    paymentGraceSeconds: integer("payment_grace_seconds").notNull(),
    perOrder: integer("per_order").notNull(),
    perUser: integer("per_user").notNull(),
    waitingRoomMode: text("waiting_room_mode", { enum: ["off", "always", "auto"] }).notNull(),
    admitPerMinute: integer("admit_per_minute").notNull(),
    maxActive: integer("max_active").notNull(),
    prequeueMinutes: integer("prequeue_minutes").notNull(),
    accessMinutes: integer("access_minutes").notNull(),
    /** How long a waitlist offer (a hold owned by the next fan in line) stands. */
    waitlistOfferMinutes: integer("waitlist_offer_minutes").notNull().default(15),
    /** The event's split into rooms as JSON (`"section"` or groups); null: one room (`"event"`). */
    roomsJson: text("rooms_json"),
    /** What a fan reads about the event (plain text, shown escaped), doors and end, and its age rule. */
    description: text("description"),
    doorsAt: integer("doors_at"),
    endsAt: integer("ends_at"),
    ageRule: text("age_rule"),
    /** The organization (team) the event belongs to; null: its creator's alone. */
    orgId: text("org_id"),
    /** The event's image in R2 (`MEDIA`): `events/<eventId>/<sha-256>.<ext>`, so its URL changes with it. */
    imageKey: text("image_key"),
    state: text("state", { enum: ["draft", "published", "paused", "cancelled"] }).notNull(),
    /** Lower-cased title, artist, venue and city: what `q` searches. */
    searchText: text("search_text").notNull(),
    /** The cheapest single ticket all-in (catalog "from" and maxPriceCents). */
    minPriceCents: integer("min_price_cents").notNull(),
    /** Ticket types, fees, tax and dynamic bounds (src/contract/pricing-requests.ts); `{}`: section prices only. */
    pricingJson: text("pricing_json").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Grows by one with every stored change: an organizer's edit names the version it was made from. */
    version: integer("version").notNull().default(1),
  },
  (t) => [index("events_state_starts").on(t.state, t.startsAt), index("events_organizer").on(t.organizerId)],
);

export const prices = sqliteTable(
  "prices",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    sectionId: text("section_id").notNull(),
    priceCents: integer("price_cents").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.sectionId] })],
);

export const presales = sqliteTable(
  "presales",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    name: text("name").notNull(),
    code: text("code").notNull(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
  },
  (t) => [index("presales_event").on(t.eventId)],
);

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    eventId: text("event_id").notNull(),
    holdId: text("hold_id").notNull(),
    status: text("status", {
      enum: ["pending", "confirmed", "partially_refunded", "failed", "refunded", "cancelled"],
    }).notNull(),
    totalCents: integer("total_cents").notNull(),
    /** What has been refunded so far: Stripe's `amount_refunded`, or the tickets an organizer refunded. */
    refundedCents: integer("refunded_cents").notNull().default(0),
    currency: text("currency").notNull(),
    paymentIntentId: text("payment_intent_id"),
    /** The last declined card's message; the order stays pending while its hold lasts. */
    lastPaymentError: text("last_payment_error"),
    /** The buyer's `email` claim at checkout: where this order's notifications go (none = no mail). */
    email: text("email"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** A cancelled event's refund of this order that failed: why (Stripe's message), how often, when to try again. */
    refundFailure: text("refund_failure"),
    refundAttempts: integer("refund_attempts").notNull().default(0),
    /** Not before this time is the refund tried again; null: due now. A refusal for good is dead-lettered (never). */
    refundRetryAt: integer("refund_retry_at"),
    /** What people read and say (`ORD-7K3P-9QX2`, src/domain/order-numbers.ts); unique. */
    orderNumber: text("order_number"),
    /** The organizer's gap-free invoice sequence (src/db/schema-pricing.ts), set when the order is paid. */
    invoiceNumber: integer("invoice_number"),
    /** The hold's per-order fee (`{priceCents, breakdown}` JSON) and voucher, for the receipt. */
    orderFeeJson: text("order_fee_json"),
    voucherCode: text("voucher_code"),
  },
  (t) => [
    uniqueIndex("orders_hold").on(t.holdId),
    uniqueIndex("orders_number").on(t.orderNumber),
    uniqueIndex("orders_payment_intent").on(t.paymentIntentId),
    index("orders_user").on(t.userId, t.createdAt),
    index("orders_event_status").on(t.eventId, t.status, t.createdAt),
  ],
);

export const orderItems = sqliteTable(
  "order_items",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    seatId: text("seat_id"),
    sectionId: text("section_id"),
    quantity: integer("quantity").notNull(),
    priceCents: integer("price_cents").notNull(),
    /** The line's type and one ticket's breakdown as the hold priced it (null: before pricing). */
    ticketType: text("ticket_type"),
    baseCents: integer("base_cents"),
    feesCents: integer("fees_cents"),
    taxCents: integer("tax_cents"),
  },
  (t) => [index("order_items_order").on(t.orderId)],
);

export const tickets = sqliteTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    eventId: text("event_id").notNull(),
    userId: text("user_id").notNull(),
    seatId: text("seat_id"),
    sectionId: text("section_id"),
    status: text("status", { enum: ["valid", "used", "void"] }).notNull(),
    code: text("code").notNull(),
    version: integer("version").notNull(),
    issuedAt: integer("issued_at").notNull(),
    voidedAt: integer("voided_at"),
    /** The ticket this one replaced (transfer). */
    replacesId: text("replaces_id"),
    /** The ticket that replaced this one: set in the same statement that voids it. */
    replacedById: text("replaced_by_id"),
    firstScannedAt: integer("first_scanned_at"),
  },
  (t) => [
    index("tickets_user").on(t.userId),
    index("tickets_order").on(t.orderId),
    index("tickets_event_voided").on(t.eventId, t.voidedAt),
  ],
);

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    provider: text("provider").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("payments_order").on(t.orderId)],
);

export const processedWebhookEvents = sqliteTable("processed_webhook_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  processedAt: integer("processed_at").notNull(),
});

export const checkins = sqliteTable(
  "checkins",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id").notNull(),
    eventId: text("event_id").notNull(),
    scanId: text("scan_id"),
    deviceId: text("device_id"),
    result: text("result").notNull(),
    scannedAt: integer("scanned_at").notNull(),
  },
  (t) => [index("checkins_ticket").on(t.ticketId), uniqueIndex("checkins_scan").on(t.scanId)],
);

/** Small named counters; `catalog` is bumped on every organizer change so cached lists miss. */
export const generations = sqliteTable("generations", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

/**
 * Ed25519 ticket-signing keys generated when TICKET_SIGNING_KEY is not set (local development),
 * kept so that codes stay valid across restarts; their public halves are published in the JWKS.
 */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  name: text("name").notNull().unique(),
  privateJwk: text("private_jwk").notNull(),
  publicJwk: text("public_jwk").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * One row per notification, keyed by kind and the thing it concerns (`order_confirmed:ord_1`):
 * the dedupe record that makes a message go out at most once however often its cause repeats,
 * and the organizer's count of what was sent, retried and dead-lettered.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    dedupeKey: text("dedupe_key").primaryKey(),
    kind: text("kind").notNull(),
    eventId: text("event_id").notNull(),
    /** The message as enqueued (JSON), so a dead-lettered one can be read and replayed. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["queued", "sending", "sent", "skipped", "dead"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("notifications_event_status").on(t.eventId, t.status), index("notifications_status").on(t.status)],
);

/** EMAIL_PROVIDER=outbox: messages kept here instead of sent (local development, tests). */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: text("id").primaryKey(),
    to: text("to_address").notNull(),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    orderId: text("order_id"),
    eventId: text("event_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("outbox_to_created").on(t.to, t.createdAt), index("outbox_created").on(t.createdAt)],
);

/**
 * What the catalog shows of an event's live availability, pushed by its room when a section's
 * level changes (never a room call per listing). `sectionsJson`: [{id, available, level}].
 */
export const eventAvailability = sqliteTable("event_availability", {
  eventId: text("event_id").primaryKey(),
  level: text("level", { enum: ["high", "low", "sold_out"] }).notNull(),
  soldOut: integer("sold_out").notNull(),
  sectionsJson: text("sections_json").notNull(),
  /** The room's inventory version it was computed at: an older push never overwrites a newer one. */
  version: integer("version").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Every organizer action (create, edit, cancel, refund, kill, comp, role change), who did it and
 * when: append-only (triggers in the migration refuse UPDATE and DELETE). `ownerId` is the
 * organizer (or organization) the target belongs to, which decides who may read the entry.
 * `seq` orders entries and is the listing's cursor.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    target: text("target").notNull(),
    eventId: text("event_id"),
    ownerId: text("owner_id").notNull(),
    detailsJson: text("details_json").notNull().default("{}"),
  },
  (t) => [index("audit_log_event").on(t.eventId, t.seq), index("audit_log_owner").on(t.ownerId, t.seq)],
);

// ---------------------------------------------------------------- accounts

/** A fan's or staff member's account, made on the first verified sign-in; the e-mail is the verified one. */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Lower-cased. */
    email: text("email").notNull(),
    /** Granted roles beyond `customer` (JSON array): `organizer`, `scanner`, `admin`. */
    rolesJson: text("roles_json").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("users_email").on(t.email)],
);

/** A signed-in browser. Only the SHA-256 of the cookie's value is kept; deleting the row ends it at once. */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    /** The public handle (`GET /me/sessions`, `DELETE /me/sessions/:sessionId`), not the secret. */
    sessionId: text("session_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [uniqueIndex("sessions_session_id").on(t.sessionId), index("sessions_user").on(t.userId, t.createdAt)],
);

/** One-time sign-in links: only the SHA-256 of the link's token is kept; `usedAt` makes it one use. */
export const signInTokens = sqliteTable(
  "sign_in_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    email: text("email").notNull(),
    /** A same-site path to go to after signing in, checked when the link was asked for. */
    next: text("next"),
    /** Who asked (the client's address key): the per-client rate limit counts these. */
    clientKey: text("client_key").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    index("sign_in_tokens_email").on(t.email, t.createdAt),
    index("sign_in_tokens_client").on(t.clientKey, t.createdAt),
  ],
);

/** Vouchers and invoice numbers. */
export * from "./schema-pricing";
/** Single sign-on attempts (their own file: this one is near its size limit). */
export * from "./schema-sso";
export * from "./schema-teams";
