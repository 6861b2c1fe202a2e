import { describe, expect, expectTypeOf, it } from "vitest";
import { createClient, type Event, type Hold, type HoldCreated } from "../../src/contract/client.gen";
import { BASE, call, onSaleEvent, tokenFor, unique } from "./helpers";

/** The generated client (src/contract/client.gen.ts) as a TypeScript integrator uses it. */
const through = (path: string, init?: RequestInit) => {
  const url = new URL(path);
  return call(init?.method ?? "GET", `${url.pathname}${url.search}`, {
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
    rawBody: typeof init?.body === "string" ? init.body : undefined,
  });
};

describe("the typed client", () => {
  it("browses, holds and reads back with types from the OpenAPI document", async () => {
    const { eventId } = await onSaleEvent();
    const anonymous = createClient({ baseUrl: BASE, fetch: (input, init) => through(String(input), init) });
    const event = await anonymous("getEvent", { params: { eventId } });
    expect(event.ok).toBe(true);
    if (!event.ok) return;
    expectTypeOf(event.data).toEqualTypeOf<Event>();
    expect(event.data.eventId).toBe(eventId);

    const list = await anonymous("searchEvents", { query: { limit: 5, q: "Test" } });
    expect(list.ok && list.data.meta.limit).toBe(5);

    const fan = createClient({
      baseUrl: BASE,
      token: await tokenFor(unique("fan")),
      fetch: (input, init) => through(String(input), init),
    });
    const hold = await fan("createHold", { params: { eventId }, body: { seatIds: ["A-3-1"] } });
    expect(hold.status).toBe(201);
    if (!hold.ok) return;
    expectTypeOf(hold.data).toEqualTypeOf<HoldCreated>();
    expect(hold.data.version).toBeGreaterThan(0);
    const again = await fan("getHold", { params: { holdId: hold.data.holdId } });
    expect(again.ok && again.data.status).toBe("held");
    if (again.ok) expectTypeOf(again.data).toEqualTypeOf<Hold>();

    const refused = await anonymous("getHold", { params: { holdId: hold.data.holdId } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe("UNAUTHENTICATED");
  });
});
