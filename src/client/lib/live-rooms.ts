import { LiveSeatMap, type LiveSeatMapOptions, type LiveState } from "./live-seat-map";

/**
 * The event page's live map over an event's rooms. One room (no split): one socket, as always. An
 * event split by section (its plan: groups of section ids, one room each) is followed with one
 * socket per room, each for the followed sections that room decides, and their states are kept as
 * one: seats and section counts side by side, the version the sum of the rooms' (the whole map's).
 * A room none of whose sections is followed gets no socket (a big venue's overview then shows that
 * room's counts as loaded, not live).
 */

type Status = "connecting" | "live" | "reconnecting" | "closed";

export interface LiveRoomsOptions {
  /** The event's split (null: one room). */
  plan: string[][] | null;
  /** The live URL following these sections (undefined: the whole map). */
  url: (sections: string[] | undefined) => string;
  /** The sections the page follows now (undefined: all of them). */
  followed: () => string[] | undefined;
  onChange?: (state: LiveState, changedSeatIds: string[]) => void;
  onStatus?: (status: Status) => void;
  WebSocket?: LiveSeatMapOptions["WebSocket"];
}

const WORST: Status[] = ["reconnecting", "connecting", "live", "closed"];

export class LiveRooms {
  private readonly merged: LiveState = { version: -1, seats: new Map(), sections: new Map() };
  private readonly rooms = new Map<string, { map: LiveSeatMap; status: Status }>();
  private single: LiveSeatMap | undefined;

  constructor(private readonly options: LiveRoomsOptions) {}

  /** The map as last heard: the one room's own state, or the rooms' kept as one. */
  get state(): LiveState {
    return this.single?.state ?? this.merged;
  }

  connect(): void {
    if (this.options.plan === null) {
      this.single = new LiveSeatMap({
        url: this.options.url(this.options.followed()),
        WebSocket: this.options.WebSocket,
        onStatus: this.options.onStatus,
        onChange: this.options.onChange,
      });
      this.single.connect();
      return;
    }
    this.follow();
  }

  /** Follows what `followed()` says now: new sockets where needed, the others moved or closed. */
  follow(): void {
    const followed = this.options.followed();
    if (this.options.plan === null) {
      this.single?.follow(this.options.url(followed));
      return;
    }
    for (const group of this.options.plan) {
      const key = group[0]!;
      const sections = followed === undefined ? group : group.filter((id) => followed.includes(id));
      const room = this.rooms.get(key);
      if (sections.length === 0) {
        room?.map.close();
        this.rooms.delete(key);
        continue;
      }
      const url = this.options.url(sections);
      if (room) {
        room.map.follow(url);
        continue;
      }
      const entry = { map: undefined as unknown as LiveSeatMap, status: "connecting" as Status };
      entry.map = new LiveSeatMap({
        url,
        WebSocket: this.options.WebSocket,
        onStatus: (status) => {
          entry.status = status;
          this.reportStatus();
        },
        onChange: (state, changed) => {
          this.copy(state, changed);
          this.merged.version = [...this.rooms.values()].reduce((n, r) => n + Math.max(0, r.map.state.version), 0);
          this.options.onChange?.(this.merged, changed);
        },
      });
      this.rooms.set(key, entry);
      entry.map.connect();
    }
    this.reportStatus();
  }

  close(): void {
    this.single?.close();
    for (const room of this.rooms.values()) room.map.close();
    this.rooms.clear();
  }

  private copy(from: LiveState, changed: string[]): void {
    for (const id of changed) {
      const status = from.seats.get(id);
      if (status === undefined) this.merged.seats.delete(id);
      else this.merged.seats.set(id, status);
    }
    for (const [id, available] of from.sections) this.merged.sections.set(id, available);
  }

  private reportStatus(): void {
    const statuses = [...this.rooms.values()].map((r) => r.status);
    const status = WORST.find((s) => statuses.includes(s)) ?? "live";
    this.options.onStatus?.(status);
  }
}
