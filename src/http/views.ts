import { OrderFee as OrderFeeJson } from "../contract/responses";
import { type EventBundle, eventPricing, roomsOf, waitingRoomOf } from "../db/events";
import type { OrderItemRow, OrderRow, TicketRow } from "../db/orders";
import type { VenueRow, VenueWithSections } from "../db/venues";
import { eventStatus } from "../domain/event-status";
import { basePriceOf, type UnitPrice, unitPrice } from "../domain/pricing";
import { rulesOf, shownPrice, typesOf } from "../domain/pricing-event";
import type { Hold } from "../domain/types";

/** How resources look on the wire: ISO times, contract field names, nothing internal. */

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));

/** OpenStreetMap at the venue's coordinates, else a search for its address. */
function mapUrlOf(venue: VenueRow): string | null {
  if (venue.lat !== null && venue.lon !== null) {
    return `https://www.openstreetmap.org/?mlat=${venue.lat}&mlon=${venue.lon}#map=17/${venue.lat}/${venue.lon}`;
  }
  if (venue.address) {
    return `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${venue.address}, ${venue.city}`)}`;
  }
  return null;
}

export function venueSummary(venue: VenueRow) {
  return {
    venueId: venue.id,
    name: venue.name,
    city: venue.city,
    country: venue.country,
    timezone: venue.timezone,
    address: venue.address,
    lat: venue.lat,
    lon: venue.lon,
    mapUrl: mapUrlOf(venue),
  };
}

/** Where an event's image is served (src/http/routes/media.ts): the key names its content hash. */
export const imageUrlOf = (imageKey: string | null): string | null => (imageKey ? `/media/${imageKey}` : null);

export function venueView(venue: VenueWithSections) {
  return {
    ...venueSummary(venue),
    id: venue.id,
    sections: venue.sections,
    createdAt: iso(venue.createdAt),
  };
}

/** Each ticket type with its all-in price in every section it is sold in. */
function ticketTypesView(bundle: EventBundle) {
  const pricing = eventPricing(bundle.prices, bundle.pricing);
  const rules = rulesOf(pricing);
  return typesOf(pricing).map((type) => {
    const prices: Record<string, number> = {};
    const basePrices: Record<string, number> = {};
    for (const section of bundle.sections) {
      const base = basePriceOf(type, section.id);
      if (base === undefined) continue;
      basePrices[section.id] = base;
      prices[section.id] = unitPrice(base, rules).priceCents;
    }
    return { ...type, prices, basePrices };
  });
}

export function eventView(bundle: EventBundle, now: number) {
  const { event: e, venue } = bundle;
  const pricing = eventPricing(bundle.prices, bundle.pricing);
  return {
    eventId: e.id,
    id: e.id,
    title: e.title,
    category: e.category,
    artist: e.artist,
    venueId: venue.id,
    venue: venueSummary(venue),
    startsAt: iso(e.startsAt),
    onSaleAt: iso(e.onSaleAt),
    salesEndAt: isoOrNull(e.salesEndAt),
    currency: e.currency,
    status: eventStatus(e, now, bundle.availability?.soldOut),
    /** Fed by the room (pushed on change; may lag a few seconds): the best section's level. */
    availability: bundle.availability?.level ?? "high",
    published: e.state !== "draft",
    holdSeconds: e.holdSeconds,
    extensions: e.extensions,
    paymentGraceSeconds: e.paymentGraceSeconds,
    limits: { perOrder: e.perOrder, perUser: e.perUser },
    waitingRoom: waitingRoomOf(e),
    waitlistOfferMinutes: e.waitlistOfferMinutes,
    rooms: roomsOf(e),
    minPriceCents: e.minPriceCents,
    fromCents: e.minPriceCents,
    sections: bundle.sections.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      priceCents: shownPrice(pricing, s.id),
      availability: bundle.availability?.sections[s.id] ?? "high",
      capacity:
        s.kind === "ga"
          ? (s.capacity ?? 0)
          : (s.rows ?? []).reduce((n, r) => n + r.seats - (r.blocked?.length ?? 0), 0),
    })),
    presales: bundle.presales.map((p) => ({ name: p.name, startsAt: iso(p.startsAt), endsAt: iso(p.endsAt) })),
    description: e.description,
    doorsAt: isoOrNull(e.doorsAt),
    endsAt: isoOrNull(e.endsAt),
    ageRule: e.ageRule,
    imageUrl: imageUrlOf(e.imageKey),
    ticketTypes: ticketTypesView(bundle),
    fees: bundle.pricing.fees ?? [],
    tax: bundle.pricing.tax ?? null,
    dynamic: bundle.pricing.dynamic ?? {},
    organizerId: e.organizerId,
    orgId: e.orgId,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    /** Grows with every stored change; a PATCH names it in `If-Match` (or `version`). */
    version: e.version,
  };
}

export function holdView(hold: Hold) {
  return {
    holdId: hold.holdId,
    eventId: hold.eventId,
    status: hold.status,
    items: hold.items,
    totalCents: hold.totalCents,
    currency: hold.currency,
    expiresAt: iso(hold.expiresAt),
    createdAt: iso(hold.createdAt),
    extensionsUsed: hold.extensionsUsed,
    ...(hold.orderFee && { orderFee: hold.orderFee }),
    ...(hold.voucherCode && { voucher: hold.voucherCode }),
  };
}

export function ticketView(ticket: TicketRow) {
  return {
    ticketId: ticket.id,
    orderId: ticket.orderId,
    eventId: ticket.eventId,
    ...(ticket.seatId ? { seatId: ticket.seatId } : { sectionId: ticket.sectionId }),
    status: ticket.status,
    code: ticket.code,
    qrSvgUrl: `/api/v1/tickets/${ticket.id}/qr.svg`,
    issuedAt: iso(ticket.issuedAt),
  };
}

/** One order's lines as the API shows them: a seat, or a GA section and its quantity. */
export function orderItemsView(orderId: string, items: OrderItemRow[]) {
  return items
    .filter((i) => i.orderId === orderId)
    .map((i) => ({
      ...(i.seatId ? { seatId: i.seatId } : { sectionId: i.sectionId }),
      quantity: i.quantity,
      priceCents: i.priceCents,
      ...(i.ticketType !== null && { ticketType: i.ticketType }),
      ...(i.baseCents !== null &&
        i.feesCents !== null &&
        i.taxCents !== null && { breakdown: { baseCents: i.baseCents, feesCents: i.feesCents, taxCents: i.taxCents } }),
    }));
}

/** The per-order fee as the hold priced it, when there was one. */
export function orderFeeOf(order: OrderRow): UnitPrice | undefined {
  if (order.orderFeeJson === null) return undefined;
  const fee = OrderFeeJson.safeParse(JSON.parse(order.orderFeeJson));
  return fee.success ? fee.data : undefined;
}

/** The migration numbered every order made before numbers; the id stands in should one lack it. */
export const orderNumberOf = (order: OrderRow): string => order.orderNumber ?? order.id;

export function orderView(order: OrderRow, items: OrderItemRow[], tickets: TicketRow[]) {
  return {
    orderId: order.id,
    orderNumber: orderNumberOf(order),
    invoiceNumber: order.invoiceNumber,
    status: order.status,
    eventId: order.eventId,
    holdId: order.holdId,
    totalCents: order.totalCents,
    refundedCents: order.refundedCents,
    currency: order.currency,
    ...(order.lastPaymentError && order.status === "pending" && { lastPaymentError: order.lastPaymentError }),
    items: orderItemsView(order.id, items),
    ...(orderFeeOf(order) && { orderFee: orderFeeOf(order) }),
    ...(order.voucherCode && { voucher: order.voucherCode }),
    // What the owner holds; one given away shows only that it was (never its recipient's code).
    tickets: tickets
      .filter((t) => t.orderId === order.id && t.userId === order.userId)
      .map((t) => (t.replacedById ? { ticketId: t.id, status: "transferred" as const } : ticketView(t))),
    payment: { provider: "stripe" as const, paymentIntentId: order.paymentIntentId },
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  };
}
