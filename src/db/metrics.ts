/**
 * What `/metrics` and the alert rules read from D1: the durable business records, counted in a
 * few aggregate queries (one scrape, not one per row).
 */

/** Events whose rooms may be live: published or paused, not long over. At most `limit`. */
export async function activeEventIds(d1: D1Database, now: number, limit = 200): Promise<string[]> {
  const { results } = await d1
    .prepare(
      "SELECT id FROM events WHERE state IN ('published', 'paused') AND starts_at > ?1 ORDER BY starts_at LIMIT ?2",
    )
    .bind(now - 86_400_000, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export interface PaymentCounts {
  /** Orders that were paid (confirmed, later refunded or not). */
  succeeded: number;
  /** Orders with at least one declined payment (the decline is kept even if a later try succeeds). */
  failed: number;
  /** Orders refunded in part or in full. */
  refunded: number;
}

/**
 * Payment outcomes; `since` counts only orders last changed since then (the alert rules' window),
 * `eventId` only one event's (its dashboard).
 */
export async function paymentCounts(d1: D1Database, since = 0, eventId?: string): Promise<PaymentCounts> {
  const row = await d1
    .prepare(
      `SELECT
         COALESCE(SUM(status IN ('confirmed', 'partially_refunded', 'refunded')), 0) AS succeeded,
         COALESCE(SUM(last_payment_error IS NOT NULL), 0) AS failed,
         COALESCE(SUM(status IN ('partially_refunded', 'refunded')), 0) AS refunded
       FROM orders WHERE updated_at >= ?1 AND (?2 IS NULL OR event_id = ?2)`,
    )
    .bind(since, eventId ?? null)
    .first<PaymentCounts>();
  return { succeeded: row?.succeeded ?? 0, failed: row?.failed ?? 0, refunded: row?.refunded ?? 0 };
}

export interface NotificationCount {
  kind: string;
  status: string;
  count: number;
}

/** Notifications by kind and status (queued, sending, sent, skipped, dead). */
export async function notificationCounts(d1: D1Database): Promise<NotificationCount[]> {
  const { results } = await d1
    .prepare("SELECT kind, status, COUNT(*) AS count FROM notifications GROUP BY kind, status ORDER BY kind, status")
    .all<NotificationCount>();
  return results;
}

export interface SectionSold {
  eventId: string;
  sectionId: string;
  sold: number;
}

/** Tickets that count as sold (valid or used) per section, for the given events. */
export async function soldBySection(d1: D1Database, eventIds: readonly string[]): Promise<SectionSold[]> {
  if (eventIds.length === 0) return [];
  const out: SectionSold[] = [];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < eventIds.length; i += 90) {
    const chunk = eventIds.slice(i, i + 90);
    const { results } = await d1
      .prepare(
        // A seated ticket names its seat (`A-1-7`), whose section is the part before the first dash
        // (sectionOfSeat in src/domain/seat-map.ts); a GA ticket names its section.
        `SELECT eventId, sectionId, COUNT(*) AS sold FROM (
           SELECT event_id AS eventId,
                  COALESCE(section_id, substr(seat_id, 1, instr(seat_id, '-') - 1), '') AS sectionId
           FROM tickets
           WHERE status IN ('valid', 'used') AND event_id IN (${chunk.map((_, j) => `?${j + 1}`).join(",")}))
         GROUP BY eventId, sectionId ORDER BY eventId, sectionId`,
      )
      .bind(...chunk)
      .all<SectionSold>();
    out.push(...results);
  }
  return out;
}

/** Notifications that went to the dead-letter queue since `since` (the alert rule's window). */
export async function deadSince(d1: D1Database, since: number): Promise<number> {
  const row = await d1
    .prepare("SELECT COUNT(*) AS n FROM notifications WHERE status = 'dead' AND updated_at >= ?1")
    .bind(since)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
