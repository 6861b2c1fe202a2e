import type { Inventory } from "../domain/inventory";

type Piece = { version: number; json: string };

/**
 * The seat map serialized once per change, for every reader: GET seats, the event page, socket
 * accepts and resumes all get the same bytes. Each section's JSON is kept until a change touches
 * that section, so a hold in one section re-serializes that section only, and the whole map is a
 * concatenation of cached pieces (a 50,000-seat map costs ~9 ms to build from scratch).
 */
export class SnapshotCache {
  private readonly sections = new Map<string, Piece>();
  private readonly summaries = new Map<string, Piece>();

  /** Prices or names may have changed: forget everything. */
  clear(): void {
    this.sections.clear();
    this.summaries.clear();
  }

  /** `[...]` of the named section (or all), current as of the inventory's version; expires due holds first. */
  sectionsJson(inventory: Inventory, now: number, sectionId?: string): string {
    inventory.expireDue(now);
    const ids = sectionId === undefined ? inventory.sectionIds() : [sectionId];
    return `[${ids.map((id) => this.sectionJson(inventory, now, id)).join(",")}]`;
  }

  /** The body of GET …/seats: `{"eventId","version","sections"}`. */
  seatsJson(inventory: Inventory, now: number, sectionId?: string): string {
    const sections = this.sectionsJson(inventory, now, sectionId);
    return `{"eventId":${JSON.stringify(inventory.eventId)},"version":${inventory.version},"sections":${sections}}`;
  }

  /**
   * The live map's first message: `{"type":"snapshot",...}` with the same pieces. With `seatsOf`
   * (a subscription to some sections), every section is listed but only those carry their seats.
   */
  snapshotMessage(inventory: Inventory, now: number, seatsOf?: ReadonlySet<string>): string {
    let sections: string;
    if (seatsOf === undefined) sections = this.sectionsJson(inventory, now);
    else {
      inventory.expireDue(now);
      const pieces = inventory
        .sectionIds()
        .map((id) => (seatsOf.has(id) ? this.sectionJson(inventory, now, id) : this.summaryJson(inventory, now, id)));
      sections = `[${pieces.join(",")}]`;
    }
    return `{"type":"snapshot","eventId":${JSON.stringify(inventory.eventId)},"version":${inventory.version},"sections":${sections}}`;
  }

  private sectionJson(inventory: Inventory, now: number, id: string): string {
    return this.piece(this.sections, inventory, id, () => JSON.stringify(inventory.sectionsView(now, id)[0]));
  }

  /** A section without its seats: name, price, availability. */
  private summaryJson(inventory: Inventory, now: number, id: string): string {
    return this.piece(this.summaries, inventory, id, () => JSON.stringify(inventory.sectionsView(now, id, false)[0]));
  }

  private piece(cache: Map<string, Piece>, inventory: Inventory, id: string, render: () => string): string {
    const changedAt = inventory.sectionVersion(id);
    const cached = cache.get(id);
    if (cached && cached.version === changedAt) return cached.json;
    const json = render();
    cache.set(id, { version: changedAt, json });
    return json;
  }
}
