import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WaitlistEntry, WaitlistStatus } from "../../src/domain/waitlist";
import { type SqlLike, SqlWaitlistStore } from "../../src/rooms/waitlist-store";

/** The room's waitlist store on Node's SQLite (the same SQL the Durable Object runs). */
function sqlOn(db: DatabaseSync): SqlLike {
  return {
    exec<T>(query: string, ...bindings: unknown[]) {
      if (bindings.length === 0 && query.includes(";")) {
        db.exec(query);
        return { toArray: () => [] as T[] };
      }
      const rows = db.prepare(query).all(...(bindings as SQLInputValue[]));
      return { toArray: () => rows as T[] };
    },
  } as SqlLike;
}

/** What a position counts, written the plain way: every waiting entry ahead in the line. */
function naiveBefore(db: DatabaseSync, line: string, seq: number): number {
  const row = db
    .prepare("SELECT count(*) AS n FROM waitlist WHERE line = ? AND status = 'waiting' AND seq < ?")
    .get(line, seq) as { n: number };
  return Number(row.n);
}

const LINES = ["A", "B", "*"] as const;
const STATUSES: WaitlistStatus[] = ["waiting", "offered", "claimed", "expired", "left"];

type Command =
  | { kind: "join"; user: number; line: number; gap: number }
  | { kind: "status"; user: number; status: WaitlistStatus }
  | { kind: "ask"; line: number; at: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("join" as const),
    user: fc.nat(30),
    line: fc.nat(2),
    // Gaps of up to 700 join numbers: entries land in many blocks of 1,024 and on their edges.
    gap: fc.integer({ min: 1, max: 700 }),
  }),
  fc.record({ kind: fc.constant("status" as const), user: fc.nat(30), status: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant("ask" as const), line: fc.nat(2), at: fc.nat(40_000) }),
);

describe("SqlWaitlistStore positions", () => {
  it("counts the waiting entries ahead exactly as a plain count does, through joins, rejoins and status changes", () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 120 }), (commands) => {
        const db = new DatabaseSync(":memory:");
        const store = new SqlWaitlistStore(sqlOn(db));
        const entries = new Map<number, WaitlistEntry>();
        let seq = 0;
        for (const c of commands) {
          if (c.kind === "join") {
            seq += c.gap;
            const line = LINES[c.line]!;
            const entry: WaitlistEntry = {
              waitlistId: `wl_${seq}`,
              userId: `fan-${c.user}`,
              sectionId: line === "*" ? null : line,
              quantity: 1,
              seq,
              status: "waiting",
              joinedAt: seq,
              updatedAt: seq,
            };
            entries.set(c.user, entry);
            store.put(entry);
          } else if (c.kind === "status") {
            const entry = entries.get(c.user);
            if (!entry) continue;
            entry.status = c.status;
            store.put({ ...entry });
          } else {
            const line = LINES[c.line]!;
            expect(store.countWaitingBefore(line, c.at)).toBe(naiveBefore(db, line, c.at));
          }
          // Every live entry's own position, after every step.
          for (const entry of entries.values()) {
            const line = entry.sectionId ?? "*";
            expect(store.countWaitingBefore(line, entry.seq)).toBe(naiveBefore(db, line, entry.seq));
          }
        }
        db.close();
      }),
      { numRuns: 150 },
    );
  });
});
