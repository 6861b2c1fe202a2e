import * as z from "zod/mini";
import type { CheckinResult } from "../../contract/client.gen";
import { type DoorBook, judgeOffline, type OfflineVerdict } from "../../domain/scan";
import { verifyTicketCode } from "../../tickets/verify";
import { call } from "./api";
import { loadShared, saveShared } from "./storage";

/**
 * What the door's device keeps per event so that it can go on without the network: the public keys
 * (GET /.well-known/jwks.json), the revocation list (GET …/revocations, fetched whole once and then
 * from where the last answer ended), the tickets it saw used, and its offline check-ins waiting to be
 * sent. All in localStorage, so a reload while offline from cache keeps it.
 */

const Jwk = z.looseObject({ kty: z.string() });
const Keys = z.object({ keys: z.array(Jwk) });
const Revoked = z.object({ ticketIds: z.array(z.string()), until: z.string() });
const Used = z.record(z.string(), z.string());
const Pending = z.array(z.object({ scanId: z.string(), code: z.string(), at: z.string() }));
type Pending = z.infer<typeof Pending>;

const storeKeys = {
  keys: "scan:keys",
  device: "scan:device",
  revoked: (eventId: string) => `scan:revoked:${eventId}`,
  used: (eventId: string) => `scan:used:${eventId}`,
  pending: (eventId: string) => `scan:pending:${eventId}`,
};

export type Verdict = OfflineVerdict & { offline: boolean };

/** This device's id for the check-in API's retry key (deviceId), kept across reloads. */
function deviceId(): string {
  const kept = loadShared(storeKeys.device, z.string());
  if (kept) return kept;
  const fresh = `door-${crypto.randomUUID()}`;
  saveShared(storeKeys.device, fresh);
  return fresh;
}

export class ScanBook {
  readonly device = deviceId();
  private keys = loadShared(storeKeys.keys, Keys);
  private revoked: z.infer<typeof Revoked>;
  private used: Record<string, string>;
  private pending: Pending;

  constructor(readonly eventId: string) {
    this.revoked = loadShared(storeKeys.revoked(eventId), Revoked) ?? { ticketIds: [], until: "" };
    this.used = loadShared(storeKeys.used(eventId), Used) ?? {};
    this.pending = loadShared(storeKeys.pending(eventId), Pending) ?? [];
  }

  get revokedCount(): number {
    return this.revoked.ticketIds.length;
  }
  get revokedUntil(): string {
    return this.revoked.until;
  }
  get pendingCount(): number {
    return this.pending.length;
  }
  get canJudgeOffline(): boolean {
    return (this.keys?.keys.length ?? 0) > 0;
  }

  /** Downloads the keys and what was revoked since the last download; false when the server is out of reach. */
  async refresh(): Promise<boolean> {
    const keys = await call("getTicketKeys", {});
    if (keys.ok) {
      this.keys = keys.data;
      saveShared(storeKeys.keys, keys.data);
    }
    const since = this.revoked.until || undefined;
    const list = await call("listRevocations", { params: { eventId: this.eventId }, query: since ? { since } : {} });
    if (!list.ok) return false;
    const ids = new Set([...this.revoked.ticketIds, ...list.data.ticketIds]);
    this.revoked = { ticketIds: [...ids], until: list.data.until };
    saveShared(storeKeys.revoked(this.eventId), this.revoked);
    return keys.ok;
  }

  /** Asks the check-in API; when it cannot be reached, judges here and queues the check-in. */
  async check(code: string): Promise<Verdict> {
    const scanId = crypto.randomUUID();
    if (navigator.onLine) {
      const answer = await call("checkIn", { body: { eventId: this.eventId, code, scanId, deviceId: this.device } });
      if (answer.ok) {
        this.remember(answer.data);
        return { ...answer.data, offline: false };
      }
      // A refusal (401, 403, 400) is an answer to show; only an unreachable or failing server means offline.
      if (answer.status !== 0 && answer.status < 500) throw new Error(answer.message);
    }
    return this.judgeHere(code, scanId);
  }

  private async judgeHere(code: string, scanId: string): Promise<Verdict> {
    const claims = this.keys ? await verifyTicketCode(this.keys, code) : undefined;
    const book: DoorBook = { revoked: new Set(this.revoked.ticketIds), used: new Map(Object.entries(this.used)) };
    const verdict = judgeOffline(claims, this.eventId, book);
    if (verdict.result === "admitted" && verdict.ticketId) {
      const at = new Date().toISOString();
      this.remember({ result: "admitted", ticketId: verdict.ticketId, firstScannedAt: at });
      this.pending.push({ scanId, code, at });
      saveShared(storeKeys.pending(this.eventId), this.pending);
    }
    return { ...verdict, offline: true };
  }

  private remember(answer: CheckinResult): void {
    if ((answer.result === "admitted" || answer.result === "already_used") && answer.ticketId) {
      this.used[answer.ticketId] ??= answer.firstScannedAt ?? new Date().toISOString();
      saveShared(storeKeys.used(this.eventId), this.used);
    }
  }

  /**
   * Sends the check-ins made offline, oldest first, each with the scan id it was made with (so a send
   * that is retried is one check-in). Returns how many the server refused (used at another door meanwhile, or void).
   */
  async sendPending(): Promise<{ sent: number; refused: number }> {
    let sent = 0;
    let refused = 0;
    while (this.pending.length > 0 && navigator.onLine) {
      const next = this.pending[0]!;
      const answer = await call("checkIn", {
        body: { eventId: this.eventId, code: next.code, scanId: next.scanId, deviceId: this.device },
      });
      if (!answer.ok && (answer.status === 0 || answer.status >= 500)) break;
      if (answer.ok && answer.data.result !== "admitted") refused++;
      this.pending.shift();
      saveShared(storeKeys.pending(this.eventId), this.pending);
      sent++;
    }
    return { sent, refused };
  }
}
