/** The shapes the inventory core works with. No runtime code, no platform imports. */
import type { Breakdown, Fee, Tax, TicketType, UnitPrice } from "./pricing";
import type { DynamicRule } from "./pricing-dynamic";
import type { DynamicState, LoggedStep } from "./pricing-live";
import type { Voucher } from "./pricing-vouchers";

export type SeatStatus = "available" | "held" | "sold" | "blocked";
export type SectionKind = "seated" | "ga";
export type HoldStatus = "held" | "checkout" | "purchased" | "expired" | "released";
export type EventState = "draft" | "published" | "paused" | "cancelled";

export interface RowDef {
  label: string;
  seats: number;
  /** Seat numbers (from 1) that are never sold: camera positions, broken seats. */
  blocked?: number[];
}

export interface SectionDef {
  id: string;
  name: string;
  kind: SectionKind;
  rows?: RowDef[];
  capacity?: number;
}

export interface Presale {
  name: string;
  code: string;
  startsAt: number;
  endsAt: number;
}

/** Everything the room needs to sell an event; handed over when the event is published. */
export interface InventoryConfig {
  eventId: string;
  currency: string;
  sections: SectionDef[];
  /** priceCents per section id. */
  prices: Record<string, number>;
  holdSeconds: number;
  extensions: number;
  paymentGraceSeconds: number;
  limits: { perOrder: number; perUser: number };
  onSaleAt: number;
  salesEndAt: number;
  startsAt: number;
  state: EventState;
  presales: Presale[];
  waitingRoom?: {
    mode: "off" | "always" | "auto";
    admitPerMinute: number;
    maxActive: number;
    prequeueMinutes: number;
    accessMinutes: number;
  };
  /** How long a waitlist offer stands (default 15). */
  waitlistOfferMinutes?: number;
  /** The event's stored version (D1) this definition was made from: the room keeps the newest. */
  definitionVersion?: number;
  /** Without them: one type `standard` at `prices`. */
  ticketTypes?: TicketType[];
  fees?: Fee[];
  tax?: Tax;
  /** The event's split into rooms (src/domain/room-split.ts); absent: one room for the event. */
  rooms?: string[][] | undefined;
  /** This room's group in `rooms` (its first section); absent: the event's own room. */
  roomKey?: string | undefined;
  /** Seats and GA places the organizer took off sale (the room adds and removes these, not the edge). */
  kills?: Kill[];
  /** The event's vouchers, sent when it is published and by the voucher routes (a definition without them keeps the room's). */
  vouchers?: Voucher[];
  /** Bounded dynamic pricing per section id (src/domain/pricing-live.ts). */
  dynamic?: Record<string, DynamicRule>;
  /** The room's own: each dynamic section's current price and steps (the edge's definition never carries them). */
  dynamicState?: Record<string, DynamicState>;
  priceLog?: LoggedStep[];
}

/** Seats or GA places taken off sale for this event: production holds, camera positions, house seats. */
export interface Kill {
  killId: string;
  seatIds: string[];
  ga: { sectionId: string; quantity: number }[];
  reason: string;
  createdAt: number;
}

export interface HoldItem {
  seatId?: string;
  sectionId?: string;
  quantity: number;
  /** One ticket's all-in price (what is paid), locked when the hold was made. */
  priceCents: number;
  /** Set when the event prices by type, fees or tax, or the request named a type or voucher. */
  ticketType?: string;
  breakdown?: Breakdown;
}

export interface Hold {
  holdId: string;
  eventId: string;
  userId: string;
  status: HoldStatus;
  items: HoldItem[];
  totalCents: number;
  currency: string;
  createdAt: number;
  expiresAt: number;
  extensionsUsed: number;
  /** Set once: the payment grace period is granted only at the first checkout. */
  checkoutAt?: number;
  purchasedAt?: number;
  endedAt?: number;
  refunded?: boolean;
  /** Units of a purchased hold already given back (partial refunds), so each returns once. */
  returned?: ReturnedUnits;
  /** The voucher this hold uses (one use while it lives or is paid). */
  voucherId?: string;
  voucherCode?: string;
  /** Per-order fees, part of totalCents. */
  orderFee?: UnitPrice;
}

/** A purchased hold's units given back: ticket ids, and the seats and GA places they freed. */
export interface ReturnedUnits {
  ids: string[];
  seatIds: string[];
  ga: Record<string, number>;
}

/** One ticket of a hold, as the room knows it: a seat, or one place in a GA section. */
export interface HoldUnit {
  id: string;
  seatId?: string;
  sectionId?: string;
}

export interface HoldRequest {
  userId: string;
  seatIds: string[];
  /** A ticket type per seat id (the event's first type where absent). */
  seatTypes?: Record<string, string>;
  ga: { sectionId: string; quantity: number; ticketType?: string }[];
  presaleCode?: string;
  voucher?: string;
  idempotencyKey?: string;
  /** Only the room sets this (a waitlist offer lasts waitlistOfferMinutes); never from a client. */
  holdSeconds?: number;
  /**
   * An organizer's complimentary tickets: free, outside the sales window and the limits. Set only
   * by the edge's comps route for an organizer of the event; never from a client's hold body.
   */
  comp?: boolean;
}

export interface SeatChange {
  id: string;
  status: SeatStatus;
}

export interface SectionChange {
  id: string;
  available: number;
  /** A dynamic price step: the section's new price, all-in, and when it was set. */
  priceCents?: number;
  priceChangedAt?: string;
}

/** One change to the inventory: the version it produced and what it touched. */
export interface Step {
  version: number;
  seats: SeatChange[];
  sections: SectionChange[];
}

export interface SeatView {
  id: string;
  row: string;
  number: number;
  status: SeatStatus;
}

export interface SectionView {
  id: string;
  name: string;
  kind: SectionKind;
  priceCents: number;
  /** Dynamic sections: when the price was last set (ISO time). */
  priceChangedAt?: string;
  available: number;
  capacity: number;
  seats?: SeatView[];
}

/** One section's counts in the room's stats: what the organizer's dashboard lists per section. */
export interface SectionStats {
  sectionId: string;
  name: string;
  capacity: number;
  /** Tickets left to sell right now. */
  available: number;
  held: number;
  sold: number;
}

export interface InventoryStats {
  held: number;
  sold: number;
  available: number;
  capacity: number;
  holdsActive: number;
  holdsCreated: number;
  holdsExpired: number;
  holdsReleased: number;
  holdsPurchased: number;
  revenueCents: number;
  /** Uses taken per voucher id, and tickets held or sold per ticket type (only types that are counted). */
  vouchersUsed: Record<string, number>;
  ticketTypesTaken: Record<string, number>;
  /** Per section, in the venue's order (a section room: only its own). */
  sections: SectionStats[];
}
