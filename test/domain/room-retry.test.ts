import { describe, expect, it } from "vitest";
import { isRoomUnavailable, roomFor } from "../../src/http/rooms";

/** A stand-in for the EVENT_ROOM namespace whose stubs fail as workerd's do (flags on the error). */
function namespaceFailing(failures: Array<{ retryable?: boolean; overloaded?: boolean } | null>) {
  const calls: string[] = [];
  const stub = {
    async seatsJson(section?: string) {
      calls.push(`seatsJson:${section}`);
      const failure = failures.shift();
      if (failure) throw Object.assign(new Error("room trouble"), failure);
      return { ok: true, value: { version: 1, body: "{}" } };
    },
    async hold(request: { idempotencyKey?: string }) {
      calls.push(`hold:${request.idempotencyKey ?? "-"}`);
      const failure = failures.shift();
      if (failure) throw Object.assign(new Error("room trouble"), failure);
      return { ok: true, value: {} };
    },
  };
  const env = { EVENT_ROOM: { idFromName: (name: string) => name, get: () => stub } } as unknown as Env;
  return { env, calls };
}

describe("the edge's room calls", () => {
  it("retry a transient failure of a call that is safe to repeat, once", async () => {
    const { env, calls } = namespaceFailing([{ retryable: true }]);
    await expect(roomFor(env, "evt").seatsJson("A")).resolves.toMatchObject({ ok: true });
    expect(calls).toEqual(["seatsJson:A", "seatsJson:A"]);
  });

  it("do not retry twice, nor an overloaded room, nor a hold without an Idempotency-Key", async () => {
    const twice = namespaceFailing([{ retryable: true }, { retryable: true }]);
    await expect(roomFor(twice.env, "evt").seatsJson()).rejects.toMatchObject({ retryable: true });
    expect(twice.calls).toHaveLength(2);

    const overloaded = namespaceFailing([{ retryable: true, overloaded: true }]);
    const error = await roomFor(overloaded.env, "evt")
      .seatsJson()
      .catch((e: unknown) => e);
    expect(overloaded.calls).toHaveLength(1);
    expect(isRoomUnavailable(error)).toBe(true);

    const unkeyed = namespaceFailing([{ retryable: true }]);
    await expect(roomFor(unkeyed.env, "evt").hold({ userId: "u", seatIds: ["A-1-1"], ga: [] })).rejects.toMatchObject({
      retryable: true,
    });
    expect(unkeyed.calls).toEqual(["hold:-"]);

    const keyed = namespaceFailing([{ retryable: true }]);
    await expect(
      roomFor(keyed.env, "evt").hold({ userId: "u", seatIds: ["A-1-1"], ga: [], idempotencyKey: "k1" }),
    ).resolves.toMatchObject({ ok: true });
    expect(keyed.calls).toEqual(["hold:k1", "hold:k1"]);
  });

  it("tell a room that is unavailable from a bug", () => {
    expect(isRoomUnavailable(Object.assign(new Error("x"), { overloaded: true }))).toBe(true);
    expect(isRoomUnavailable(Object.assign(new Error("x"), { retryable: true }))).toBe(true);
    expect(isRoomUnavailable(new TypeError("undefined is not a function"))).toBe(false);
    expect(isRoomUnavailable("a string")).toBe(false);
  });
});
