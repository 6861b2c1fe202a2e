import { expect } from "vitest";
import { type ServerMessage, ServerMessage as ServerMessageSchema } from "../../src/live/protocol";
import { call } from "./helpers";

/** A subscriber: its socket, every message it received, and its applied view of the map. */
export class Subscriber {
  readonly messages: ServerMessage[] = [];
  version = -1;
  readonly seats = new Map<string, string>();
  readonly sections = new Map<string, number>();
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const message = ServerMessageSchema.parse(JSON.parse(event.data as string));
      this.messages.push(message);
      this.apply(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** `query`: e.g. `?sections=A` to follow only some sections' seats. */
  static async open(eventId: string, query = ""): Promise<Subscriber> {
    const response = await call("GET", `/api/v1/events/${eventId}/live${query}`, { headers: { upgrade: "websocket" } });
    expect(response.status).toBe(101);
    const ws = response.webSocket!;
    const subscriber = new Subscriber(ws);
    ws.accept();
    await subscriber.until((m) => m.some((x) => x.type === "snapshot"));
    return subscriber;
  }

  private apply(message: ServerMessage): void {
    if (message.type === "snapshot") {
      this.seats.clear();
      for (const section of message.sections) {
        this.sections.set(section.id, section.available);
        for (const seat of section.seats ?? []) this.seats.set(seat.id, seat.status);
      }
      this.version = message.version;
    } else if (message.type === "delta") {
      if (message.version <= this.version) return;
      if (message.from > this.version + 1) throw new Error(`gap: at ${this.version}, delta from ${message.from}`);
      for (const seat of message.seats) this.seats.set(seat.id, seat.status);
      for (const section of message.sections) this.sections.set(section.id, section.available);
      this.version = message.version;
    }
  }

  /** Resolves when the received messages satisfy `test`; event-driven, no sleeping. */
  async until(test: (messages: ServerMessage[]) => boolean): Promise<void> {
    while (!test(this.messages)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async reachVersion(version: number): Promise<void> {
    await this.until(() => this.version >= version);
  }

  deltas() {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: "delta" }> => m.type === "delta");
  }
}
