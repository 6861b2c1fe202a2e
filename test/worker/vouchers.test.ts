import { describe, expect, it } from "vitest";
import { VoucherList } from "../../src/contract/pricing-responses";
import { HoldCreated } from "../../src/contract/responses";
import { call, createEvent, createVenue, errorOf, json, onSaleEvent, SMALL_VENUE, tokenFor, unique } from "./helpers";

const hold = async (eventId: string, body: unknown, user = unique("fan")) =>
  call("POST", `/api/v1/events/${eventId}/holds`, { token: await tokenFor(user), body });

async function vouchers(organizer: string, eventId: string, body: unknown) {
  const response = await call("POST", `/api/v1/admin/events/${eventId}/vouchers`, { token: organizer, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json(response, VoucherList)).data;
}

async function listed(organizer: string, eventId: string) {
  return (await json(await call("GET", `/api/v1/admin/events/${eventId}/vouchers`, { token: organizer }), VoucherList))
    .data;
}

async function reason(response: Response): Promise<unknown> {
  expect(response.status).toBe(409);
  const error = (await errorOf(response, "VOUCHER_INVALID")).error as {
    reason?: string;
    details?: { reason?: string };
  };
  expect(error.details?.reason).toBe(error.reason);
  return error.reason;
}

describe("vouchers", () => {
  it("prices a hold with a voucher, counts its use and gives it back when the hold ends unpaid", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const [voucher] = await vouchers(organizer, eventId, { code: "spring20", kind: "percent", value: 20, maxUses: 1 });
    expect(voucher).toMatchObject({ code: "SPRING20", used: 0, maxUses: 1, disabled: false });
    const owner = unique("fan");
    const made = await json(await hold(eventId, { seatIds: ["A-1-1"], voucher: " Spring20 " }, owner), HoldCreated);
    expect(made.items[0]).toMatchObject({ priceCents: 4000, ticketType: "standard" });
    expect(made.voucher).toBe("SPRING20");
    expect((await listed(organizer, eventId))[0]?.used).toBe(1);
    expect(await reason(await hold(eventId, { seatIds: ["A-1-2"], voucher: "SPRING20" }))).toBe("used_up");
    const released = await call("DELETE", `/api/v1/holds/${made.holdId}`, { token: await tokenFor(owner) });
    expect(released.status).toBe(200);
    expect((await listed(organizer, eventId))[0]?.used).toBe(0);
    expect((await hold(eventId, { seatIds: ["A-1-2"], voucher: "SPRING20" })).status).toBe(201);
  });

  it("lets exactly maxUses of 200 parallel holds use a voucher, and the others take nothing", async () => {
    const organizer = await tokenFor(unique("org"), ["organizer"]);
    const venueId = await createVenue(organizer, {
      ...SMALL_VENUE,
      sections: [{ id: "FLOOR", name: "Floor", kind: "ga", capacity: 500 }],
    });
    const { eventId } = await createEvent(organizer, venueId, { prices: { FLOOR: 2000 } });
    await vouchers(organizer, eventId, { code: "STORM", kind: "amount", value: 500, maxUses: 50 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => hold(eventId, { ga: [{ sectionId: "FLOOR", quantity: 1 }], voucher: "STORM" })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const r of answers) if (r.status === 409) expect(await reason(r)).toBe("used_up");
    expect((await listed(organizer, eventId))[0]?.used).toBe(50);
    const seats = await call("GET", `/api/v1/events/${eventId}/seats?minVersion=1`);
    const floor = ((await seats.json()) as { sections: { id: string; available: number }[] }).sections[0];
    expect(floor?.available).toBe(450);
  });

  it("says why a voucher cannot be used", async () => {
    const { organizer, eventId } = await onSaleEvent({
      ticketTypes: [
        { id: "adult", name: "Adult", prices: { "*": 4000 } },
        { id: "crew", name: "Crew", prices: { "*": 1000 }, requiresVoucher: true },
      ],
    });
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await vouchers(organizer, eventId, { code: "OLD", kind: "percent", value: 10, maxUses: 5, validUntil: past });
    await vouchers(organizer, eventId, { code: "LATER", kind: "percent", value: 10, maxUses: 5, validFrom: future });
    await vouchers(organizer, eventId, { code: "KIDS", kind: "percent", value: 10, maxUses: 5, ticketTypes: ["kids"] });
    const [off] = await vouchers(organizer, eventId, { code: "OFF", kind: "amount", value: 100, maxUses: 5 });
    const [crew] = await vouchers(organizer, eventId, {
      code: "CREW",
      kind: "unlock",
      maxUses: 5,
      ticketTypes: ["crew"],
    });
    const seat = (ticketType?: string) => ({ seats: [{ seatId: `A-2-${Math.ceil(Math.random() * 10)}`, ticketType }] });
    expect(await reason(await hold(eventId, { ...seat(), voucher: "NOPE" }))).toBe("unknown");
    expect(await reason(await hold(eventId, { ...seat(), voucher: "OLD" }))).toBe("expired");
    expect(await reason(await hold(eventId, { ...seat(), voucher: "LATER" }))).toBe("not_yet_valid");
    expect(await reason(await hold(eventId, { ...seat(), voucher: "KIDS" }))).toBe("not_applicable");
    expect(await reason(await hold(eventId, seat("crew")))).toBe("required");
    const unlocked = await json(
      await hold(eventId, { seats: [{ seatId: "A-3-1", ticketType: "crew" }], voucher: "crew" }),
      HoldCreated,
    );
    expect(unlocked.items[0]).toMatchObject({ ticketType: "crew", priceCents: 1000 });
    expect(crew?.code).toBe("CREW");
    const disabled = await call("PATCH", `/api/v1/admin/vouchers/${off?.voucherId}`, {
      token: organizer,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(await reason(await hold(eventId, { ...seat(), voucher: "OFF" }))).toBe("disabled");
    const audit = await call("GET", `/api/v1/admin/audit-log?eventId=${eventId}`, { token: organizer });
    const actions = ((await audit.json()) as { data: { action: string }[] }).data.map((e) => e.action);
    expect(actions).toContain("voucher.disable");
  });

  it("generates unique one-use presale codes, handed to the room when a draft is published", async () => {
    const { organizer, venueId } = await onSaleEvent();
    const draft = await createEvent(organizer, venueId, { publish: false });
    const codes = await vouchers(organizer, draft.eventId, { count: 5, kind: "unlock", maxUses: 1 });
    expect(new Set(codes.map((v) => v.code)).size).toBe(5);
    const published = await call("PATCH", `/api/v1/admin/events/${draft.eventId}`, {
      token: organizer,
      body: { action: "publish" },
    });
    expect(published.status, await published.clone().text()).toBe(200);
    const code = codes[0]!.code;
    expect((await hold(draft.eventId, { seatIds: ["A-1-1"], voucher: code })).status).toBe(201);
    expect(await reason(await hold(draft.eventId, { seatIds: ["A-1-2"], voucher: code }))).toBe("used_up");
    expect((await hold(draft.eventId, { seatIds: ["A-1-2"], voucher: codes[1]!.code })).status).toBe(201);
  });

  it("refuses a bad voucher body and a code the event already has", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const both = await call("POST", `/api/v1/admin/events/${eventId}/vouchers`, {
      token: organizer,
      body: { code: "X123", count: 2, kind: "percent", value: 10, maxUses: 1 },
    });
    expect(both.status).toBe(400);
    await vouchers(organizer, eventId, { code: "TWICE", kind: "percent", value: 10, maxUses: 1 });
    const again = await call("POST", `/api/v1/admin/events/${eventId}/vouchers`, {
      token: organizer,
      body: { code: "twice", kind: "percent", value: 10, maxUses: 1 },
    });
    expect(again.status).toBe(409);
    const stranger = await tokenFor(unique("org"), ["organizer"]);
    const foreign = await call("GET", `/api/v1/admin/events/${eventId}/vouchers`, { token: stranger });
    expect(foreign.status).toBe(403);
  });
});
