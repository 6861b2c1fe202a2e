import { money, seatName } from "./format";
import type { OrganizerOrder, OrganizerVenue } from "./organizer-data";

/**
 * The organizer page's forms: creating an event in one of the organizer's venues (POST
 * /api/v1/admin/events, as a draft to publish) and refunding an order or some of its tickets
 * (POST /api/v1/admin/orders/:id/refund). src/client/organizer.ts sends them.
 */

export function CreateEventForm({ venues }: { venues: OrganizerVenue[] }) {
  if (venues.length === 0) {
    return <p class="muted">Create a venue through the admin API (POST /api/v1/admin/venues) to make events in it.</p>;
  }
  return (
    <details class="card create-event">
      <summary>Create an event</summary>
      <form id="create-event" class="form-grid">
        <label>
          Venue
          <select name="venueId" id="create-venue" required>
            {venues.map((v) => (
              <option value={v.venueId}>{`${v.name}, ${v.city}`}</option>
            ))}
          </select>
        </label>
        <label>
          Title
          <input name="title" required maxlength={200} />
        </label>
        <label>
          Category
          <select name="category">
            {["concert", "sports", "theatre", "comedy", "festival", "other"].map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Starts at
          <input name="startsAt" type="datetime-local" required />
        </label>
        <label>
          On sale from
          <input name="onSaleAt" type="datetime-local" required />
        </label>
        <label>
          Currency
          <input name="currency" value="EUR" required pattern="[A-Z]{3}" maxlength={3} />
        </label>
        {venues.map((v, i) => (
          <fieldset class="prices" data-prices-for={v.venueId} hidden={i !== 0} disabled={i !== 0}>
            <legend>Prices in {v.name}</legend>
            {v.sections.map((s) => (
              <label>
                {s.name}
                <input
                  name={`price-${s.id}`}
                  data-section-id={s.id}
                  type="number"
                  inputmode="decimal"
                  min="0"
                  step="0.01"
                  required
                />
              </label>
            ))}
          </fieldset>
        ))}
        <p class="actions">
          <button type="submit" class="primary">
            Create as draft
          </button>
        </p>
        <p id="create-message" class="message" role="status" aria-live="polite" tabindex={-1} />
      </form>
    </details>
  );
}

export function OrdersList({
  orders,
  sectionName,
}: {
  orders: OrganizerOrder[];
  sectionName: (id: string) => string | undefined;
}) {
  if (orders.length === 0) return <p class="muted small">No paid orders yet.</p>;
  return (
    <details class="orders-box">
      <summary>Paid orders ({orders.length}): refund</summary>
      <ul class="org-orders">
        {orders.map((o) => (
          <li data-order-id={o.orderId} data-order-status={o.status} data-currency={o.currency}>
            <p>
              <code>{o.orderId}</code> · {money(o.totalCents, o.currency)}
              {o.refundedCents > 0 && ` · ${money(o.refundedCents, o.currency)} refunded`}
            </p>
            <fieldset>
              <legend class="visually-hidden">Tickets of order {o.orderId}</legend>
              {o.tickets.map((t) => (
                <label class="check">
                  <input type="checkbox" value={t.ticketId} disabled={t.status !== "valid"} data-refund-ticket />
                  {t.where.includes("-") ? seatName(t.where, sectionName(t.where.split("-")[0] ?? "")) : t.where}
                  {t.priceCents !== undefined && ` (${money(t.priceCents, o.currency)})`}
                  {t.status !== "valid" && ` — ${t.status === "void" ? "refunded" : t.status}`}
                </label>
              ))}
            </fieldset>
            <p class="actions">
              <button type="button" class="secondary" data-refund="tickets" data-order-id={o.orderId}>
                Refund selected tickets
              </button>
              <button type="button" class="secondary" data-refund="order" data-order-id={o.orderId}>
                Refund the whole order
              </button>
            </p>
            <p class="message" data-refund-message={o.orderId} role="status" aria-live="polite" tabindex={-1} />
          </li>
        ))}
      </ul>
    </details>
  );
}
