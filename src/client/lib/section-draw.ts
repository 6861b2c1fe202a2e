import { type SeatStatus, seatLabel } from "../../pages/format";
import { RADIUS, ROW_LABEL_X, sectionLayout } from "../../pages/seat-layout";
import { el, svgEl } from "./dom";

export interface DrawnSection {
  id: string;
  name: string;
  priceCents: number;
}

/**
 * Draws an opened section of a big venue into its figure: the same SVG as the server's
 * SectionMap (src/pages/seat-map.tsx), from GET …/seats?section=ID.
 */
export function drawSection(
  figure: HTMLElement,
  section: DrawnSection,
  seats: { id: string; row: string; number: number; status: SeatStatus }[],
  currency: string,
): void {
  const layout = sectionLayout(seats);
  const [leftX, rightX] = ROW_LABEL_X(layout.width);
  const tier = [...(figure.querySelector(".tier-chip")?.classList ?? [])].find((c) => c.startsWith("tier-")) ?? "";
  const svg = svgEl(
    "svg",
    {
      class: `seats ${tier}`,
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
    },
    svgEl("title", {}, `${section.name} seat map`),
    ...layout.rows.map((row) =>
      svgEl(
        "g",
        { class: "row", "data-row": row.label },
        svgEl(
          "g",
          { "aria-hidden": "true" },
          svgEl("text", { class: "row-label", x: leftX, y: row.y }, row.label),
          svgEl("text", { class: "row-label", x: rightX, y: row.y }, row.label),
        ),
        ...row.seats.flatMap((seat) => {
          const circle = svgEl("circle", {
            class: "seat",
            cx: seat.cx,
            cy: row.y,
            r: RADIUS,
            role: "button",
            tabindex: seat.id === layout.firstFocus ? 0 : -1,
            "aria-pressed": "false",
            "aria-label": seatLabel(section.name, seat.row, seat.number, section.priceCents, currency, seat.status),
            "data-seat-id": seat.id,
            "data-status": seat.status,
          });
          if (seat.status !== "available") circle.setAttribute("aria-disabled", "true");
          return [
            circle,
            svgEl("text", { class: "seat-no", x: seat.cx, y: row.y, "aria-hidden": "true" }, String(seat.number)),
          ];
        }),
      ),
    ),
  );
  const fieldset = el(
    "fieldset",
    { class: "seat-scroller" },
    el(
      "legend",
      { class: "visually-hidden" },
      `${section.name} seats. Arrow keys move between seats; Enter or Space selects.`,
    ),
  );
  fieldset.append(svg);
  figure.querySelector(".section-loading")?.remove();
  figure.querySelector(".seat-scroller")?.remove();
  figure.append(fieldset);
  figure.dataset.drawn = "true";
}
