import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { EventStats, NotificationReplay } from "../../src/contract/responses";
import { database } from "../../src/db/client";
import { enqueue } from "../../src/notify/enqueue";
import { findNotification } from "../../src/notify/store";
import { emailsTo } from "../worker/emails";
import { call, json, onSaleEvent, tokenFor, unique } from "../worker/helpers";

/**
 * The real queue (Miniflare runs wrangler.toml's consumer, max_retries 5, dead-letter queue) with
 * the Resend-compatible provider against test/email-server.ts; retries are not delayed here
 * (NOTIFY_RETRY_BASE_SECONDS=0), so waiting is for the queue itself.
 */

/** Re-reads until `done` holds: the queue delivers and retries in its own time (within the test's timeout). */
function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeout = 55_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!done(value)) throw new Error(`not yet: ${JSON.stringify(value)?.slice(0, 300)}`);
      return value;
    },
    { timeout, interval: 50 },
  );
}

const offer = (eventId: string, to: string) =>
  ({
    kind: "waitlist_offer",
    eventId,
    userId: unique("u"),
    holdId: unique("hld_"),
    expiresAt: Date.now() + 60_000,
    to,
  }) as const;

describe("notifications through the real queue", () => {
  it("a provider failing three times delivers on the queue's fourth delivery", { timeout: 60_000 }, async () => {
    const { eventId } = await onSaleEvent();
    const to = `fail3-${unique("r")}@example.com`;
    const message = offer(eventId, to);
    expect(await enqueue(env, message)).toBe("queued");
    const [email, ...more] = await until(
      () => emailsTo(to),
      (list) => list.length > 0,
    );
    expect(more).toHaveLength(0);
    expect(email?.to).toEqual([to]);
    const row = await until(
      () => findNotification(database(env.DB), `waitlist_offer:${message.holdId}`),
      (r) => r?.status === "sent",
    );
    expect(row?.attempts).toBe(4);
  });

  it("a provider failing every delivery ends in the dead-letter queue, counted, while other mail goes out; once it works, the organizer's replay sends it once", {
    timeout: 90_000,
  }, async () => {
    const { eventId, organizer } = await onSaleEvent();
    // Fails its first six sends: all of the queue's deliveries (max_retries 5), then works again.
    const to = `fail6-${unique("r")}@example.com`;
    const down = offer(eventId, to);
    const fine = `${unique("ok")}@example.com`;
    expect(await enqueue(env, down)).toBe("queued");
    expect(await enqueue(env, offer(eventId, fine))).toBe("queued");
    await until(
      () => emailsTo(fine),
      (list) => list.length === 1,
    );
    const db = database(env.DB);
    const key = `waitlist_offer:${down.holdId}`;
    const row = await until(
      () => findNotification(db, key),
      (r) => r?.status === "dead",
    );
    expect(row?.attempts).toBe(6);
    expect(await emailsTo(to)).toHaveLength(0);
    const statsPath = `/api/v1/admin/events/${eventId}/stats`;
    const dead = await json(await call("GET", statsPath, { token: organizer }), EventStats);
    expect(dead.notifications).toMatchObject({ sent: 1, deadLettered: 1, retried: 5 });

    // The replay: only the event's organizer, and each message still at most once.
    const stranger = await tokenFor(unique("org"), ["organizer"]);
    const path = `/api/v1/admin/events/${eventId}/notifications/replay`;
    expect((await call("POST", path, { token: stranger })).status).toBe(403);
    expect((await call("POST", path)).status).toBe(401);
    const replayed = await call("POST", path, { token: organizer });
    expect(replayed.status).toBe(200);
    expect(await json(replayed, NotificationReplay)).toEqual({ eventId, requeued: 1, dead: 0 });
    const [email, ...more] = await until(
      () => emailsTo(to),
      (list) => list.length > 0,
    );
    expect(more).toHaveLength(0);
    expect(email?.to).toEqual([to]);
    await until(
      () => findNotification(db, key),
      (r) => r?.status === "sent",
    );
    expect(await json(await call("POST", path, { token: organizer }), NotificationReplay)).toEqual({
      eventId,
      requeued: 0,
      dead: 0,
    });
    const after = await json(await call("GET", statsPath, { token: organizer }), EventStats);
    expect(after.notifications).toMatchObject({ sent: 2, deadLettered: 0 });
    expect(await emailsTo(to)).toHaveLength(1);
  });
});
