import { orderFee, type PriceRules, type UnitPrice, unitPrice } from "../domain/pricing";
import type { EventView } from "./event";
import { NumberInput } from "./fields";
import { breakdownText, money } from "./format";

/**
 * The event page's ticket types, for an event that sells more than one: what each costs all-in in
 * each section (with what it is made of), the steppers of a standing section per type, and the
 * voucher field. An event with one type shows none of this and looks as it always did.
 */

/** One ticket type as the page's script reads it: its all-in price per section it is sold in. */
export interface PageTicketType {
  id: string;
  name: string;
  requiresVoucher: boolean;
  prices: Record<string, UnitPrice>;
}

export interface PagePricing {
  types: PageTicketType[];
  /** The tax's name ("VAT"), for the breakdowns; null without tax. */
  taxName: string | null;
  /** The per-order fees an order with something to pay adds once, all-in. */
  orderFee: UnitPrice | null;
}

/** undefined for an event with one type: the page then prices by section, as before types. */
export function pagePricing(event: EventView): PagePricing | undefined {
  if (event.ticketTypes.length < 2) return undefined;
  const rules: PriceRules = { fees: event.fees, ...(event.tax && { tax: event.tax }) };
  return {
    types: event.ticketTypes.map((type) => ({
      id: type.id,
      name: type.name,
      requiresVoucher: type.requiresVoucher ?? false,
      prices: Object.fromEntries(Object.entries(type.basePrices).map(([id, base]) => [id, unitPrice(base, rules)])),
    })),
    taxName: event.tax?.name ?? null,
    orderFee: orderFee(rules, 1) ?? null,
  };
}

/** A type's rows: one per section it is sold in, or one for all when it costs the same in every section. */
function priceRows(type: PageTicketType, sections: { id: string; name: string }[]) {
  const rows = sections.flatMap((s) => {
    const unit = type.prices[s.id];
    return unit ? [{ key: s.id, sectionName: s.name, unit }] : [];
  });
  const [first] = rows;
  const same = (u: UnitPrice) => JSON.stringify(u) === JSON.stringify(first?.unit);
  if (first && rows.length === sections.length && rows.length > 1 && rows.every((r) => same(r.unit))) {
    return [{ key: "*", sectionName: "Every section", unit: first.unit }];
  }
  return rows;
}

/** Every type's price in every section, all-in with its breakdown: what the fan compares before choosing. */
export function TypePrices({ pricing, event }: { pricing: PagePricing; event: EventView }) {
  return (
    <details class="type-prices">
      <summary>Prices by ticket type</summary>
      <table>
        <caption class="visually-hidden">All-in prices by ticket type and section</caption>
        <thead>
          <tr>
            <th scope="col">Ticket type</th>
            <th scope="col">Section</th>
            <th scope="col">All-in</th>
            <th scope="col">Made of</th>
          </tr>
        </thead>
        <tbody>
          {pricing.types.flatMap((type) =>
            priceRows(type, event.sections).map(({ key, sectionName, unit }) => (
              <tr data-type-price={`${type.id}:${key}`}>
                <th scope="row">
                  {type.name}
                  {type.requiresVoucher && <span class="muted"> (with a code)</span>}
                </th>
                <td>{sectionName}</td>
                <td class="price">{money(unit.priceCents, event.currency)}</td>
                <td class="muted">{breakdownText(unit, event.currency, pricing.taxName)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {pricing.orderFee && (
        <p class="muted small">
          Each order adds {money(pricing.orderFee.priceCents, event.currency)} in order fees (
          {breakdownText(pricing.orderFee, event.currency, pricing.taxName)}).
        </p>
      )}
    </details>
  );
}

/** A standing section's quantity per ticket type: a row each with its all-in price, breakdown and stepper. */
export function GaTypeSteppers({
  section,
  pricing,
  currency,
  perOrder,
}: {
  section: { id: string; name: string; available: number };
  pricing: PagePricing;
  currency: string;
  perOrder: number;
}) {
  const max = String(Math.min(section.available, perOrder));
  return (
    <ul class="ga-types">
      {pricing.types.map((type) => {
        const unit = type.prices[section.id];
        if (!unit) return null;
        const what = `${type.name} tickets for ${section.name}`;
        return (
          <li data-ticket-type={type.id}>
            <div>
              <span class="type-name">
                {type.name}
                {type.requiresVoucher && <span class="muted"> (with a code)</span>}
              </span>{" "}
              <strong class="price">{money(unit.priceCents, currency)}</strong>
              <span class="muted small breakdown">{breakdownText(unit, currency, pricing.taxName)}</span>
            </div>
            <fieldset class="qty">
              <legend class="visually-hidden">{what}</legend>
              <StepButton step={-1} section={section} type={type} />
              <NumberInput
                min="0"
                max={max}
                value="0"
                data-ga-quantity={section.id}
                data-ticket-type={type.id}
                aria-label={what}
              />
              <StepButton step={1} section={section} type={type} />
            </fieldset>
          </li>
        );
      })}
    </ul>
  );
}

/** The code field of the selection: sent as the hold's `voucher`; the server says whether it holds. */
export function VoucherField() {
  return (
    <div class="voucher">
      <label for="voucher">Voucher or presale code</label>
      <input
        id="voucher"
        name="voucher"
        type="text"
        maxlength={64}
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        aria-describedby="voucher-hint"
      />
      <p id="voucher-hint" class="muted small">
        Its discount shows in your hold's prices.
      </p>
    </div>
  );
}

/** The − and + beside a standing section's quantity (src/client/event.ts steps by data-qty-step). */
export function StepButton({
  step,
  section,
  type,
}: {
  step: -1 | 1;
  section: { id: string; name: string };
  type?: { id: string; name: string };
}) {
  const which = type ? ` ${type.name}` : "";
  return (
    <button
      type="button"
      class="step"
      data-qty-step={String(step)}
      data-section-id={section.id}
      data-ticket-type={type?.id}
      aria-label={`${step < 0 ? "One fewer" : "One more"}${which} for ${section.name}`}
    >
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
        <path
          d={step < 0 ? "M3 8h10" : "M3 8h10M8 3v10"}
          stroke="currentColor"
          stroke-width="2.5"
          stroke-linecap="round"
        />
      </svg>
    </button>
  );
}
