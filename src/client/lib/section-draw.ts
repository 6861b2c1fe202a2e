import { type SeatStatus, seatLabel } from "../../pages/format";
import { type NumberRuler, RADIUS, sectionLayout } from "../../pages/seat-layout";
import { el, svgEl } from "./dom";

export interface DrawnSection {
  id: string;
  name: string;
  priceCents: number;
}

function ruler(r: NumberRuler | undefined): HTMLElement {
  const box = el("div", { class: "seat-nos", "aria-hidden": "true" });
  if (r) {
    for (let i = 0; i < r.halves; i++) box.append(el("span", { class: "half" }));
    for (const n of r.numbers) box.append(el("span", { class: "no" }, String(n)));
  }
  return box;
}

function rowLabels(rows: { label: string }[], end: boolean): HTMLElement {
  return el(
    "div",
    { class: end ? "row-labels end" : "row-labels", "aria-hidden": "true" },
    ...rows.map((r) => el("span", {}, r.label)),
  );
}

/**
 * Draws an opened section of a big venue into its figure: the same markup as the server's
 * SectionMap (src/pages/seat-map.tsx), from GET …/seats?section=ID.
 */
export function drawSection(
  figure: HTMLElement,
  section: DrawnSection,
  seats: { id: string; row: string; number: number; status: SeatStatus }[],
  currency: string,
): void {
  const layout = sectionLayout(seats);
  const tier = [...(figure.querySelector(".tier-chip")?.classList ?? [])].find((c) => /^tier-\d+$/.test(c)) ?? "";
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
        ...row.seats.map((seat) => {
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
          return circle;
        }),
      ),
    ),
  );
  const grid = el(
    "div",
    { class: "seat-grid" },
    ruler(layout.front),
    rowLabels(layout.rows, false),
    svg,
    rowLabels(layout.rows, true),
    ruler(layout.back),
  );
  const fieldset = el(
    "fieldset",
    { class: "seat-scroller" },
    el(
      "legend",
      { class: "visually-hidden" },
      `${section.name} seats. Arrow keys move between seats; Enter or Space selects.`,
    ),
    grid,
  );
  figure.querySelector(".section-loading")?.remove();
  figure.querySelector(".seat-scroller")?.remove();
  figure.append(fieldset);
  figure.dataset.drawn = "true";
  fitted.observe(fieldset);
}

/** Row labels' width on each side (styles.css: `.seat-grid` columns of 1.75rem). */
const LABELS_PX = 2 * 28;

/**
 * A section is drawn whole, shrunk to fit its box when it is wider (a phone): no sideways
 * scrolling, and the browser's pinch-zoom enlarges seats, labels and numbers alike.
 */
const fitted = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const scroller = entry.target as HTMLElement;
    const grid = scroller.querySelector<HTMLElement>(".seat-grid");
    const width = Number(scroller.querySelector("svg.seats")?.getAttribute("width"));
    if (!grid || !width || scroller.clientWidth === 0) continue;
    const zoom = Math.min(1, scroller.clientWidth / (width + LABELS_PX));
    grid.style.zoom = zoom < 1 ? zoom.toFixed(3) : "";
  }
});

/** Fits the sections the server drew (a small venue's) and keeps them fitted. */
export function fitDrawnSections(): void {
  for (const scroller of document.querySelectorAll(".seat-scroller")) fitted.observe(scroller);
}
