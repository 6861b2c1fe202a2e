import { assertNever, type ServerMessage, ServerMessage as ServerMessageSchema } from "../../live/protocol";

/**
 * The browser's live seat map: connects to `/api/v1/events/:eventId/live`, keeps a local copy of
 * seat and section states, applies deltas, asks to resume on a gap, and reconnects with jittered
 * exponential backoff (resuming from the last version it saw). No DOM: pages subscribe to changes.
 */

export interface LiveState {
  version: number;
  seats: Map<string, string>;
  sections: Map<string, number>;
}

export type Applied = "applied" | "ignored" | "gap";

/** Applies one server message to the state; pure apart from mutating `state`. */
export function applyMessage(state: LiveState, message: ServerMessage): Applied {
  switch (message.type) {
    case "snapshot":
      state.seats.clear();
      state.sections.clear();
      for (const section of message.sections) {
        state.sections.set(section.id, section.available);
        for (const seat of section.seats ?? []) state.seats.set(seat.id, seat.status);
      }
      state.version = message.version;
      return "applied";
    case "delta":
      if (message.version <= state.version) return "ignored";
      if (state.version < 0 || message.from > state.version + 1) return "gap";
      for (const seat of message.seats) state.seats.set(seat.id, seat.status);
      for (const section of message.sections) state.sections.set(section.id, section.available);
      state.version = message.version;
      return "applied";
    case "pong":
    case "error":
      return "ignored";
    default:
      return assertNever(message);
  }
}

export interface LiveSeatMapOptions {
  url: string;
  onChange?: (state: LiveState, changedSeatIds: string[]) => void;
  onStatus?: (status: "connecting" | "live" | "reconnecting" | "closed") => void;
  WebSocket?: new (url: string) => WebSocket;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  schedule?: (fn: () => void, ms: number) => unknown;
}

/**
 * The live map's URL: `sections` follows only those sections' seats (`?sections=A,B`; empty: just
 * every section's availability); without it, the whole map.
 */
export function liveUrl(
  origin: { protocol: string; host: string },
  eventId: string,
  options: { access?: string; sections?: Iterable<string> } = {},
): string {
  const query = new URLSearchParams();
  if (options.access) query.set("access", options.access);
  if (options.sections) query.set("sections", [...new Set(options.sections)].sort().join(","));
  const search = query.toString();
  const scheme = origin.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${origin.host}/api/v1/events/${encodeURIComponent(eventId)}/live${search ? `?${search}` : ""}`;
}

export class LiveSeatMap {
  readonly state: LiveState = { version: -1, seats: new Map(), sections: new Map() };
  private socket: WebSocket | undefined;
  private attempts = 0;
  private closed = false;
  private url: string;

  constructor(private readonly options: LiveSeatMapOptions) {
    this.url = options.url;
  }

  /** Follows another URL (other sections): a fresh socket, whose snapshot replaces the state. */
  follow(url: string): void {
    if (url === this.url) return;
    this.url = url;
    if (this.closed || !this.socket) return;
    const old = this.socket;
    this.socket = undefined;
    old.close(1000, "bye");
    this.attempts = 0;
    // No resume on the new socket: its snapshot is the new subscription's whole state.
    this.state.version = -1;
    this.connect();
  }

  connect(): void {
    this.closed = false;
    const Socket = this.options.WebSocket ?? WebSocket;
    this.options.onStatus?.(this.attempts === 0 ? "connecting" : "reconnecting");
    const socket = new Socket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempts = 0;
      this.options.onStatus?.("live");
      // The server sends a snapshot on connect; after a reconnect, a resume may save most of it.
      if (this.state.version >= 0) this.send({ type: "resume", version: this.state.version });
    });
    socket.addEventListener("message", (event) => {
      // A socket left behind by follow() may still deliver; only the current one counts.
      if (socket === this.socket) this.receive(event.data);
    });
    socket.addEventListener("close", () => this.reconnectLater(socket));
    socket.addEventListener("error", () => this.reconnectLater(socket));
  }

  close(): void {
    this.closed = true;
    this.socket?.close(1000, "bye");
    this.options.onStatus?.("closed");
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let parsed: ServerMessage;
    try {
      parsed = ServerMessageSchema.parse(JSON.parse(data));
    } catch {
      return;
    }
    const changed =
      parsed.type === "delta"
        ? parsed.seats.map((s) => s.id)
        : parsed.type === "snapshot"
          ? [...this.state.seats.keys()]
          : [];
    const applied = applyMessage(this.state, parsed);
    if (applied === "gap") this.send({ type: "resume", version: Math.max(this.state.version, 0) });
    else if (applied === "applied") {
      this.options.onChange?.(this.state, parsed.type === "snapshot" ? [...this.state.seats.keys()] : changed);
    }
  }

  private send(message: { type: "resume"; version: number }): void {
    try {
      this.socket?.send(JSON.stringify(message));
    } catch {
      // Not open yet or already gone; the reconnect path resumes.
    }
  }

  private reconnectLater(socket: WebSocket): void {
    if (this.closed || socket !== this.socket) return;
    this.socket = undefined;
    const initial = this.options.initialBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(max, initial * 2 ** this.attempts);
    const delay = Math.round(ceiling / 2 + (this.options.random ?? Math.random)() * (ceiling / 2));
    this.attempts++;
    this.options.onStatus?.("reconnecting");
    (this.options.schedule ?? setTimeout)(() => {
      if (!this.closed) this.connect();
    }, delay);
  }
}
