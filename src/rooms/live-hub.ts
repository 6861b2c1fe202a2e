import { ChangeLog, mergeSteps } from "../domain/change-log";
import { sectionOfSeat } from "../domain/seat-map";
import type { Step } from "../domain/types";
import { assertNever, ClientMessage, type ServerMessage } from "../live/protocol";

/** Sockets that follow the whole map. */
const TAG = "live";
/** Sockets that follow some sections' seats; each also carries its selection's tag, `sel:A,B`. */
const SELECTED = "live-sel";
const SELECTION_PREFIX = "sel:";

interface Attachment {
  connectedAt: number;
}

/** Which sections' seats a socket follows: undefined, all of them; otherwise these (maybe none). */
export type Selection = ReadonlySet<string> | undefined;

/** `?sections=A,B` (checked by the edge): those sections' seats; absent, the whole map; empty, none. */
export const selectionFrom = (param: string | null): Selection =>
  param === null ? undefined : new Set(param.split(",").filter(Boolean));

const selectionTag = (sections: ReadonlySet<string>): string => `${SELECTION_PREFIX}${[...sections].sort().join(",")}`;
const selectionOf = (tag: string): ReadonlySet<string> =>
  new Set(tag.slice(SELECTION_PREFIX.length).split(",").filter(Boolean));

type Delta = Extract<ServerMessage, { type: "delta" }>;

/** A delta as a selection sees it: only its sections' seats, every section's availability, the same versions. */
function narrowed(delta: Delta, sections: ReadonlySet<string>): Delta {
  return { ...delta, seats: delta.seats.filter((seat) => sections.has(sectionOfSeat(seat.id))) };
}

/**
 * The room's live seat-map subscribers, on hibernatable WebSockets: each change batch goes out as
 * one delta to all of them; a client that missed some gets them again from a bounded log, or a
 * snapshot when the log no longer reaches back (for instance after the room was evicted).
 * A subscriber may follow only some sections' seats (`?sections=A,B`; a big venue's page follows
 * the one it shows): its snapshot and deltas carry only those seats, and every section's availability.
 */
export class LiveHub {
  private readonly log = new ChangeLog();
  /** The selections in use, by tag: known from accepts, or read from the sockets after the room woke. */
  private selections: Map<string, ReadonlySet<string>> | undefined;

  constructor(private readonly ctx: DurableObjectState) {}

  /** `snapshot`: the serialized snapshot message (for `sections`), shared by every socket accepted at this version. */
  accept(snapshot: string, sections: Selection): Response {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    if (sections === undefined) this.ctx.acceptWebSocket(server, [TAG]);
    else {
      const tag = selectionTag(sections);
      this.ctx.acceptWebSocket(server, [SELECTED, tag]);
      this.selectionsInUse().set(tag, sections);
    }
    server.serializeAttachment({ connectedAt: Date.now() } satisfies Attachment);
    sendRaw(server, snapshot);
    // No permessage-deflate: a delta is ~100 bytes, where deflate saves nothing and costs a zlib
    // context per socket and CPU per delta per subscriber (bench:fanout). workerd takes the
    // extensions the 101 names as the ones to accept; naming none it knows turns compression off
    // (the header itself does not reach the client). The no_web_socket_compression flag does not.
    return new Response(null, { status: 101, webSocket: client, headers: { "sec-websocket-extensions": "none" } });
  }

  /** Called once per group commit, after its write: the output gate holds these until durable. */
  publish(steps: readonly Step[]): void {
    if (steps.length === 0) return;
    this.log.append(steps);
    const delta: Delta = { type: "delta", ...mergeSteps(steps) };
    const sockets = this.ctx.getWebSockets(TAG);
    if (sockets.length > 0) {
      const message = JSON.stringify(delta);
      for (const ws of sockets) sendRaw(ws, message);
    }
    const selections = this.selectionsInUse();
    for (const [tag, sections] of selections) {
      const selected = this.ctx.getWebSockets(tag);
      if (selected.length === 0) {
        selections.delete(tag);
        continue;
      }
      const message = JSON.stringify(narrowed(delta, sections));
      for (const ws of selected) sendRaw(ws, message);
    }
  }

  /** The selection a socket was accepted with. */
  selectionOfSocket(ws: WebSocket): Selection {
    const tag = this.ctx.getTags(ws).find((t) => t.startsWith(SELECTION_PREFIX));
    return tag === undefined ? undefined : selectionOf(tag);
  }

  private selectionsInUse(): Map<string, ReadonlySet<string>> {
    if (!this.selections) {
      this.selections = new Map();
      for (const ws of this.ctx.getWebSockets(SELECTED)) {
        for (const tag of this.ctx.getTags(ws)) {
          if (tag.startsWith(SELECTION_PREFIX) && !this.selections.has(tag)) this.selections.set(tag, selectionOf(tag));
        }
      }
    }
    return this.selections;
  }

  receive(ws: WebSocket, raw: string | ArrayBuffer, version: number, snapshot: (sections: Selection) => string): void {
    const parsed = parseClientMessage(raw);
    if (!parsed) {
      send(ws, {
        type: "error",
        code: "BAD_MESSAGE",
        message: 'Send {"type":"resume","version":n} or {"type":"ping"}.',
      });
      return;
    }
    switch (parsed.type) {
      case "ping":
        send(ws, { type: "pong" });
        return;
      case "resume": {
        const sections = this.selectionOfSocket(ws);
        const missed = this.log.since(parsed.version, version);
        if (!missed) {
          sendRaw(ws, snapshot(sections));
          return;
        }
        for (const step of missed) {
          const delta: Delta = { type: "delta", from: step.version, ...step };
          send(ws, sections === undefined ? delta : narrowed(delta, sections));
        }
        return;
      }
      default:
        assertNever(parsed);
    }
  }
}

function parseClientMessage(raw: string | ArrayBuffer): ClientMessage | undefined {
  if (typeof raw !== "string" || raw.length > 1024) return undefined;
  try {
    const result = ClientMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  sendRaw(ws, JSON.stringify(message));
}

function sendRaw(ws: WebSocket, message: string): void {
  try {
    ws.send(message);
  } catch {
    // A socket that closed mid-send is gone; the client reconnects and resumes.
  }
}
