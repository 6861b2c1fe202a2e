import { money, type SeatStatus, STATUS_WORDS, seatLabel } from "./format";

/** A section as the page draws it: the room's live view (seats for seated sections). */
export interface MapSection {
  id: string;
  name: string;
  kind: "seated" | "ga";
  priceCents: number;
  capacity: number;
  available: number;
  seats?: { id: string; row: string; number: number; status: SeatStatus }[];
}

const PITCH = 24;
const RADIUS = 9;
const LABEL = 30;
const PAD = 8;
const TIERS = 6;

/** Price tiers, dearest first: the seat map colours available seats by tier. */
export function priceTiers(sections: { id: string; priceCents: number }[]): { priceCents: number; tier: number }[] {
  const prices = [...new Set(sections.map((s) => s.priceCents))].sort((a, b) => b - a);
  return prices.map((priceCents, i) => ({ priceCents, tier: Math.min(i, TIERS - 1) }));
}

function tierOf(tiers: { priceCents: number; tier: number }[], priceCents: number): number {
  return tiers.find((t) => t.priceCents === priceCents)?.tier ?? 0;
}

function rowsOf(section: MapSection): { label: string; seats: NonNullable<MapSection["seats"]> }[] {
  const rows = new Map<string, NonNullable<MapSection["seats"]>>();
  for (const seat of section.seats ?? []) {
    let row = rows.get(seat.row);
    if (!row) {
      row = [];
      rows.set(seat.row, row);
    }
    row.push(seat);
  }
  return [...rows.entries()].map(([label, seats]) => ({ label, seats: seats.sort((a, b) => a.number - b.number) }));
}

/**
 * One seated section as an SVG: a row of circles per row, each a button with the stable hooks
 * (data-seat-id, data-status) and an accessible name. One seat per section is in the tab order
 * (roving tabindex): arrow keys move between seats, Enter or Space selects.
 */
export function SectionMap({
  section,
  currency,
  tiers,
}: {
  section: MapSection;
  currency: string;
  tiers: { priceCents: number; tier: number }[];
}) {
  const rows = rowsOf(section);
  const widest = Math.max(1, ...rows.map((r) => r.seats.length));
  const width = LABEL * 2 + widest * PITCH + PAD;
  const height = rows.length * PITCH + PAD * 2;
  const tier = tierOf(tiers, section.priceCents);
  const firstFocus = section.seats?.find((s) => s.status === "available")?.id ?? section.seats?.[0]?.id ?? "";
  return (
    <figure class="section-map" data-section-id={section.id}>
      <figcaption>
        <span class="section-name">{section.name}</span>
        <span class={`tier-chip tier-${tier}`}>{money(section.priceCents, currency, { short: true })}</span>
        <span class="left" data-left-of={section.id}>
          {section.available} left
        </span>
      </figcaption>
      <fieldset class="seat-scroller">
        <legend class="visually-hidden">
          {section.name} seats. Arrow keys move between seats; Enter or Space selects.
        </legend>
        <svg class={`seats tier-${tier}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
          <title>{`${section.name} seat map`}</title>
          {rows.map((row, r) => {
            const y = PAD + r * PITCH + PITCH / 2;
            const offset = LABEL + ((widest - row.seats.length) * PITCH) / 2;
            return (
              <g class="row" data-row={row.label}>
                {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: row labels are text, not focusable; the seats' names say the row. */}
                <g aria-hidden="true">
                  <text class="row-label" x={LABEL / 2} y={y}>
                    {row.label}
                  </text>
                  <text class="row-label" x={width - LABEL / 2} y={y}>
                    {row.label}
                  </text>
                </g>
                {row.seats.map((seat, c) => (
                  // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; the circle is one, by role and keys.
                  <circle
                    class="seat"
                    cx={offset + c * PITCH + PITCH / 2}
                    cy={y}
                    r={RADIUS}
                    role="button"
                    tabindex={seat.id === firstFocus ? 0 : -1}
                    aria-pressed="false"
                    aria-disabled={seat.status === "available" ? undefined : "true"}
                    aria-label={seatLabel(
                      section.name,
                      seat.row,
                      seat.number,
                      section.priceCents,
                      currency,
                      seat.status,
                    )}
                    data-seat-id={seat.id}
                    data-status={seat.status}
                  />
                ))}
              </g>
            );
          })}
        </svg>
      </fieldset>
    </figure>
  );
}

export function Legend({
  tiers,
  sections,
  currency,
}: {
  tiers: { priceCents: number; tier: number }[];
  sections: MapSection[];
  currency: string;
}) {
  const statuses: { key: string; label: string }[] = [
    { key: "selected", label: "Your selection" },
    { key: "mine", label: "Your hold" },
    { key: "held", label: "Held by someone else" },
    { key: "sold", label: "Sold" },
    { key: "blocked", label: STATUS_WORDS.blocked.replace(/^./, (c) => c.toUpperCase()) },
  ];
  return (
    <section class="legend" aria-label="Legend">
      <ul class="legend-tiers">
        {tiers.map((t) => (
          <li>
            <svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <circle class={`dot st-available tier-${t.tier}`} cx="8" cy="8" r="6" />
            </svg>
            {money(t.priceCents, currency, { short: true })}
            <span class="muted">
              {" "}
              ·{" "}
              {sections
                .filter((s) => s.priceCents === t.priceCents)
                .map((s) => s.name)
                .join(", ")}
            </span>
          </li>
        ))}
      </ul>
      <ul class="legend-status">
        {statuses.map((s) => (
          <li>
            <svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <circle class={`dot st-${s.key}`} cx="8" cy="8" r="6" />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
    </section>
  );
}
