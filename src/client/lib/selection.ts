import * as z from "zod/mini";
import { sectionOfSeat } from "../../domain/seat-map";
import { breakdownText, money } from "../../pages/format";
import { el } from "./dom";
import type { PagePricing, UnitPrice } from "./event-data";
import type { Line } from "./event-ui";
import type { Hold } from "./schemas";

/**
 * What the fan has chosen before holding: seats and standing tickets. An event with several ticket
 * types (`pricing`) also keeps a type per seat and counts standing tickets per section and type;
 * without it every line is priced by its section, as before types.
 */

/** A standing line's key: the section, and its type when the event has several ("FLOOR:child"). */
export const gaKey = (sectionId: string, type?: string): string => (type ? `${sectionId}:${type}` : sectionId);
export function gaOf(key: string): { sectionId: string; type: string | undefined } {
  const [sectionId = key, type] = key.split(":");
  return { sectionId, type };
}

/** The stepper input of a standing line. */
export function gaInput(key: string): HTMLInputElement | null {
  const { sectionId, type } = gaOf(key);
  const typed = type ? `[data-ticket-type="${CSS.escape(type)}"]` : "";
  return document.querySelector<HTMLInputElement>(`[data-ga-quantity="${CSS.escape(sectionId)}"]${typed}`);
}

export const StoredSelection = z.object({
  seats: z.array(z.string()),
  ga: z.record(z.string(), z.int()),
  types: z.optional(z.record(z.string(), z.string())),
});

interface Section {
  id: string;
  name: string;
  priceCents: number;
}

export interface LineActions {
  seatName: (seatId: string) => string;
  toggleSeat: (seatId: string) => void;
  setGa: (key: string, quantity: number) => void;
  setType: (seatId: string, type: string) => void;
}

export class Selection {
  readonly seats = new Set<string>();
  readonly ga = new Map<string, number>();
  private readonly seatTypes = new Map<string, string>();

  constructor(
    private readonly pricing: PagePricing | undefined,
    private readonly sections: Map<string, Section>,
    private readonly currency: string,
  ) {}

  /** Whether the event has several ticket types (and the page shows types, breakdowns and the voucher). */
  get priced(): boolean {
    return this.pricing !== undefined;
  }

  count(): number {
    return this.seats.size + [...this.ga.values()].reduce((n, q) => n + q, 0);
  }

  /** Standing tickets chosen in a section, but for the line `except`. */
  gaIn(sectionId: string, except: string): number {
    let n = 0;
    for (const [key, quantity] of this.ga) if (key !== except && gaOf(key).sectionId === sectionId) n += quantity;
    return n;
  }

  /** A seat's type: the one chosen, else the first on open sale in its section (the price its seat shows). */
  typeOf(seatId: string): string | undefined {
    const sectionId = sectionOfSeat(seatId);
    const chosen = this.seatTypes.get(seatId);
    const types = this.pricing?.types.filter((t) => t.prices[sectionId]) ?? [];
    return types.find((t) => t.id === chosen)?.id ?? (types.find((t) => !t.requiresVoucher) ?? types[0])?.id;
  }

  setType(seatId: string, type: string): void {
    this.seatTypes.set(seatId, type);
  }

  unit(type: string | undefined, sectionId: string): UnitPrice | undefined {
    return this.pricing?.types.find((t) => t.id === type)?.prices[sectionId];
  }

  typeName(type: string | undefined): string {
    return this.pricing?.types.find((t) => t.id === type)?.name ?? type ?? "";
  }

  clear(): void {
    this.seats.clear();
    this.ga.clear();
    this.seatTypes.clear();
  }

  /** The hold's body: seats with their types (`seats`) when the event has several, else `seatIds`. */
  holdBody(voucher: string) {
    const ga = [...this.ga].map(([key, quantity]) => {
      const { sectionId, type } = gaOf(key);
      return { sectionId, quantity, ...(type && { ticketType: type }) };
    });
    if (!this.pricing) return { seatIds: [...this.seats], ga };
    const seats = [...this.seats].map((seatId) => ({ seatId, ticketType: this.typeOf(seatId) }));
    return { seatIds: [], seats, ga, ...(voucher && { voucher }) };
  }

