import { describe, expect, it } from "vitest";
import { EVENT_ACTIONS, nextEventState, takesDefinition } from "../../src/domain/event-status";
import type { EventState } from "../../src/domain/types";

const STATES: EventState[] = ["draft", "published", "paused", "cancelled"];

describe("the event's state machine", () => {
  it("publishes, pauses, resumes and cancels from the states that allow it, and nothing else", () => {
    const table = Object.fromEntries(
      EVENT_ACTIONS.map((action) => [action, STATES.map((state) => nextEventState(state, action) ?? "-")]),
    );
    //                 draft        published    paused       cancelled
    expect(table).toEqual({
      publish: ["published", "published", "published", "-"],
      pause: ["-", "paused", "paused", "-"],
      resume: ["-", "published", "published", "-"],
      cancel: ["cancelled", "cancelled", "cancelled", "cancelled"],
    });
  });

  it("keeps the state for a change without an action, except that a cancelled event takes none", () => {
    expect(STATES.map((state) => nextEventState(state, undefined))).toEqual([
      "draft",
      "published",
      "paused",
      undefined,
    ]);
  });
});

describe("which definition the room keeps", () => {
  const def = (state: EventState, definitionVersion?: number) => ({ state, definitionVersion });

  it("takes the newer version, ignores an older one, and never undoes a cancel", () => {
    expect(takesDefinition(undefined, def("published", 1))).toBe(true);
    expect(takesDefinition(def("published", 3), def("paused", 4))).toBe(true);
    expect(takesDefinition(def("published", 3), def("published", 3))).toBe(true);
    expect(takesDefinition(def("paused", 4), def("published", 3))).toBe(false);
    expect(takesDefinition(def("published", 9), def("cancelled", 2))).toBe(true);
    expect(takesDefinition(def("cancelled", 2), def("published", 9))).toBe(false);
    expect(takesDefinition(def("cancelled", 2), def("published"))).toBe(false);
    expect(takesDefinition(def("published", 2), def("paused"))).toBe(true);
  });
});
