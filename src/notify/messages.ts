import { z } from "zod";

/**
 * The notifications we send, one zod schema per `kind`. A message names the thing it concerns
 * (an order, a refund, an offer...) and carries only what its template cannot read back from D1;
 * the consumer loads the rest when it renders. `to` overrides the address the consumer would find
 * (the order's `email`, remembered at checkout from the buyer's token).
 */

const Id = z.string().min(1).max(128);
const Email = z.email().max(254);
const Cents = z.number().int().min(0);
const Time = z.union([z.number().int().min(0), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

const base = { eventId: Id, to: Email.optional() };

export const OrderConfirmed = z.object({ kind: z.literal("order_confirmed"), ...base, orderId: Id });

export const OrderRefunded = z.object({
  kind: z.literal("order_refunded"),
  ...base,
  orderId: Id,
  /** Stripe's refund id, or any id unique to this refund: one notice per refund. */
  refundId: Id,
  /** What this refund returned. */
  amountCents: Cents,
  /** The order's refunded total after it; equal to the order's total for a full refund. */
  refundedCents: Cents.optional(),
  full: z.boolean().optional(),
});

export const PaymentFailed = z.object({
  kind: z.literal("payment_failed"),
  ...base,
  orderId: Id,
  /** One notice per decline: the Stripe event or charge id; defaults to the order (one per order). */
  failureId: Id.optional(),
  /** Until when the same PaymentIntent may be retried (the hold's end). */
  retryUntil: Time.optional(),
  reason: z.string().max(500).optional(),
});

export const EventCancelled = z.object({
  kind: z.literal("event_cancelled"),
  ...base,
  /** The buyer: one notice per event and recipient. */
  userId: Id,
  orderId: Id.optional(),
  refundedCents: Cents.optional(),
});

export const WaitlistOffer = z.object({
  kind: z.literal("waitlist_offer"),
  ...base,
  userId: Id,
  /** The offer is a hold owned by the fan: one notice per offer. */
  holdId: Id,
  expiresAt: Time,
  totalCents: Cents.optional(),
  currency: z.string().length(3).optional(),
  quantity: z.number().int().min(1).optional(),
  sectionId: z.string().max(64).nullable().optional(),
});

export const TicketTransferred = z.object({
  kind: z.literal("ticket_transferred"),
  ...base,
  /** The recipient's new ticket: one notice per transfer. */
  ticketId: Id,
  toUserId: Id,
  fromUserId: Id.optional(),
});

/**
 * A one-time sign-in link. It carries the link's id, not its token: the token is derived from the
 * id with TOKEN_SECRET when the mail is rendered, so the recorded payload opens nothing. Not about
 * an event: the recorded row's event is "".
 */
export const SignInLink = z.object({
  kind: z.literal("sign_in_link"),
  eventId: z.literal("").optional(),
  to: Email,
  linkId: Id,
});

/**
 * An operator's alert (src/http/alerts): one mail per rule, window and address. Not about an
 * event unless the rule names one; the recorded row's event is then "".
 */
export const Alert = z.object({
  kind: z.literal("alert"),
  eventId: z.string().max(128).optional(),
  to: Email,
  /** `<rule>:<window start ms>`: the same rule in the same window alerts once. */
  alertId: z.string().min(1).max(200),
  rule: z.string().min(1).max(64),
  summary: z.string().min(1).max(500),
});

export const Notification = z.discriminatedUnion("kind", [
  OrderConfirmed,
  OrderRefunded,
  PaymentFailed,
  EventCancelled,
  WaitlistOffer,
  TicketTransferred,
  SignInLink,
  Alert,
]);

/** What callers pass to `enqueue` (times as ms or ISO strings). */
export type NotificationInput = z.input<typeof Notification>;
/** A validated message (times as ms). */
export type NotificationMessage = z.output<typeof Notification>;
export type NotificationKind = NotificationMessage["kind"];

export const KINDS: NotificationKind[] = [
  "order_confirmed",
  "order_refunded",
  "payment_failed",
  "event_cancelled",
  "waitlist_offer",
  "ticket_transferred",
  "sign_in_link",
  "alert",
];

/** The thing a message concerns: at most one message per kind and subject. */
export function subjectOf(message: NotificationMessage): string {
  switch (message.kind) {
    case "order_confirmed":
      return message.orderId;
    case "order_refunded":
      return message.refundId;
    case "payment_failed":
      return message.failureId ?? message.orderId;
    case "event_cancelled":
      return `${message.eventId}:${message.userId}`;
    case "waitlist_offer":
      return message.holdId;
    case "ticket_transferred":
      return message.ticketId;
    case "sign_in_link":
      return message.linkId;
    case "alert":
      return `${message.alertId}:${message.to.toLowerCase()}`;
  }
}

export const dedupeKeyOf = (message: NotificationMessage): string => `${message.kind}:${subjectOf(message)}`;

/** The queue's message body: the dedupe key and the validated message. */
export interface QueuedNotification {
  key: string;
  message: NotificationMessage;
  /** The request (and W3C trace) id of the request that queued it: the consumer's lines for it carry the same. */
  requestId?: string;
  traceId?: string;
}
