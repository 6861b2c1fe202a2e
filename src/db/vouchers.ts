import { eq } from "drizzle-orm";
import type { VoucherCreate } from "../contract/pricing-requests";
import { randomId } from "../domain/ids";
import { generateCode, normalizeCode, type Voucher } from "../domain/pricing-vouchers";
import { chunkRows } from "./batching";
import type { Database } from "./client";
import { vouchers } from "./schema";

export type VoucherRow = typeof vouchers.$inferSelect;

export function voucherOf(row: VoucherRow): Voucher & { eventId: string; createdAt: number } {
  return {
    voucherId: row.id,
    eventId: row.eventId,
    code: row.code,
    kind: row.kind,
    ...(row.value !== null && { value: row.value }),
    maxUses: row.maxUses,
    ...(row.validFrom !== null && { validFrom: row.validFrom }),
    ...(row.validUntil !== null && { validUntil: row.validUntil }),
    ...(row.ticketTypesJson !== null && { ticketTypes: JSON.parse(row.ticketTypesJson) as string[] }),
    ...(row.sectionsJson !== null && { sections: JSON.parse(row.sectionsJson) as string[] }),
    disabled: row.disabled === 1,
    createdAt: row.createdAt,
  };
}

const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/**
 * Stores one code or `count` generated ones. A code the event already has → undefined (the
 * caller refuses); generated codes carry 60 random bits, so a clash is retried, not expected.
 */
export async function createVouchers(
  db: Database,
  eventId: string,
  input: VoucherCreate,
): Promise<VoucherRow[] | undefined> {
  const existing = new Set((await eventVoucherRows(db, eventId)).map((r) => r.code));
  const codes: string[] = [];
  if (input.code !== undefined) {
    const code = normalizeCode(input.code);
    if (existing.has(code)) return undefined;
    codes.push(code);
  } else {
    while (codes.length < (input.count ?? 1)) {
      const code = generateCode(randomBytes);
      if (!existing.has(code) && !codes.includes(code)) codes.push(code);
    }
  }
  const now = Date.now();
  const rows: VoucherRow[] = codes.map((code) => ({
    id: randomId("vch"),
    eventId,
    code,
    kind: input.kind,
    value: input.value ?? null,
    maxUses: input.maxUses,
    validFrom: input.validFrom ?? null,
    validUntil: input.validUntil ?? null,
    ticketTypesJson: input.ticketTypes ? JSON.stringify(input.ticketTypes) : null,
    sectionsJson: input.sections ? JSON.stringify(input.sections) : null,
    disabled: 0,
    createdAt: now,
  }));
  const inserts = chunkRows(rows, 12).map((part) => db.insert(vouchers).values(part));
  if (inserts.length > 0) await db.batch(inserts as [(typeof inserts)[0], ...typeof inserts]);
  return rows;
}

export function eventVoucherRows(db: Database, eventId: string): Promise<VoucherRow[]> {
  return db.select().from(vouchers).where(eq(vouchers.eventId, eventId)).orderBy(vouchers.createdAt);
}

export async function findVoucher(db: Database, voucherId: string): Promise<VoucherRow | undefined> {
  const [row] = await db.select().from(vouchers).where(eq(vouchers.id, voucherId));
  return row;
}

export async function setVoucherDisabled(db: Database, voucherId: string, disabled: boolean): Promise<void> {
  await db
    .update(vouchers)
    .set({ disabled: disabled ? 1 : 0 })
    .where(eq(vouchers.id, voucherId));
}

/** What the room needs of every voucher of the event. */
export async function roomVouchers(db: Database, eventId: string): Promise<Voucher[]> {
  return (await eventVoucherRows(db, eventId)).map((row) => {
    const { eventId: _event, createdAt: _created, ...voucher } = voucherOf(row);
    return voucher;
  });
}
