import { money, type SeatStatus, STATUS_WORDS, seatLabel } from "./format";
import { type NumberRuler, RADIUS, sectionLayout } from "./seat-layout";

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

const TIERS = 6;

/** A price and the colour tier its seats are drawn in. */
export interface PriceTier {
  priceCents: number;
  tier: number;
}

/** What every drawing of one section needs. */
interface SectionProps {
  section: MapSection;
  currency: string;
  tiers: PriceTier[];
}

/** Price tiers, dearest first: the seat map colours available seats by tier. */
export function priceTiers(sections: { id: string; priceCents: number }[]): PriceTier[] {
  const prices = [...new Set(sections.map((s) => s.priceCents))].sort((a, b) => b - a);
  return prices.map((priceCents, i) => ({ priceCents, tier: Math.min(i, TIERS - 1) }));
}

export function tierOf(tiers: PriceTier[], priceCents: number): number {
  return tiers.find((t) => t.priceCents === priceCents)?.tier ?? 0;
}

/**
 * One seated section as an SVG: a row of circles per row, each a button with the stable hooks
 * (data-seat-id, data-status) and an accessible name. One seat per section is in the tab order
 * (roving tabindex): arrow keys move between seats, Enter or Space selects.
 */
export function SectionMap({ section, currency, tiers }: SectionProps) {
  const layout = sectionLayout(section.seats ?? []);
  const tier = tierOf(tiers, section.priceCents);
  return (
    <figure class="section-map" data-section-id={section.id} data-drawn="true">
      <SectionCaption section={section} currency={currency} tier={tier} />
      <fieldset class="seat-scroller">
        <legend class="visually-hidden">
          {section.name} seats. Arrow keys move between seats; Enter or Space selects.
        </legend>
        <div class="seat-grid">
          <Ruler ruler={layout.front} />
          <RowLabels rows={layout.rows} />
          <svg
            class={`seats tier-${tier}`}
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
          >
            <title>{`${section.name} seat map`}</title>
            {layout.rows.map((row) => (
              <g class="row" data-row={row.label}>
                {row.seats.map((seat) => (
                  // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; the circle is one, by role and keys.
                  <circle
                    class="seat"
                    cx={seat.cx}
                    cy={row.y}
                    r={RADIUS}
                    role="button"
                    tabindex={seat.id === layout.firstFocus ? 0 : -1}
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
            ))}
          </svg>
          <RowLabels rows={layout.rows} end />
          <Ruler ruler={layout.back} />
        </div>
      </fieldset>
    </figure>
  );
}

/** A section's name, its price chip and what is left (data-left-of: the live map updates it). */
function SectionCaption({ section, currency, tier }: { section: MapSection; currency: string; tier: number }) {
  return (
    <figcaption>
      <span class="section-name">{section.name}</span>
      <span class={`tier-chip tier-${tier}`}>{money(section.priceCents, currency, { short: true })}</span>
      <span class="left" data-left-of={section.id}>
        {section.available} left
      </span>
    </figcaption>
  );
}

/** Seat numbers along the front (or back) row: sighted fans can find "seat 7" without a screen reader. */
function Ruler({ ruler }: { ruler: NumberRuler | undefined }) {
  return (
    <div class="seat-nos" aria-hidden="true">
      {ruler && Array.from({ length: ruler.halves }, () => <span class="half" />)}
      {ruler?.numbers.map((n) => (
        <span class="no">{n}</span>
      ))}
    </div>
  );
}

function RowLabels({ rows, end = false }: { rows: { label: string }[]; end?: boolean }) {
  return (
    <div class={end ? "row-labels end" : "row-labels"} aria-hidden="true">
      {rows.map((row) => (
        <span>{row.label}</span>
      ))}
    </div>
  );
}

/** A big venue's section before it is opened: its caption, and room for the seats the page fetches. */
export function SectionShell({ section, currency, tiers }: SectionProps) {
  const tier = tierOf(tiers, section.priceCents);
  return (
    <figure class="section-map" data-section-id={section.id} id={`section-${section.id}`} tabindex={-1} hidden>
      <SectionCaption section={section} currency={currency} tier={tier} />
      <p class="section-loading muted">Loading seats…</p>
    </figure>
  );
}

/** A big venue's first view: one button per seated section with its price and what is left. */
export function SectionOverview({
  sections,
  currency,
  tiers,
}: {
  sections: MapSection[];
  currency: string;
  tiers: PriceTier[];
}) {
  return (
    <nav class="overview" aria-label="Sections">
      <p class="muted small" id="overview-hint">
        Pick a section to see its seats.
      </p>
      <ul class="overview-list">
        {sections.map((s) => (
          <li>
            <button
              type="button"
              class="overview-item"
              data-open-section={s.id}
              aria-controls={`section-${s.id}`}
              aria-expanded="false"
              data-availability={
                s.available === 0 ? "sold_out" : s.available / Math.max(1, s.capacity) < 0.2 ? "low" : "high"
              }
            >
              <span class="section-name">{s.name}</span>
              <span class={`tier-chip tier-${tierOf(tiers, s.priceCents)}`}>
                {money(s.priceCents, currency, { short: true })}
              </span>
              <span class="avail" data-left-of={s.id}>
                {s.available} left
              </span>
              <meter
                class="meter"
                aria-hidden="true"
                min="0"
                max={s.capacity}
                value={s.available}
                data-meter-of={s.id}
              />
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The sections at a price, by name; past a handful (a stadium), just how many. */
function tierSections(sections: MapSection[], priceCents: number): string {
  const names = sections.filter((s) => s.priceCents === priceCents).map((s) => s.name);
  return names.length > 6 ? `${names.length} sections` : names.join(", ");
}

export function Legend({
  tiers,
  sections,
  currency,
}: {
  tiers: PriceTier[];
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
            <span class="muted"> · {tierSections(sections, t.priceCents)}</span>
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
