import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/waiting-room/tokens";
import { TEST_BINDINGS } from "../bindings";
import { call, errorOf, onSaleEvent, tokenFor, unique } from "./helpers";

const roomOf = (eventId: string) => env.EVENT_ROOM.get(env.EVENT_ROOM.idFromName(eventId));

describe("an admission serves one account", () => {
  it("the first account to hold with a queue place's access token keeps it, across tokens and evictions", async () => {
    const { eventId } = await onSaleEvent({
      waitingRoom: { mode: "always", admitPerMinute: 30, maxActive: 100 },
      limits: { perOrder: 10, perUser: 10 },
    });
    const place = unique("v");
    const until = Date.now() + 10 * 60_000;
    const access = await signAccessToken(TEST_BINDINGS.TOKEN_SECRET, eventId, place, until);
    const alice = await tokenFor(unique("alice"));
    const bot = await tokenFor(unique("bot"));
    const hold = (token: string, accessToken: string, seat: string) =>
      call("POST", `/api/v1/events/${eventId}/holds`, {
        token,
        headers: { "x-access-token": accessToken },
        body: { seatIds: [seat] },
      });

    expect((await hold(alice, access, "A-1-1")).status).toBe(201);
    const shared = await hold(bot, access, "A-1-2");
    expect(shared.status).toBe(403);
    await errorOf(shared, "QUEUE_REQUIRED");

    // A later token for the same place serves the same account, and only it.
    const later = await signAccessToken(TEST_BINDINGS.TOKEN_SECRET, eventId, place, until + 1000);
    expect((await hold(alice, later, "A-1-3")).status).toBe(201);
    expect((await hold(bot, later, "A-1-4")).status).toBe(403);

    await evictDurableObject(roomOf(eventId));
    expect((await hold(bot, access, "A-1-5")).status).toBe(403);
    expect((await hold(alice, access, "A-1-5")).status).toBe(201);

    // Another place is another admission.
    const own = await signAccessToken(TEST_BINDINGS.TOKEN_SECRET, eventId, unique("v"), until);
    expect((await hold(bot, own, "A-1-6")).status).toBe(201);
  });
});
