/**
 * Random command sequences through the Inventory core and the naive reference model, compared
 * after every step, with the core's own invariants checked directly; and the same sequences
 * through a core that is rebuilt from its persisted rows at random points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RETENTION_MS } from "../../src/domain/inventory";
import { modelCommands, RUNS, restoreCommands, startTimes, TIMEOUT } from "./inventory-commands";
import { play } from "./inventory-scenario";
import { REF_RETENTION_MS } from "./reference-model";

describe("Inventory against the reference model", () => {
  it("uses the model's retention period", () => {
    expect(RETENTION_MS).toBe(REF_RETENTION_MS);
  });

  it(
    "agrees with the model and keeps its invariants after every step",
    () => {
      fc.assert(
        fc.property(startTimes, modelCommands, (start, commands) => {
          play(start, commands);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "rebuilds from its persisted rows into the same state and the same behaviour",
    () => {
      fc.assert(
        fc.property(startTimes, restoreCommands, (start, commands) => {
          play(start, commands);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
