import { describe, expect, it } from "vitest";
import { EVENT_ACTIONS, nextEventState } from "../../src/domain/event-status";
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
