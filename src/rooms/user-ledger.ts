import { DurableObject } from "cloudflare:workers";
import type { Result } from "../domain/result";
import { type LedgerEntry, type LedgerSettings, UserLedger } from "../domain/user-ledger";

/**
 * One shard of an event's per-user ledger (src/domain/user-ledger.ts), named `<eventId>#ledger#<n>`
 * (src/http/user-quota.ts picks the shard from the user id): used only by events split into rooms.
 * Every step writes its changed entries in the same turn, so the reply is not released before they
 * are durable (the output gate); memory is rebuilt from SQLite after an eviction.
 */
export class UserLedgerShard extends DurableObject<Env> {
  private ledger: UserLedger | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`
        CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS entries (reservation_id TEXT PRIMARY KEY, json TEXT NOT NULL);
      `);
      const settings = ctx.storage.sql.exec<{ json: string }>("SELECT json FROM settings").toArray()[0];
      if (!settings) return;
      const entries = ctx.storage.sql
        .exec<{ json: string }>("SELECT json FROM entries")
        .toArray()
        .map((row) => JSON.parse(row.json) as LedgerEntry);
      this.ledger = new UserLedger(JSON.parse(settings.json) as LedgerSettings, entries);
    });
  }

  /** The event's limit and hold times (idempotent; sent with every change of the event). */
  async configure(settings: LedgerSettings): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT INTO settings (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
      JSON.stringify(settings),
    );
    if (this.ledger) this.ledger.settings = settings;
    else this.ledger = new UserLedger(settings);
  }

  async reserve(request: {
    reservationId: string;
    userId: string;
    tickets: number;
    key?: string | undefined;
  }): Promise<Result<{ reservationId: string }>> {
    return this.step((ledger, now) => ledger.reserve(request, now));
  }

  async confirm(reservationId: string, holdId: string): Promise<void> {
    this.step((ledger) => ledger.confirm(reservationId, holdId));
  }

  async cancel(reservationId: string): Promise<void> {
    this.step((ledger) => ledger.cancel(reservationId));
  }

  async lengthen(
    hold: { holdId: string; userId: string; tickets: number; expiresAt: number },
    reason: "extend" | "checkout",
  ): Promise<Result<void>> {
    return this.step((ledger, now) => ledger.lengthen(hold, reason, now));
  }

  async sell(hold: { holdId: string; userId: string; tickets: number }, reservationId: string): Promise<Result<void>> {
    return this.step((ledger, now) => ledger.sell(hold, reservationId, now));
  }

  async free(holdId: string): Promise<void> {
    this.step((ledger) => ledger.free(holdId));
  }

  async counted(userId: string): Promise<number> {
    return this.ledger?.counted(userId, Date.now()) ?? 0;
  }

  /** Runs one step and writes what it changed (an unconfigured shard allows nothing and records nothing). */
  private step<T>(run: (ledger: UserLedger, now: number) => T): T {
    const ledger = this.ledger;
    if (!ledger) throw new Error("this event's ledger is not configured");
    const result = run(ledger, Date.now());
    for (const [id, entry] of ledger.drainDirty()) {
      if (entry === null) this.ctx.storage.sql.exec("DELETE FROM entries WHERE reservation_id = ?", id);
      else {
        this.ctx.storage.sql.exec(
          "INSERT INTO entries (reservation_id, json) VALUES (?, ?) ON CONFLICT (reservation_id) DO UPDATE SET json = excluded.json",
          id,
          JSON.stringify(entry),
        );
      }
    }
    return result;
  }
}
