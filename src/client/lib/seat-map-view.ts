import { type SeatStatus, seatLabel } from "../../pages/format";
import type { RowSeats } from "./party";

export interface SectionInfo {
  id: string;
  name: string;
  kind: "seated" | "ga";
  priceCents: number;
}

export interface SeatInfo {
  id: string;
  section: SectionInfo;
  row: string;
  number: number;
}

const STATUSES = new Set<string>(["available", "held", "sold", "blocked"]);
const isStatus = (s: string | undefined): s is SeatStatus => s !== undefined && STATUSES.has(s);

/**
 * The server-rendered SVG seat map, made live and operable: statuses and accessible names follow
 * the live state, a click or Enter/Space toggles a seat, arrow keys move between seats (one tab
 * stop per section, roving tabindex). Holds no selection policy: it asks `onToggle`.
 */
export class SeatMapView {
  readonly seats = new Map<string, SVGElement>();
  private readonly info = new Map<string, SeatInfo>();
  /** Per section: rows of seat elements in display order, for arrow-key movement. */
  private readonly grids = new Map<string, SVGElement[][]>();
  /** Each seat's row and column in its section's grid. */
  private readonly places = new Map<SVGElement, { r: number; c: number }>();

  constructor(
    root: ParentNode,
    sections: SectionInfo[],
    private readonly currency: string,
    private readonly onToggle: (seatId: string) => void,
  ) {
    this.sections = new Map(sections.map((s) => [s.id, s]));
    for (const figure of root.querySelectorAll<HTMLElement>("figure.section-map[data-drawn]")) this.attach(figure);
  }

  private readonly sections: Map<string, SectionInfo>;

  /** Makes a drawn section (server-rendered, or drawn when opened) live and operable. */
  attach(figure: HTMLElement): void {
    const section = this.sections.get(figure.dataset.sectionId ?? "");
    if (!section) return;
    const grid: SVGElement[][] = [];
    figure.querySelectorAll("g.row").forEach((row, r) => {
      const line: SVGElement[] = [];
      row.querySelectorAll<SVGElement>("[data-seat-id]").forEach((seat, c) => {
        const id = seat.dataset.seatId!;
        const [, label, number] = id.split("-");
        this.seats.set(id, seat);
        this.info.set(id, { id, section, row: label ?? "", number: Number(number) });
        this.places.set(seat, { r, c });
        line.push(seat);
      });
      grid.push(line);
    });
    this.grids.set(section.id, grid);
    const svg = figure.querySelector("svg");
    svg?.addEventListener("click", (event) => this.activate(event.target));
    svg?.addEventListener("keydown", (event) => this.keydown(event, section.id));
  }

  /** A drawn section's rows, front first, for finding seats that sit together. */
  rows(sectionId: string): RowSeats[] {
    return (this.grids.get(sectionId) ?? []).map((line) => ({
      label: this.info.get(line[0]?.dataset.seatId ?? "")?.row ?? "",
      seats: line.map((seat) => ({
        id: seat.dataset.seatId!,
        number: this.info.get(seat.dataset.seatId!)?.number ?? 0,
      })),
    }));
  }

  /** The seat's element, focused and made the section's tab stop. */
  focusSeat(seatId: string): void {
    const seat = this.seats.get(seatId);
    if (seat) this.focus(seat);
  }

  seatInfo(seatId: string): SeatInfo | undefined {
    return this.info.get(seatId);
  }

  status(seatId: string): SeatStatus | undefined {
    const status = this.seats.get(seatId)?.dataset.status;
    return isStatus(status) ? status : undefined;
  }

  /** Applies a live status; returns whether it changed. */
  setStatus(seatId: string, status: string): boolean {
    const seat = this.seats.get(seatId);
    const info = this.info.get(seatId);
    if (!seat || !info || !isStatus(status) || seat.dataset.status === status) return false;
    seat.dataset.status = status;
    if (status === "available") seat.removeAttribute("aria-disabled");
    else seat.setAttribute("aria-disabled", "true");
    seat.setAttribute(
      "aria-label",
      seatLabel(info.section.name, info.row, info.number, info.section.priceCents, this.currency, status),
    );
    return true;
  }

  setSelected(seatId: string, selected: boolean): void {
    const seat = this.seats.get(seatId);
    if (!seat) return;
    seat.setAttribute("aria-pressed", String(selected));
    seat.classList.toggle("selected", selected);
  }

  setMine(seatIds: Iterable<string>, mine: boolean): void {
    for (const id of seatIds) this.seats.get(id)?.classList.toggle("mine", mine);
  }

  private activate(target: EventTarget | null): void {
    if (!(target instanceof Element)) return;
    const seat = target.closest<SVGElement>("[data-seat-id]");
    if (!seat) return;
    this.focus(seat);
    this.onToggle(seat.dataset.seatId!);
  }

  private focus(seat: SVGElement): void {
    const section = this.info.get(seat.dataset.seatId!)?.section.id;
    for (const row of this.grids.get(section ?? "") ?? []) {
      for (const other of row) if (other && other !== seat) other.setAttribute("tabindex", "-1");
    }
    seat.setAttribute("tabindex", "0");
    seat.focus();
  }

  private keydown(event: KeyboardEvent, sectionId: string): void {
    const target = event.target;
    if (!(target instanceof SVGElement) || !target.dataset.seatId) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.onToggle(target.dataset.seatId);
      return;
    }
    const grid = this.grids.get(sectionId) ?? [];
    const place = this.places.get(target);
    if (!place) return;
    let { r, c } = place;
    const row = () => grid[r] ?? [];
    switch (event.key) {
      case "ArrowLeft":
        c = Math.max(0, c - 1);
        break;
      case "ArrowRight":
        c = Math.min(row().length - 1, c + 1);
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const next = r + (event.key === "ArrowUp" ? -1 : 1);
        if (next < 0 || next >= grid.length) return;
        // Keep the horizontal position: the nearest seat by x in the next row.
        const x = Number(target.getAttribute("cx"));
        r = next;
        let best = 0;
        row().forEach((seat, i) => {
          if (Math.abs(Number(seat.getAttribute("cx")) - x) < Math.abs(Number(row()[best]?.getAttribute("cx")) - x))
            best = i;
        });
        c = best;
        break;
      }
      case "Home":
        c = 0;
        break;
      case "End":
        c = row().length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const seat = row()[c];
    if (seat) this.focus(seat);
  }
}
