import { describe, expect, it } from "vitest";
import { Health, HoldCreated } from "../../src/contract/responses";
import { call, json, onSaleEvent, tokenFor } from "./helpers";

describe("smoke", () => {
  it("serves healthz with a request id", async () => {
    const response = await call("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(await json(response, Health)).toEqual({ ok: true });
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("holds a seat on a published event", async () => {
    const { eventId } = await onSaleEvent();
    const fan = await tokenFor("fan-1");
    const response = await call("POST", `/api/v1/events/${eventId}/holds`, {
      token: fan,
      body: { seatIds: ["A-1-1"] },
    });
    const body = await json(response, HoldCreated);
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.items).toEqual([{ seatId: "A-1-1", quantity: 1, priceCents: 5000 }]);
  });
});
