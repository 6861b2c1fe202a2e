import type { WaitlistCounters, WaitlistEntry, WaitlistStore } from "../domain/waitlist";

/** The part of DurableObjectStorage's `sql` this store uses (Node's SQLite can stand in for benchmarks). */
export interface SqlLike {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): { toArray(): T[] };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS waitlist (
    user_id TEXT PRIMARY KEY,
    line TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS waitlist_line_waiting ON waitlist (line, status, seq);
  CREATE INDEX IF NOT EXISTS waitlist_status ON waitlist (status);
  CREATE TABLE IF NOT EXISTS waitlist_counters (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
`;

type Row = { json: string } & Record<string, SqlStorageValue>;

/**
 * The room's waitlist in its own SQLite tables: one row per user (their latest entry), indexed by
 * line, status and join order, so the head of a line and a position are index range reads.
 * Writes go straight to SQLite; the room's output gate holds the reply until they are durable.
 */
export class SqlWaitlistStore implements WaitlistStore {
  constructor(private readonly sql: SqlLike) {
    sql.exec(SCHEMA);
  }

  byUser(userId: string): WaitlistEntry | undefined {
    const row = this.sql.exec<Row>("SELECT json FROM waitlist WHERE user_id = ?", userId).toArray()[0];
    return row ? (JSON.parse(row.json) as WaitlistEntry) : undefined;
  }

  waitingAfter(line: string, afterSeq: number, limit: number): WaitlistEntry[] {
    return this.sql
      .exec<Row>(
        "SELECT json FROM waitlist WHERE line = ? AND status = 'waiting' AND seq > ? ORDER BY seq LIMIT ?",
        line,
        afterSeq,
        limit,
      )
      .toArray()
      .map((row) => JSON.parse(row.json) as WaitlistEntry);
  }

  countWaitingBefore(line: string, seq: number): number {
    const row = this.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM waitlist WHERE line = ? AND status = 'waiting' AND seq < ?",
        line,
        seq,
      )
      .toArray()[0];
    return Number(row?.n ?? 0);
  }

  waitingCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const row of this.sql
      .exec<{ line: string; n: number }>(
        "SELECT line, count(*) AS n FROM waitlist WHERE status = 'waiting' GROUP BY line",
      )
      .toArray()) {
      counts.set(row.line, Number(row.n));
    }
    return counts;
  }

  offered(): WaitlistEntry[] {
    return this.sql
      .exec<Row>("SELECT json FROM waitlist WHERE status = 'offered'")
      .toArray()
      .map((row) => JSON.parse(row.json) as WaitlistEntry);
  }

  maxSeq(): number {
    const row = this.sql.exec<{ m: number | null }>("SELECT max(seq) AS m FROM waitlist").toArray()[0];
    return Number(row?.m ?? 0);
  }

  put(entry: WaitlistEntry): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO waitlist (user_id, line, seq, status, json) VALUES (?, ?, ?, ?, ?)",
      entry.userId,
      entry.sectionId ?? "*",
      entry.seq,
      entry.status,
      JSON.stringify(entry),
    );
  }

  loadCounters(): WaitlistCounters | undefined {
    const row = this.sql.exec<Row>("SELECT json FROM waitlist_counters").toArray()[0];
    return row ? (JSON.parse(row.json) as WaitlistCounters) : undefined;
  }

  saveCounters(counters: WaitlistCounters): void {
    this.sql.exec("INSERT OR REPLACE INTO waitlist_counters (id, json) VALUES (1, ?)", JSON.stringify(counters));
  }
}
