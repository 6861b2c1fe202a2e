import * as z from "zod/mini";
import { ERROR_CODES } from "../../domain/error-codes";

/**
 * The API's answers as the pages read them (fields from docs/API.md). Loose objects: the
 * server may add fields; the pages check only what they use.
 */

export const ApiErrorBody = z.looseObject({
  error: z.looseObject({ code: z.enum(ERROR_CODES), message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const Challenge = z.looseObject({
  algorithm: z.string(),
  nonce: z.string(),
  difficulty: z.int().check(z.minimum(0), z.maximum(64)),
  expiresAt: z.string(),
  token: z.string(),
  solveUrl: z.string().check(z.startsWith("/")),
});
export type Challenge = z.infer<typeof Challenge>;

export const Clearance = z.looseObject({ clearance: z.string(), expiresAt: z.string() });

const Breakdown = z.object({ baseCents: z.int(), feesCents: z.int(), taxCents: z.int() });

export const HoldItem = z.looseObject({
  seatId: z.optional(z.string()),
  sectionId: z.optional(z.string()),
  quantity: z.int(),
  priceCents: z.int(),
  ticketType: z.optional(z.string()),
  breakdown: z.optional(Breakdown),
});

export const Hold = z.looseObject({
  holdId: z.string(),
  eventId: z.string(),
  status: z.enum(["held", "checkout", "purchased", "expired", "released"]),
  items: z.array(HoldItem),
  totalCents: z.int(),
  currency: z.string(),
  expiresAt: z.string(),
  orderFee: z.optional(z.object({ priceCents: z.int(), breakdown: Breakdown })),
  voucher: z.optional(z.string()),
});
export type Hold = z.infer<typeof Hold>;

export const Checkout = z.looseObject({
  orderId: z.string(),
  status: z.string(),
  /** null for a free order: it is confirmed at checkout. */
  payment: z.nullable(z.looseObject({ clientSecret: z.optional(z.string()), paymentIntentId: z.optional(z.string()) })),
});

export const QueueView = z.looseObject({
  queueToken: z.string(),
  state: z.enum(["waiting", "admitted", "sold_out", "closed"]),
  position: z.number(),
  ahead: z.number(),
  estimatedWaitSeconds: z.number(),
  pollAfterSeconds: z.number(),
  accessToken: z.optional(z.string()),
  accessExpiresAt: z.optional(z.string()),
  reason: z.optional(z.string()),
});
export type QueueView = z.infer<typeof QueueView>;

export const OrderStatus = z.looseObject({ orderId: z.string(), status: z.string() });

export const ListedEvent = z.looseObject({
  eventId: z.string(),
  title: z.string(),
  category: z.string(),
  artist: z.nullish(z.string()),
  startsAt: z.string(),
  onSaleAt: z.string(),
  currency: z.string(),
  status: z.string(),
  minPriceCents: z.number(),
  venue: z.looseObject({ name: z.string(), city: z.string(), timezone: z.string() }),
});

export const EventList = z.looseObject({
  data: z.array(ListedEvent),
  meta: z.looseObject({ total: z.number(), page: z.number(), limit: z.number() }),
});

const count = z.number();
export const Stats = z.looseObject({
  eventId: z.string(),
  sold: count,
  held: count,
  available: count,
  revenueCents: count,
  currency: z.string(),
  holdsExpired: count,
  holdsLastMinute: count,
  conversion: count,
  queueLength: count,
  queue: z.looseObject({ mode: z.string(), admitPerMinute: count, admittedLastMinute: count }),
  sales: z.looseObject({
    bucketSeconds: count,
    points: z.array(z.looseObject({ at: z.string(), tickets: count, revenueCents: count })),
  }),
  waitlist: z.looseObject({ waiting: count, lengths: z.record(z.string(), count) }),
  notifications: z.looseObject({ sent: count, deadLettered: count }),
  payments: z.looseObject({ succeeded: count, failed: count }),
  sections: z.array(
    z.looseObject({
      sectionId: z.string(),
      name: z.string(),
      capacity: count,
      available: count,
      held: count,
      sold: count,
    }),
  ),
});
export type Stats = z.infer<typeof Stats>;

export const AdminEvent = z.looseObject({ eventId: z.string(), status: z.string(), published: z.boolean() });
