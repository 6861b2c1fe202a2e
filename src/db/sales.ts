import { and, eq, min, sql } from "drizzle-orm";
import type { Database } from "./client";
import { orderItems, orders } from "./schema";

/** Tickets and revenue of confirmed orders per time bucket, oldest first. */
export interface SalesSeries {
  bucketMs: number;
  points: { at: number; orders: number; tickets: number; revenueCents: number }[];
}

const STEPS = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
const MAX_BUCKETS = 48;

/** The smallest step that spans `span` in at most MAX_BUCKETS buckets. */
export function bucketFor(span: number): number {
  return STEPS.find((step) => span / step <= MAX_BUCKETS) ?? STEPS[STEPS.length - 1]!;
}

/**
 * Sales over time for the organizer's chart: confirmed orders by when they were placed, in
 * buckets sized to the span since the first one (two small queries on the orders table).
 */
export async function salesOverTime(db: Database, eventId: string, now: number): Promise<SalesSeries> {
  const confirmed = and(eq(orders.eventId, eventId), eq(orders.status, "confirmed"));
  const [first] = await db
    .select({ at: min(orders.createdAt) })
    .from(orders)
    .where(confirmed);
  if (first?.at == null) return { bucketMs: STEPS[0]!, points: [] };
  const bucketMs = bucketFor(now - first.at);
  // D1 binds numbers as REAL: without the cast the division would not truncate to a bucket.
  const bucket = sql<number>`cast(${orders.createdAt} / ${bucketMs} as integer) * ${bucketMs}`;
  const rows = await db
    .select({
      at: bucket,
      orders: sql<number>`count(distinct ${orders.id})`,
      tickets: sql<number>`coalesce(sum(${orderItems.quantity}), 0)`,
      revenueCents: sql<number>`coalesce(sum(${orderItems.quantity} * ${orderItems.priceCents}), 0)`,
    })
    .from(orders)
    .innerJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(confirmed)
    .groupBy(bucket)
    .orderBy(bucket);
  return {
    bucketMs,
    points: rows.map((r) => ({
      at: Number(r.at),
      orders: Number(r.orders),
      tickets: Number(r.tickets),
      revenueCents: Number(r.revenueCents),
    })),
  };
}
