import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ErrorBody, Event } from "../../src/contract/responses";
import type { EventRoom } from "../../src/rooms/event-room";
import { call, errorOf, json, onSaleEvent } from "./helpers";
import { fan, stubFor } from "./money";

/** Events carry a version; an edit names the one it was made from; a cancel always wins. */

const patch = (eventId: string, organizer: string, body: Record<string, unknown>, ifMatch?: string) =>
  call("PATCH", `/api/v1/admin/events/${eventId}`, {
    token: organizer,
    body,
    ...(ifMatch !== undefined && { headers: { "if-match": ifMatch } }),
  });

const current = async (eventId: string, organizer: string) =>
  json(await call("GET", `/api/v1/admin/events/${eventId}`, { token: organizer }), Event);

async function holdStatus(eventId: string): Promise<number> {
  const response = await call("POST", `/api/v1/events/${eventId}/holds`, {
    token: await fan(),
    body: { ga: [{ sectionId: "FLOOR", quantity: 1 }] },
  });
  return response.status;
}

describe("event versions and If-Match", () => {
  it("answers 412 with the current version for a stale If-Match or body version, and changes nothing", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const before = await current(eventId, organizer);
    expect(before.version).toBeGreaterThanOrEqual(1);

    const edited = await patch(eventId, organizer, { title: "New title" }, `"${before.version}"`);
    expect(edited.status).toBe(200);
    expect(edited.headers.get("etag")).toBe(`"${before.version + 1}"`);
    const after = await json(edited, Event);
    expect(after.version).toBe(before.version + 1);

    const staleHeader = await patch(eventId, organizer, { title: "Lost edit" }, `"${before.version}"`);
    expect(staleHeader.status).toBe(412);
    const refused = await errorOf(staleHeader, "PRECONDITION_FAILED");
    expect(refused.error).toMatchObject({ version: after.version, details: { version: after.version } });

    const staleBody = await patch(eventId, organizer, { title: "Lost edit", version: before.version });
    expect(staleBody.status).toBe(412);
    await errorOf(staleBody, "PRECONDITION_FAILED");

    const unreadable = await patch(eventId, organizer, { title: "Lost edit" }, "yesterday");
    expect(unreadable.status).toBe(400);
    await errorOf(unreadable, "VALIDATION_FAILED");

    const now = await current(eventId, organizer);
    expect(now).toMatchObject({ title: "New title", version: after.version });
    expect((await patch(eventId, organizer, { title: "Weak tag" }, `W/"${after.version}"`)).status).toBe(200);
  });

  it("lets exactly one of two edits made from the same version through", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const { version } = await current(eventId, organizer);
    const answers = await Promise.all(
      ["First", "Second", "Third", "Fourth"].map((title) => patch(eventId, organizer, { title }, `"${version}"`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = answers.find((a) => a.status === 200);
    const won = await json(winner!, Event);
    expect(await current(eventId, organizer)).toMatchObject({ title: won.title, version: version + 1 });
  });

  it("never un-cancels: edits racing a cancel leave the event cancelled in D1 and in the room", async () => {
    for (let round = 0; round < 2; round++) {
      const { eventId, organizer } = await onSaleEvent();
      const edits = Array.from({ length: 6 }, (_, i) =>
        patch(eventId, organizer, { action: i % 2 ? "pause" : "resume", title: `Edit ${i}` }),
      );
      const answers = await Promise.all([
        ...edits.slice(0, 3),
        patch(eventId, organizer, { action: "cancel" }),
        ...edits.slice(3),
      ]);
      for (const answer of answers) {
        expect([200, 409]).toContain(answer.status);
        if (answer.status === 409) await errorOf(answer, "CONFLICT");
        else await json(answer, Event);
      }
      expect((await current(eventId, organizer)).status).toBe("cancelled");
      expect(await holdStatus(eventId)).toBe(409);
      expect((await patch(eventId, organizer, { action: "resume" })).status).toBe(409);
    }
  }, 30_000);

  it("keeps a cancel even when a stale If-Match comes with it", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const { version } = await current(eventId, organizer);
    expect((await patch(eventId, organizer, { title: "Moved on" })).status).toBe(200);
    const cancelled = await patch(eventId, organizer, { action: "cancel" }, `"${version}"`);
    expect(cancelled.status).toBe(200);
    expect((await json(cancelled, Event)).status).toBe("cancelled");
  });

  it("the room keeps the newest definition and never takes one that undoes a cancel", async () => {
    const { eventId, organizer } = await onSaleEvent();
    const stub = stubFor(eventId);
    await runInDurableObject(stub, async (room: EventRoom) => {
      const live = (room as unknown as { inventory: { settings: Parameters<EventRoom["configure"]>[0] } }).inventory;
      const settings = live.settings;
      const v = settings.definitionVersion ?? 0;
      await room.configure({ ...settings, state: "paused", definitionVersion: v + 2 });
      await room.configure({ ...settings, state: "published", definitionVersion: v + 1 });
      expect(live.settings.state).toBe("paused");
      await room.configure({ ...settings, state: "cancelled", definitionVersion: v + 1 });
      await room.configure({ ...settings, state: "published", definitionVersion: v + 9 });
      expect(live.settings.state).toBe("cancelled");
    });
    expect(await holdStatus(eventId)).toBe(409);
    const body = await json(await call("GET", `/api/v1/admin/events/${eventId}`, { token: organizer }), Event);
    expect(body.eventId).toBe(eventId);
    expect(ErrorBody.safeParse(body).success).toBe(false);
  });
});
