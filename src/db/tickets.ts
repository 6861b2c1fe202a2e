import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "./client";
import { tickets } from "./schema";

/** The tickets a user holds now: void ones (refunded, transferred away) are not theirs any more. */
export async function ticketsOfUser(db: Database, userId: string) {
  return db
    .select()
    .from(tickets)
    .where(and(eq(tickets.userId, userId), ne(tickets.status, "void")))
    .orderBy(desc(tickets.issuedAt))
    .limit(500);
}
