import type * as Wire from "../contract/responses";
import type { WaitlistView } from "../rooms/waitlist-room";
import type { eventStats } from "./event-stats";
import type { eventView, holdView, orderView, ticketView, venueView } from "./views";

/**
 * Compile-time proof that each view produces its published schema's type (src/contract/responses.ts):
 * change a view's field and `npm run typecheck` names the schema the OpenAPI document must follow.
 * Types only; nothing here runs.
 */
type Produces<Schema, View extends Schema> = View;

export type ViewsMatchTheirSchemas = [
  Produces<Wire.EventView, ReturnType<typeof eventView>>,
  Produces<Wire.VenueView, ReturnType<typeof venueView>>,
  Produces<Wire.HoldView, ReturnType<typeof holdView>>,
  Produces<Wire.TicketView, ReturnType<typeof ticketView>>,
  Produces<Wire.OrderView, ReturnType<typeof orderView>>,
  // The hold route's 201 adds the version it produced; the waitlist routes answer the room's view.
  Produces<Wire.HoldCreatedView, ReturnType<typeof holdView> & { version: number }>,
  Produces<Wire.WaitlistEntryView, WaitlistView>,
  Produces<Wire.EventStatsView, Awaited<ReturnType<typeof eventStats>>>,
];
