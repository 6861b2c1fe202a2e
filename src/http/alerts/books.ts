import { database } from "../../db/client";
import { auditBooks, type Mismatch } from "../../payments/books-audit";
import { paymentGateway } from "../../payments/gateway";
import { eventRoomBooks } from "../room-split";

/**
 * The books audit (src/payments/books-audit.ts) on the alerts' schedule: each evaluation audits the
 * few active events audited longest ago, each at most every BOOKS_AUDIT_EVERY_MS (an audit reads a
 * room's whole map and up to 200 Stripe records). A mismatch is reported once the next audit finds
 * it again: a sale between the room and D1 is one for a moment, a book that does not balance stays.
 */
export const BOOKS_AUDIT_EVERY_MS = 5 * 60_000;
const AUDITS_PER_EVALUATION = 10;

/** Kept in KV per event: when it was last audited, what that audit found, and what two audits found. */
interface BooksState {
  at: number;
  found: string[];
  confirmed: string[];
}

const stateKey = (eventId: string) => `books-audit:${eventId}`;
const mismatchKey = (m: Mismatch) => `${m.kind}:${m.seatId ?? m.orderId ?? m.sectionId ?? ""}`;

export interface UnbalancedBooks {
  eventId: string;
  /** `kind:seat, order or section`, each found by two audits in a row. */
  mismatches: string[];
}

async function readState(kv: KVNamespace, eventId: string): Promise<BooksState | undefined> {
  try {
    return ((await kv.get(stateKey(eventId), "json")) as BooksState | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Audits the events that are due, and answers which active events' books do not balance. */
export async function unbalancedBooks(env: Env, eventIds: string[], now: number): Promise<UnbalancedBooks[]> {
  const states = new Map(
    await Promise.all(eventIds.map(async (id) => [id, await readState(env.RATE_LIMITS, id)] as const)),
  );
  const due = eventIds
    .filter((id) => {
      const last = states.get(id);
      return !last || now - last.at >= BOOKS_AUDIT_EVERY_MS;
    })
    .sort((a, b) => (states.get(a)?.at ?? 0) - (states.get(b)?.at ?? 0))
    .slice(0, AUDITS_PER_EVALUATION);
  const db = database(env.DB);
  const gateway = paymentGateway(env);
  await Promise.all(
    due.map(async (eventId) => {
      let found: string[];
      try {
        const report = await auditBooks({ db, gateway, rooms: () => eventRoomBooks(env, eventId) }, eventId, now);
        found = [...new Set(report.mismatches.map(mismatchKey))];
      } catch {
        return; // A room or Stripe that does not answer is the room_unavailable / stripe_error_rate rules'.
      }
      const before = states.get(eventId)?.found ?? [];
      const state: BooksState = { at: now, found, confirmed: found.filter((k) => before.includes(k)) };
      states.set(eventId, state);
      await env.RATE_LIMITS.put(stateKey(eventId), JSON.stringify(state), { expirationTtl: 86_400 });
    }),
  );
  return eventIds.flatMap((eventId) => {
    const confirmed = states.get(eventId)?.confirmed ?? [];
    return confirmed.length > 0 ? [{ eventId, mismatches: confirmed }] : [];
  });
}