  stored(): z.infer<typeof StoredSelection> {
    const types = [...this.seats].flatMap((id) => {
      const type = this.seatTypes.get(id);
      return type ? [[id, type] as const] : [];
    });
    return {
      seats: [...this.seats],
      ga: Object.fromEntries(this.ga),
      ...(types.length > 0 && { types: Object.fromEntries(types) }),
    };
  }

  restoreTypes(types: Record<string, string> | undefined): void {
    for (const [seatId, type] of Object.entries(types ?? {})) this.seatTypes.set(seatId, type);
  }

  /** The selection's lines (and, with several types, the order fee), priced all-in. */
  lines(o: LineActions): Line[] {
    const out: Line[] = [];
    for (const seatId of this.seats) {
      const sectionId = sectionOfSeat(seatId);
      const label = o.seatName(seatId);
      if (!this.pricing) {
        out.push({ label, cents: this.sections.get(sectionId)?.priceCents ?? 0, remove: () => o.toggleSeat(seatId) });
        continue;
      }
      const type = this.typeOf(seatId);
      const unit = this.unit(type, sectionId);
      out.push({
        label,
        cents: unit?.priceCents ?? 0,
        remove: () => o.toggleSeat(seatId),
        extra: [this.typeChooser(seatId, label, sectionId, type, o.setType), ...this.madeOf(unit)],
      });
    }
    for (const [key, quantity] of this.ga) {
      const { sectionId, type } = gaOf(key);
      const section = this.sections.get(sectionId);
      const name = section?.name ?? sectionId;
      const unit = this.unit(type, sectionId);
      out.push({
        label: type ? `${name}, ${this.typeName(type)} × ${quantity}` : `${name} × ${quantity}`,
        cents: (unit?.priceCents ?? section?.priceCents ?? 0) * quantity,
        remove: () => o.setGa(key, 0),
        ...(unit && { extra: this.madeOf(unit, quantity) }),
      });
    }
    const fee = this.pricing?.orderFee;
    if (fee && out.some((l) => l.cents > 0))
      out.push({ label: "Order fee", cents: fee.priceCents, extra: this.madeOf(fee) });
    return out;
  }

  /** "€40.00 + €2.50 fees + €8.08 VAT" under a line (each, when there are several). */
  private madeOf(unit: UnitPrice | undefined, quantity = 1): Node[] {
    if (!unit) return [];
    const text = breakdownText(unit, this.currency, this.pricing?.taxName ?? null);
    const each = quantity > 1 ? `${money(unit.priceCents, this.currency)} each: ` : "";
    return [el("span", { class: "breakdown muted small" }, `${each}${text}`)];
  }

  /** The type of one selected seat: a labelled select, each option with its all-in price. */
  private typeChooser(
    seatId: string,
    label: string,
    sectionId: string,
    current: string | undefined,
    onChange: (seatId: string, type: string) => void,
  ): HTMLElement {
    const id = `type-${seatId}`;
    const select = el("select", {
      id,
      "data-type-of": seatId,
      "data-focus-key": id,
      "aria-label": `Ticket type for ${label}`,
    });
    for (const type of this.pricing?.types ?? []) {
      const unit = type.prices[sectionId];
      if (!unit) continue;
      const option = el("option", { value: type.id }, `${type.name}, ${money(unit.priceCents, this.currency)}`);
      option.selected = type.id === current;
      select.append(option);
    }
    select.addEventListener("change", () => onChange(seatId, select.value));
    return el("span", { class: "type-choice" }, el("label", { for: id }, "Ticket type"), select);
  }
}

/** The words of a held item: its seat (or section and count) and, with several types, its type. */
export function heldLabels(
  h: Hold,
  selection: Selection,
  seatName: (id: string) => string,
  sections: Map<string, Section>,
): string[] {
  return h.items.map((item) => {
    const type = selection.priced && item.ticketType ? `, ${selection.typeName(item.ticketType)}` : "";
    if (item.seatId) return `${seatName(item.seatId)}${type}`;
    return `${sections.get(item.sectionId ?? "")?.name ?? item.sectionId}${type} × ${item.quantity}`;
  });
}
