import { integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { events } from "./schema";

/** Voucher codes per event (src/domain/pricing-vouchers.ts); their uses are counted in the room. */
export const vouchers = sqliteTable(
  "vouchers",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    /** Normalized (trimmed, upper case): what a fan types is matched the same way. */
    code: text("code").notNull(),
    kind: text("kind", { enum: ["percent", "amount", "price", "unlock"] }).notNull(),
    value: real("value"),
    maxUses: integer("max_uses").notNull(),
    validFrom: integer("valid_from"),
    validUntil: integer("valid_until"),
    ticketTypesJson: text("ticket_types_json"),
    sectionsJson: text("sections_json"),
    disabled: integer("disabled").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("vouchers_event_code").on(t.eventId, t.code)],
);

/**
 * Each organizer's last invoice number. A paid order takes the next one in the same D1 batch
 * (a transaction) that confirms it, so the sequence has no gaps and no number twice.
 */
export const invoiceCounters = sqliteTable("invoice_counters", {
  organizerId: text("organizer_id").primaryKey(),
  lastNumber: integer("last_number").notNull(),
});
