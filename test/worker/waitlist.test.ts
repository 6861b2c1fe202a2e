import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { Event, EventStats, HoldCreated, Order, WaitlistEntry } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, json, tokenFor, unique } from "./helpers";
import { checkedOut } from "./money";
import { fanWithEmail, waitForOutbox } from "./outbox";
import { chargeRefunded, checkout, deliver, intentEvent, PendingCheckout } from "./payments";

const roomOf = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

/** A hall with one general-admission floor of three places: sold out after three tickets. */
async function tinyEvent(overrides: Record<string, unknown> = {}) {
  const organizer = await tokenFor(unique("org"), ["organizer"]);
  const venueId = await createVenue(organizer, {
    name: "Tiny Club",
    city: "Berlin",
    country: "DE",
    timezone: "Europe/Berlin",
    sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: 3 }],
  });
  const event = await createEvent(organizer, venueId, {
    prices: { FLOOR: 2000 },
    holdSeconds: 30,
    waitlistOfferMinutes: 1,
    ...overrides,
  });
  return { organizer, eventId: event.eventId };
}

const holdOne = (eventId: string, token: string) =>
  call("POST", `/api/v1/events/${eventId}/holds`, { token, body: { ga: [{ sectionId: "FLOOR", quantity: 1 }] } });

async function buy(eventId: string, token: string) {
  const { hold, order } = await checkedOut(eventId, token, { ga: [{ sectionId: "FLOOR", quantity: 1 }] });
  expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
  return { hold, order };
}

const me = async (eventId: string, token: string) =>
  json(await call("GET", `/api/v1/events/${eventId}/waitlist/me`, { token }), WaitlistEntry);

/** The public (a fan not in line) is refused: the seat that came back is on offer, not on sale. */
async function publicRefused(eventId: string) {
  const response = await holdOne(eventId, await tokenFor(unique("public")));
  expect(response.status).toBe(409);
  await errorOf(response, "SOLD_OUT");
}

/** Waits for the room's push of its availability levels (after its commit) to reach D1 (up to 10 s). */
async function soldOutPushed(eventId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const row = await env.DB.prepare("SELECT sold_out FROM event_availability WHERE event_id = ?")
        .bind(eventId)
        .first<{ sold_out: number }>();
      if (row?.sold_out !== 1) throw new Error(`event ${eventId} not yet sold out in D1: ${JSON.stringify(row)}`);
    },
    { timeout: 10_000, interval: 10 },
  );
}

