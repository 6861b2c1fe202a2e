import { eventTime, money } from "./format";

/** The fields of the catalog's Event that a listing shows (GET /api/v1/events → data[]). */
export interface ListedEvent {
  eventId: string;
  title: string;
  category: string;
  artist?: string | null;
  startsAt: string;
  onSaleAt: string;
  currency: string;
  status: string;
  minPriceCents: number;
  venue: { name: string; city: string; timezone: string };
}

export interface EventCard {
  href: string;
  title: string;
  artist: string | undefined;
  when: string;
  where: string;
  category: string;
  price: string;
  status: string;
  badge: string;
}

const BADGES: Record<string, string> = {
  on_sale: "On sale",
  scheduled: "Coming soon",
  paused: "Paused",
  sold_out: "Sold out",
  closed: "Sales closed",
  cancelled: "Cancelled",
};

/** One listing card, the same on the server's first paint and after a search in the browser. */
export function eventCard(event: ListedEvent): EventCard {
  const badge =
    event.status === "scheduled"
      ? `On sale ${eventTime(event.onSaleAt, event.venue.timezone)}`
      : (BADGES[event.status] ?? event.status);
  return {
    href: `/events/${encodeURIComponent(event.eventId)}`,
    title: event.title,
    artist: event.artist && event.artist !== event.title ? event.artist : undefined,
    when: eventTime(event.startsAt, event.venue.timezone),
    where: `${event.venue.name}, ${event.venue.city}`,
    category: event.category,
    price: `from ${money(event.minPriceCents, event.currency, { short: true })}`,
    status: event.status,
    badge,
  };
}

export const CATEGORIES = ["concert", "comedy", "sports", "theatre", "festival", "family"];
