import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AuditLog, Kill } from "../../src/contract/organizer";
import { HoldCreated, Order, SeatMap } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { fan, floorAvailable, seatStatus, stubFor } from "./money";
import { waitForOutbox } from "./outbox";

const kill = (eventId: string, token: string, body: unknown) =>
  call("POST", `/api/v1/admin/events/${eventId}/kills`, { token, body });

const comp = (eventId: string, token: string, body: unknown) =>
  call("POST", `/api/v1/admin/events/${eventId}/comps`, { token, body });

const CompOrder = Order.extend({ email: z.string(), reason: z.string() });

describe("kills and comps through the room", () => {
  it("a kill takes free seats and GA places off sale as `blocked`, survives a restart, and comes back", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const killed = await json(
      await kill(eventId, organizer, {
        seatIds: ["A-1-1", "A-1-2"],
        ga: [{ sectionId: "FLOOR", quantity: 10 }],
        reason: "production",
      }),
      Kill,
    );
    expect(killed).toMatchObject({ eventId, seatIds: ["A-1-1", "A-1-2"], reason: "production" });
    expect(await seatStatus(eventId, "A-1-1")).toBe("blocked");
    expect(await floorAvailable(eventId)).toBe(40);
    const shopper = await fan();
    const refused = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: shopper,
      body: { seatIds: ["A-1-2"], minVersion: killed.version },
    });
    expect((await errorOf(refused, "SEATS_UNAVAILABLE")).error.unavailableSeatIds).toEqual(["A-1-2"]);

    // The room keeps its kills across an eviction and an edit of the event (the edge's definition has none).
    await evictDurableObject(stubFor(eventId));
    const edit = await call("PATCH", `/api/v1/admin/events/${eventId}`, { token: organizer, body: { title: "New" } });
    expect(edit.status).toBe(200);
    await evictDurableObject(stubFor(eventId));
    expect(await seatStatus(eventId, "A-1-2")).toBe("blocked");
    expect(await floorAvailable(eventId)).toBe(40);

    const back = await call("DELETE", `/api/v1/admin/events/${eventId}/kills/${killed.killId}`, { token: organizer });
    expect(back.status).toBe(200);
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    expect(await floorAvailable(eventId)).toBe(50);
    const again = await call("DELETE", `/api/v1/admin/events/${eventId}/kills/${killed.killId}`, { token: organizer });
    await errorOf(again, "NOT_FOUND");
    const held = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: shopper,
      body: { seatIds: ["A-1-2"] },
    });
    expect(held.status).toBe(201);
  });

  it("refuses a kill of a taken or unknown seat, bad bodies and other organizers, changing nothing", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const shopper = await fan();
    await json(
      await call("POST", `/api/v1/events/${eventId}/holds`, { token: shopper, body: { seatIds: ["B-1-1"] } }),
      HoldCreated,
    );
    const taken = await kill(eventId, organizer, { seatIds: ["B-1-1", "B-1-2"], reason: "house" });
    expect((await errorOf(taken, "SEATS_UNAVAILABLE")).error.unavailableSeatIds).toEqual(["B-1-1"]);
    expect(await seatStatus(eventId, "B-1-2")).toBe("available");
    await errorOf(await kill(eventId, organizer, { seatIds: ["Z-9-9"], reason: "house" }), "NOT_FOUND");
    await errorOf(
      await kill(eventId, organizer, { ga: [{ sectionId: "FLOOR", quantity: 51 }], reason: "x" }),
      "SOLD_OUT",
    );
    await errorOf(await kill(eventId, organizer, { reason: "nothing" }), "VALIDATION_FAILED");
    await errorOf(await kill(eventId, organizer, { seatIds: ["A-1-1"] }), "VALIDATION_FAILED");
    const stranger = await tokenFor(unique("org"), ["organizer"]);
    await errorOf(await kill(eventId, stranger, { seatIds: ["A-1-1"], reason: "x" }), "FORBIDDEN");
    await errorOf(await kill(eventId, shopper, { seatIds: ["A-1-1"], reason: "x" }), "FORBIDDEN");
    await errorOf(
      await comp(eventId, organizer, { seatIds: ["A-1-1"], email: "not an address", reason: "x" }),
      "VALIDATION_FAILED",
    );
    expect(await seatStatus(eventId, "A-1-1")).toBe("available");
    await errorOf(
      await call("DELETE", `/api/v1/admin/events/${eventId}/kills/kil_unknown`, { token: organizer }),
      "NOT_FOUND",
    );
  });

  it("a comp before the sale opens is a free confirmed order, mailed to its recipient, in the audit log", async () => {
    const id = unique("org");
    const organizer = await tokenFor(id, ["organizer"]);
    const venueId = await createVenue(organizer);
    const { eventId } = await createEvent(organizer, venueId, { publish: false });
    const email = `${unique("guest")}@example.com`;
    const answer = await comp(eventId, organizer, {
      seatIds: ["A-2-1"],
      ga: [{ sectionId: "FLOOR", quantity: 1 }],
      email: email.toUpperCase(),
      reason: "artist guest list",
    });
    expect(answer.status).toBe(201);
    const order = await json(answer, CompOrder);
    expect(order).toMatchObject({ status: "confirmed", totalCents: 0, email, reason: "artist guest list" });
    expect(order.tickets.map((t) => t.status)).toEqual(["valid", "valid"]);
    // Killed seats cannot be comped, and a comp's seat cannot be killed: both are taken.
    await json(await kill(eventId, organizer, { seatIds: ["A-2-2"], reason: "camera" }), Kill);
    await errorOf(await comp(eventId, organizer, { seatIds: ["A-2-2"], email, reason: "x" }), "SEATS_UNAVAILABLE");
    await errorOf(await kill(eventId, organizer, { seatIds: ["A-2-1"], reason: "x" }), "SEATS_UNAVAILABLE");

    const published = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: organizer,
      body: { action: "publish" },
    });
    expect(published.status).toBe(200);
    const seats = await json(await call("GET", `/api/v1/events/${eventId}/seats?section=A`), SeatMap);
    const statusOf = (seatId: string) => seats.sections[0]?.seats?.find((s) => s.id === seatId)?.status;
    expect([statusOf("A-2-1"), statusOf("A-2-2"), statusOf("A-2-3")]).toEqual(["sold", "blocked", "available"]);

    const mail = await waitForOutbox(email);
    expect(mail.map((m) => m.kind)).toContain("order_confirmed");
    const log = await json(
      await call("GET", `/api/v1/admin/audit-log?eventId=${eventId}`, { token: organizer }),
      AuditLog,
    );
    expect(log.data.map((e) => e.action).slice(0, 3)).toEqual(["event.publish", "seats.kill", "comp.issue"]);
    expect(log.data.every((e) => e.actor === id)).toBe(true);
  });

  it("storm: holds racing kills and comps never sell or hold a killed seat", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const row = Array.from({ length: 10 }, (_, i) => `A-3-${i + 1}`);
    const shoppers = await Promise.all(Array.from({ length: 20 }, () => fan()));
    const holds = shoppers.map((token, i) =>
      call("POST", `/api/v1/events/${eventId}/holds`, { token, body: { seatIds: [row[i % 10], row[(i + 3) % 10]] } }),
    );
    const kills = [0, 2, 4, 6, 8].map((i) =>
      kill(eventId, organizer, { seatIds: [row[i], row[i + 1]], reason: "production" }),
    );
    const comps = [1, 5].map((i) =>
      comp(eventId, organizer, { seatIds: [row[i]], email: `${unique("c")}@example.com`, reason: "house" }),
    );
    const [held, killed, comped] = await Promise.all([Promise.all(holds), Promise.all(kills), Promise.all(comps)]);
    const owned = new Map<string, string>();
    for (const response of [...held, ...comped]) {
      if (response.status !== 201) {
        expect([409]).toContain(response.status);
        continue;
      }
      const body = (await response.json()) as { holdId?: string; orderId?: string; items: Array<{ seatId?: string }> };
      for (const item of body.items) {
        if (!item.seatId) continue;
        expect(owned.has(item.seatId)).toBe(false);
        owned.set(item.seatId, body.holdId ?? body.orderId ?? "");
      }
    }
    const blocked = new Set<string>();
    for (const response of killed) {
      if (response.status === 409) continue;
      const body = await json(response, Kill);
      for (const seatId of body.seatIds) blocked.add(seatId);
    }
    for (const seatId of blocked) expect(owned.has(seatId)).toBe(false);
    for (const seatId of row) {
      const status = await seatStatus(eventId, seatId);
      if (blocked.has(seatId)) expect(status).toBe("blocked");
      else if (owned.has(seatId)) expect(["held", "sold"]).toContain(status);
      else expect(status).toBe("available");
    }
  });
});
