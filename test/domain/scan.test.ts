import { describe, expect, it } from "vitest";
import { judgeOffline } from "../../src/domain/scan";

describe("the door's offline verdict", () => {
  const book = { revoked: new Set(["tkt_gone"]), used: new Map([["tkt_in", "2026-12-07T20:00:00.000Z"]]) };

  it("answers as the check-in API does, in its order: invalid, wrong event, void, already used, admitted", () => {
    expect(judgeOffline(undefined, "evt_1", book)).toEqual({ result: "invalid" });
    expect(judgeOffline({ tid: "tkt_gone", eid: "evt_2" }, "evt_1", book)).toEqual({
      result: "wrong_event",
      ticketId: "tkt_gone",
    });
    expect(judgeOffline({ tid: "tkt_gone", eid: "evt_1" }, "evt_1", book)).toEqual({
      result: "void",
      ticketId: "tkt_gone",
    });
    expect(judgeOffline({ tid: "tkt_in", eid: "evt_1" }, "evt_1", book)).toEqual({
      result: "already_used",
      ticketId: "tkt_in",
      firstScannedAt: "2026-12-07T20:00:00.000Z",
    });
    expect(judgeOffline({ tid: "tkt_new", eid: "evt_1" }, "evt_1", book)).toEqual({
      result: "admitted",
      ticketId: "tkt_new",
    });
  });

  it("a revoked ticket stays void even if this device admitted it before the revocation arrived", () => {
    const both = { revoked: new Set(["tkt_in"]), used: book.used };
    expect(judgeOffline({ tid: "tkt_in", eid: "evt_1" }, "evt_1", both).result).toBe("void");
  });
});
