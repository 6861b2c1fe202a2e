import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AuditLog } from "../../src/contract/organizer";
import { call, createEvent, createVenue, errorOf, json, tokenFor, unique } from "./helpers";
import { adminRefund, bought, fan } from "./money";

const logOf = async (token: string, query = "") =>
  json(await call("GET", `/api/v1/admin/audit-log${query}`, { token }), AuditLog);

async function organizer() {
  const id = unique("org");
  return { id, token: await tokenFor(id, ["organizer"]) };
}

describe("the audit log", () => {
  it("lists each organizer action with its actor, newest first", async () => {
    const me = await organizer();
    const venueId = await createVenue(me.token);
    const { eventId } = await createEvent(me.token, venueId);
    const paused = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: me.token,
      body: { action: "pause" },
    });
    expect(paused.status).toBe(200);
    const edit = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: me.token,
      body: { title: "Renamed" },
    });
    expect(edit.status).toBe(200);
    await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: me.token, body: { action: "resume" } });
    const shopper = await fan();
    const { order, view } = await bought(eventId, shopper, { seatIds: ["A-1-1", "A-1-2"] });
    const ticketId = view.tickets[0]?.ticketId ?? "";
    expect((await adminRefund(order.orderId, me.token, { ticketIds: [ticketId] })).status).toBe(202);

    const mine = await logOf(me.token);
    expect(mine.data.map((e) => e.action)).toEqual([
      "order.refund",
      "event.resume",
      "event.update",
      "event.pause",
      "event.create",
      "venue.create",
    ]);
    expect(new Set(mine.data.map((e) => e.actor))).toEqual(new Set([me.id]));
    const [refund, , update] = mine.data;
    expect(refund).toMatchObject({ target: order.orderId, eventId, details: { ticketIds: [ticketId] } });
    expect(update?.details).toMatchObject({ fields: ["title"] });
    expect(mine.data.at(-1)).toMatchObject({ target: venueId, targetType: "venue", eventId: null });
    expect(Date.parse(refund?.at ?? "")).toBeGreaterThan(0);

    // One event's entries, for its organizer; another organizer sees none of them.
    const ofEvent = await logOf(me.token, `?eventId=${eventId}`);
    expect(ofEvent.data).toHaveLength(5);
    const other = await organizer();
    expect((await logOf(other.token)).data).toEqual([]);
    await errorOf(await call("GET", `/api/v1/admin/audit-log?eventId=${eventId}`, { token: other.token }), "FORBIDDEN");
    // An admin reads everyone's.
    const admin = await tokenFor(unique("adm"), ["admin"]);
    const all = await logOf(admin, `?eventId=${eventId}`);
    expect(all.data.map((e) => e.action)).toEqual(ofEvent.data.map((e) => e.action));
  });

  it("pages with meta.nextCursor, and refuses bad queries and other roles", async () => {
    const me = await organizer();
    for (let i = 0; i < 3; i++) await createVenue(me.token);
    const first = await logOf(me.token, "?limit=2");
    expect(first.data).toHaveLength(2);
    expect(first.meta.nextCursor).not.toBeNull();
    const second = await logOf(me.token, `?limit=2&cursor=${first.meta.nextCursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.meta.nextCursor).toBeNull();
    const targets = [...first.data, ...second.data].map((e) => e.target);
    expect(new Set(targets).size).toBe(3);

    await errorOf(await call("GET", "/api/v1/admin/audit-log?cursor=abc", { token: me.token }), "VALIDATION_FAILED");
    await errorOf(await call("GET", "/api/v1/admin/audit-log?eventId=a%20b", { token: me.token }), "VALIDATION_FAILED");
    await errorOf(await call("GET", "/api/v1/admin/audit-log", { token: await fan() }), "FORBIDDEN");
    await errorOf(await call("GET", "/api/v1/admin/audit-log"), "UNAUTHENTICATED");
  });

  it("is append-only: the database refuses to change or delete an entry", async () => {
    const me = await organizer();
    await createVenue(me.token);
    await expect(
      env.DB.prepare("UPDATE audit_log SET action = 'x' WHERE actor_id = ?").bind(me.id).run(),
    ).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE actor_id = ?").bind(me.id).run()).rejects.toThrow(
      /append-only/,
    );
    expect((await logOf(me.token)).data).toHaveLength(1);
  });
});
