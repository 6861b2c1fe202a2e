import { ChangeLog, mergeSteps } from "../domain/change-log";
import type { Step } from "../domain/types";
import { assertNever, ClientMessage, type ServerMessage } from "../live/protocol";

const TAG = "live";

interface Attachment {
  connectedAt: number;
}

/**
 * The room's live seat-map subscribers, on hibernatable WebSockets: each change batch goes out as
 * one delta to all of them; a client that missed some gets them again from a bounded log, or a
 * snapshot when the log no longer reaches back (for instance after the room was evicted).
 */
export class LiveHub {
  private readonly log = new ChangeLog();

  constructor(private readonly ctx: DurableObjectState) {}

  /** `snapshot`: the serialized snapshot message, shared by every socket accepted at this version. */
  accept(snapshot: string): Response {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [TAG]);
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
    const sockets = this.ctx.getWebSockets(TAG);
    if (sockets.length === 0) return;
    const message = JSON.stringify({ type: "delta", ...mergeSteps(steps) } satisfies ServerMessage);
    for (const ws of sockets) sendRaw(ws, message);
  }

  receive(ws: WebSocket, raw: string | ArrayBuffer, version: number, snapshot: () => string): void {
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
        const missed = this.log.since(parsed.version, version);
        if (!missed) {
          sendRaw(ws, snapshot());
          return;
        }
        for (const step of missed) send(ws, { type: "delta", from: step.version, ...step });
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
