/**
 * The door's verdict when the check-in API cannot be asked (offline, or the server unreachable): the
 * same answers in the same order as POST /api/v1/checkin, judged from what the device holds — the
 * code's verified claims, the event's revocation list as last downloaded, and the tickets this device
 * has already seen admitted or used. A ticket scanned at another door while this one was offline is
 * the one thing it cannot know; the server judges that when the queued check-in is sent.
 */

export const SCAN_RESULTS = ["admitted", "already_used", "void", "invalid", "wrong_event"] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** What the code says once its signature checked out (undefined: it did not). */
export interface ScannedClaims {
  tid: string;
  eid: string;
}

export interface DoorBook {
  /** Ticket ids void at the last download of revocations. */
  revoked: ReadonlySet<string>;
  /** Ticket id → when it was first scanned (ISO), as this device knows it. */
  used: ReadonlyMap<string, string>;
}

export interface OfflineVerdict {
  result: ScanResult;
  ticketId?: string;
  firstScannedAt?: string;
}

export function judgeOffline(claims: ScannedClaims | undefined, eventId: string, book: DoorBook): OfflineVerdict {
  if (!claims) return { result: "invalid" };
  if (claims.eid !== eventId) return { result: "wrong_event", ticketId: claims.tid };
  if (book.revoked.has(claims.tid)) return { result: "void", ticketId: claims.tid };
  const first = book.used.get(claims.tid);
  if (first) return { result: "already_used", ticketId: claims.tid, firstScannedAt: first };
  return { result: "admitted", ticketId: claims.tid };
}

/** What the door shows for each answer: a word to read across the room, and what to do. */
export const SCAN_WORDS: Record<ScanResult, { title: string; advice: string }> = {
  admitted: { title: "Admitted", advice: "Let them in." },
  already_used: { title: "Already used", advice: "This ticket was scanned before." },
  void: { title: "Void", advice: "This ticket was refunded, transferred or cancelled." },
  invalid: { title: "Invalid", advice: "This is not one of our tickets." },
  wrong_event: { title: "Wrong event", advice: "This ticket is for another event." },
};