describe("waitlist", () => {
  it("offers returned seats in join order; the public is refused; an unclaimed offer passes on; a claimed one is paid", async () => {
    const { eventId, organizer } = await tinyEvent();
    const b1 = await tokenFor(unique("b1"));
    const b2 = await tokenFor(unique("b2"));
    const b3 = await tokenFor(unique("b3"));
    const { order: refundable } = await buy(eventId, b1);
    await buy(eventId, b2);
    expect((await holdOne(eventId, b3)).status).toBe(201); // held, never paid: it will expire
    await publicRefused(eventId);

    // Sold out is visible in the catalog: the room pushed its levels to D1.
    await soldOutPushed(eventId);
    const detail = await json(await call("GET", `/api/v1/events/${eventId}`), Event);
    expect(detail).toMatchObject({ status: "sold_out", availability: "sold_out" });
    expect(detail.sections[0]).toMatchObject({ id: "FLOOR", availability: "sold_out" });
    const page = await (await call("GET", `/events/${eventId}`)).text();
    expect(page).toContain("Join the waitlist");

    const fans = [
      await fanWithEmail("f1"),
      await fanWithEmail("f2"),
      await fanWithEmail("f3"),
      await fanWithEmail("f4"),
    ];
    for (const [i, fan] of fans.entries()) {
      const joined = await call("POST", `/api/v1/events/${eventId}/waitlist`, {
        token: fan.token,
        body: { sectionId: "FLOOR", quantity: 1 },
      });
      expect(joined.status).toBe(201);
      expect(await json(joined, WaitlistEntry)).toMatchObject({
        eventId,
        sectionId: "FLOOR",
        quantity: 1,
        status: "waiting",
        position: i + 1,
      });
    }
    const again = await call("POST", `/api/v1/events/${eventId}/waitlist`, {
      token: fans[0]!.token,
      body: { quantity: 1 },
    });
    expect(again.status).toBe(200);
    expect((await json(again, WaitlistEntry)).position).toBe(1);

    // 1. A refund: the seat goes to the first in line.
    expect((await deliver(chargeRefunded(refundable.payment.paymentIntentId, refundable.totalCents))).status).toBe(200);
    const first = await me(eventId, fans[0]!.token);
    expect(first).toMatchObject({ status: "offered", position: 0, offer: { totalCents: 2000 } });
    expect((await me(eventId, fans[1]!.token)).position).toBe(1);
    expect((await me(eventId, fans[2]!.token)).position).toBe(2);
    await publicRefused(eventId);
    const [offerMail] = await waitForOutbox(fans[0]!.email);
    expect(offerMail).toMatchObject({ kind: "waitlist_offer", eventId });
    expect(offerMail!.text).toContain(first.offer!.holdId);

    // 2. An expiry (b3's 30-second hold): the next in line.
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(31_000));
    await runDurableObjectAlarm(roomOf(eventId));
    const second = await me(eventId, fans[1]!.token);
    expect(second).toMatchObject({ status: "offered", position: 0 });
    expect((await me(eventId, fans[2]!.token)).position).toBe(1);
    await publicRefused(eventId);

    // 3. The first offer is never claimed: after a minute it passes to the third fan.
    await runInDurableObject(roomOf(eventId), (room) => room.skewClockForTests(62_000));
    await runDurableObjectAlarm(roomOf(eventId));
    expect((await me(eventId, fans[0]!.token)).status).toBe("expired");
    const third = await me(eventId, fans[2]!.token);
    expect(third).toMatchObject({ status: "offered", position: 0 });
    expect((await me(eventId, fans[3]!.token)).position).toBe(1);
    await publicRefused(eventId);

    // 4. The second fan claims theirs: checked out like any hold, and paid.
    const { response, body: order } = await checkout(
      second.offer!.holdId,
      fans[1]!.token,
      { "idempotency-key": unique("co") },
      PendingCheckout,
    );
    expect(response.status, JSON.stringify(order)).toBe(201);
    expect((await deliver(intentEvent("payment_intent.succeeded", order))).status).toBe(200);
    expect((await me(eventId, fans[1]!.token)).status).toBe("claimed");
    const paid = await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: fans[1]!.token }), Order);
    expect(paid).toMatchObject({ status: "confirmed" });
    expect(paid.tickets).toHaveLength(1);

    // 5. A release: the third fan hands their offer back; the fourth gets it.
    const released = await call("DELETE", `/api/v1/holds/${third.offer!.holdId}`, { token: fans[2]!.token });
    expect(released.status).toBe(200);
    expect(await me(eventId, fans[3]!.token)).toMatchObject({ status: "offered", position: 0 });
    await publicRefused(eventId);

    const stats = await json(
      await call("GET", `/api/v1/admin/events/${eventId}/stats`, { token: organizer }),
      EventStats,
    );
    expect(stats.waitlist).toMatchObject({ joined: 4, offersMade: 4, waiting: 0, lengths: { FLOOR: 0 } });
    expect(stats.waitlist.offersClaimed).toBe(1);
  });

  it("keeps the line in the room's SQLite: after an eviction, places and the next offer are the same", async () => {
    const { eventId } = await tinyEvent({ holdSeconds: 600 });
    const buyers = [await tokenFor(unique("b")), await tokenFor(unique("b")), await tokenFor(unique("b"))];
    const holds = [];
    for (const b of buyers) holds.push(await json(await holdOne(eventId, b), HoldCreated));
    const fans = [await tokenFor(unique("f")), await tokenFor(unique("f")), await tokenFor(unique("f"))];
    for (const fan of fans) {
      expect(
        (await call("POST", `/api/v1/events/${eventId}/waitlist`, { token: fan, body: { quantity: 1 } })).status,
      ).toBe(201);
    }
    await call("DELETE", `/api/v1/events/${eventId}/waitlist/me`, { token: fans[0]! });
    await evictDurableObject(roomOf(eventId));
    expect((await me(eventId, fans[1]!)).position).toBe(1);
    expect((await me(eventId, fans[2]!)).position).toBe(2);
    expect((await call("DELETE", `/api/v1/holds/${holds[0]!.holdId}`, { token: buyers[0] })).status).toBe(200);
    expect(await me(eventId, fans[1]!)).toMatchObject({ status: "offered", position: 0 });
    await evictDurableObject(roomOf(eventId));
    // The outstanding offer is known again after a restart: when it ends it passes on.
    const offered = await me(eventId, fans[1]!);
    expect((await call("DELETE", `/api/v1/holds/${offered.offer!.holdId}`, { token: fans[1] })).status).toBe(200);
    expect(await me(eventId, fans[2]!)).toMatchObject({ status: "offered" });
    expect((await me(eventId, fans[1]!)).status).toBe("expired");
    // Having handed the offer back, they may join again, at the end of the line.
    const rejoined = await call("POST", `/api/v1/events/${eventId}/waitlist`, {
      token: fans[1],
      body: { quantity: 1 },
    });
    expect(rejoined.status).toBe(201);
    expect((await json(rejoined, WaitlistEntry)).position).toBe(1);
  });

  it("one entry per user; leaving; bad input answers in the contract's shape", async () => {
    const { eventId } = await tinyEvent();
    const fan = await tokenFor(unique("fan"));
    expect((await call("GET", `/api/v1/events/${eventId}/waitlist/me`, { token: fan })).status).toBe(404);
    const tooMany = await call("POST", `/api/v1/events/${eventId}/waitlist`, { token: fan, body: { quantity: 9 } });
    expect(tooMany.status).toBe(400);
    await errorOf(tooMany, "VALIDATION_FAILED");
    const unknown = await call("POST", `/api/v1/events/${eventId}/waitlist`, {
      token: fan,
      body: { sectionId: "NOPE", quantity: 1 },
    });
    expect(unknown.status).toBe(404);
    const anonymous = await call("POST", `/api/v1/events/${eventId}/waitlist`, { body: { quantity: 1 } });
    expect(anonymous.status).toBe(401);
    const joined = await json(
      await call("POST", `/api/v1/events/${eventId}/waitlist`, { token: fan, body: { quantity: 2 } }),
      WaitlistEntry,
    );
    expect(joined).toMatchObject({ sectionId: null, quantity: 2, status: "waiting", position: 1 });
    const left = await call("DELETE", `/api/v1/events/${eventId}/waitlist/me`, { token: fan });
    expect(await json(left, WaitlistEntry)).toMatchObject({ status: "left", position: 0 });
    expect(
      (await call("POST", `/api/v1/events/${eventId}/waitlist`, { token: fan, body: { quantity: 1 } })).status,
    ).toBe(201);
  });
});
