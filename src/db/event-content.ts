import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { bumpCatalog } from "./events";
import { events } from "./schema";

/**
 * Points an event at its new image (an R2 key) as one stored change: the version grows and the
 * catalog's caches move on. Returns the image it replaced (to delete) and the new version, or
 * undefined when the event is gone.
 */
export async function setEventImage(
  db: Database,
  eventId: string,
  imageKey: string,
): Promise<{ previous: string | null; version: number } | undefined> {
  const [before] = await db.select({ imageKey: events.imageKey }).from(events).where(eq(events.id, eventId));
  if (!before) return undefined;
  const [updated] = await db.batch([
    db
      .update(events)
      .set({ imageKey, version: sql`${events.version} + 1`, updatedAt: Date.now() })
      .where(eq(events.id, eventId))
      .returning({ version: events.version }),
    bumpCatalog(db),
  ]);
  const row = updated[0];
  return row && { previous: before.imageKey, version: row.version };
}
