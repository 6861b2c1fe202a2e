import { z } from "zod";
import { Time } from "./primitives";

/**
 * What a fan reads about an event and where its venue is, as the Event and Venue answers carry it
 * (fields, spread into those schemas in responses.ts). No platform imports.
 */

/** The venue's place: an address, coordinates (WGS 84 degrees) and a map link built from them. */
export const venuePlace = {
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  /** OpenStreetMap at the coordinates (or a search for the address); null when the venue has neither. */
  mapUrl: z.string().nullable(),
};

export const eventContent = {
  /** Plain text, as the organizer wrote it; pages show it escaped. */
  description: z.string().nullable(),
  doorsAt: Time.nullable(),
  endsAt: Time.nullable(),
  ageRule: z.string().nullable(),
  /** The event's image (`PUT …/image`), its URL named by its content hash; null when it has none. */
  imageUrl: z.string().nullable(),
};

export const EventImage = z.object({ eventId: z.string(), imageUrl: z.string(), version: z.number().int() });

const counts = z.record(z.string(), z.number().int());

/** The catalog's counts over every result (not only the page): by category, city and month (`2027-06`, the venue's time zone). */
export const CatalogFacets = z.object({ category: counts, city: counts, month: counts });

/** With `near`: how far (km, to 0.1) the event's venue is. */
export const catalogItem = { distanceKm: z.number().optional() };

export const Suggestions = z.object({
  data: z.array(z.object({ text: z.string(), eventId: z.string().optional() })),
});
