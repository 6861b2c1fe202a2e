import { describe, expect, it } from "vitest";
import { applyMessage, LiveSeatMap, type LiveState, liveUrl } from "../../src/client/lib/live-seat-map";
import { ChangeLog, mergeSteps } from "../../src/domain/change-log";

const fresh = (): LiveState => ({ version: -1, seats: new Map(), sections: new Map() });

const snapshot = (version: number, seats: Record<string, string>) => ({
  type: "snapshot" as const,
  eventId: "e",
  version,
  sections: [
    {
      id: "A",
      name: "A",
      kind: "seated" as const,
      priceCents: 1,
      available: Object.values(seats).filter((s) => s === "available").length,
      capacity: Object.keys(seats).length,
      seats: Object.entries(seats).map(([id, status], i) => ({
        id,
        row: "1",
        number: i + 1,
        status: status as "held",
      })),
    },
  ],
});

const delta = (from: number, version: number, seats: Record<string, string>) => ({
  type: "delta" as const,
  from,
  version,
  seats: Object.entries(seats).map(([id, status]) => ({ id, status: status as "held" })),
  sections: [],
});

describe("applying live messages", () => {
  it("applies contiguous and overlapping deltas, ignores old ones, reports gaps", () => {
    const state = fresh();
    expect(applyMessage(state, delta(1, 1, { "A-1-1": "held" }))).toBe("gap");
    expect(applyMessage(state, snapshot(3, { "A-1-1": "available", "A-1-2": "available" }))).toBe("applied");
    expect(applyMessage(state, delta(2, 3, { "A-1-1": "held" }))).toBe("ignored");
    expect(applyMessage(state, delta(3, 5, { "A-1-1": "held" }))).toBe("applied");
    expect(state.version).toBe(5);
    expect(applyMessage(state, delta(7, 7, { "A-1-2": "sold" }))).toBe("gap");
    expect(state.seats.get("A-1-2")).toBe("available");
    expect(applyMessage(state, delta(6, 7, { "A-1-2": "sold" }))).toBe("applied");
    expect(state.seats.get("A-1-2")).toBe("sold");
  });
});

describe("the change log", () => {
  it("answers exactly the steps after a version, or undefined once they are gone", () => {
    const log = new ChangeLog(3);
    const step = (v: number) => ({ version: v, seats: [{ id: `s${v}`, status: "held" as const }], sections: [] });
    log.append([step(1), step(2), step(3), step(4)]);
    expect(log.since(4, 4)).toEqual([]);
    expect(log.since(2, 4)?.map((s) => s.version)).toEqual([3, 4]);
    expect(log.since(1, 4)?.map((s) => s.version)).toEqual([2, 3, 4]);
    expect(log.since(0, 4)).toBeUndefined();
    expect(log.since(9, 4)).toBeUndefined();
    expect(mergeSteps([step(2), step(3)])).toMatchObject({ from: 2, version: 3 });
  });
});

/** A scripted WebSocket: the test plays the server. */
class FakeSocket extends EventTarget {
  static all: FakeSocket[] = [];
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.dispatchEvent(new Event("close"));
  }
  open() {
    this.dispatchEvent(new Event("open"));
  }
  serve(message: unknown) {
    this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(message) }));
  }
}

describe("LiveSeatMap", () => {
  it("resumes on a gap, reconnects with growing backoff and resumes from its version", () => {
    FakeSocket.all = [];
    const delays: number[] = [];
    const pending: Array<() => void> = [];
    const changes: string[][] = [];
    const map = new LiveSeatMap({
      url: "wss://x/live",
      WebSocket: FakeSocket as unknown as new (url: string) => WebSocket,
      random: () => 1,
      initialBackoffMs: 100,
      schedule: (fn, ms) => {
        delays.push(ms);
        pending.push(fn);
      },
      onChange: (_state, changed) => changes.push(changed),
    });
    map.connect();
    const first = FakeSocket.all[0]!;
    first.open();
    expect(first.sent).toEqual([]);
    first.serve(snapshot(1, { "A-1-1": "available" }));
    first.serve(delta(2, 2, { "A-1-1": "held" }));
    expect(map.state.seats.get("A-1-1")).toBe("held");
    first.serve(delta(5, 5, { "A-1-1": "sold" }));
    expect(first.sent).toEqual([JSON.stringify({ type: "resume", version: 2 })]);
    first.serve({ type: "garbage" });

    first.close();
    expect(delays).toEqual([100]);
    pending.shift()!();
    const second = FakeSocket.all[1]!;
    second.close();
    expect(delays).toEqual([100, 200]);
    pending.shift()!();
    const third = FakeSocket.all[2]!;
    third.open();
    expect(third.sent).toEqual([JSON.stringify({ type: "resume", version: 2 })]);
    third.serve(delta(3, 5, { "A-1-1": "sold" }));
    expect(map.state.version).toBe(5);
    expect(changes.at(-1)).toEqual(["A-1-1"]);

    map.close();
    expect(FakeSocket.all).toHaveLength(3);
  });

  it("follows other sections on a fresh socket: the old one is closed and ignored, and the new snapshot is the state", () => {
    FakeSocket.all = [];
    const scheduled: number[] = [];
    const changes: string[][] = [];
    const origin = { protocol: "https:", host: "tickets.test" };
    const map = new LiveSeatMap({
      url: liveUrl(origin, "e1", { sections: [] }),
      WebSocket: FakeSocket as unknown as new (url: string) => WebSocket,
      schedule: (_fn, ms) => scheduled.push(ms),
      onChange: (_state, changed) => changes.push(changed),
    });
    map.connect();
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe("wss://tickets.test/api/v1/events/e1/live?sections=");
    first.open();
    first.serve(snapshot(4, {}));

    map.follow(liveUrl(origin, "e1", { access: "tok", sections: ["B", "A", "B"] }));
    map.follow(liveUrl(origin, "e1", { access: "tok", sections: ["A", "B"] }));
    expect(FakeSocket.all).toHaveLength(2);
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe("wss://tickets.test/api/v1/events/e1/live?access=tok&sections=A%2CB");
    expect(scheduled).toEqual([]);
    first.serve(delta(5, 5, { "A-1-1": "held" }));
    expect(map.state.seats.has("A-1-1")).toBe(false);
    second.open();
    expect(second.sent).toEqual([]);
    second.serve(snapshot(5, { "A-1-1": "held", "A-1-2": "available" }));
    expect(map.state.version).toBe(5);
    expect(changes.at(-1)).toEqual(["A-1-1", "A-1-2"]);
    expect(liveUrl({ protocol: "http:", host: "localhost:8787" }, "e 2")).toBe(
      "ws://localhost:8787/api/v1/events/e%202/live",
    );
    map.close();
  });
});
