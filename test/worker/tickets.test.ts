import { createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from "jose";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { HoldCreated, Jwks, Revocations, Ticket, TicketList } from "../../src/contract/responses";
import { call, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { OwnedOrder, scan } from "./money";
import { chargeRefunded, deliver, intentEvent, outcomeOf, PendingCheckout } from "./payments";

/** A fan with a confirmed order for two seats and one GA ticket. */
async function purchase(overrides: Record<string, unknown> = {}) {
  const fixture = await onSaleEvent(overrides);
  const fan = await tokenFor(unique("fan"));
  const hold = await json(
    await call("POST", `/api/v1/events/${fixture.eventId}/holds`, {
      token: fan,
      body: { seatIds: ["A-2-1", "A-2-2"], ga: [{ sectionId: "FLOOR", quantity: 1 }] },
    }),
    HoldCreated,
  );
  const order = await json(
    await call("POST", `/api/v1/holds/${hold.holdId}/checkout`, { token: fan }),
    PendingCheckout,
  );
  expect(await outcomeOf(deliver(intentEvent("payment_intent.succeeded", order)))).toBe("confirmed");
  const confirmed = await json(await call("GET", `/api/v1/orders/${order.orderId}`, { token: fan }), OwnedOrder);
  return {
    ...fixture,
    fan,
    order: confirmed,
    paymentIntentId: order.payment.paymentIntentId,
    tickets: confirmed.tickets,
  };
}

const scanner = () => tokenFor(unique("gate"), ["scanner"]);

describe("ticket codes", () => {
  it("verify with nothing but the JWKS document and jose", async () => {
    const { tickets, eventId } = await purchase();
    expect(tickets).toHaveLength(3);
    expect(tickets.map((t) => t.seatId ?? t.sectionId)).toEqual(["A-2-1", "A-2-2", "FLOOR"]);
    const response = await call("GET", "/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const document = await json(response, Jwks);
    expect(document.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    expect(document.keys[0]).not.toHaveProperty("d");
    const keys = createLocalJWKSet(document);

    const { payload, protectedHeader } = await jwtVerify(tickets[0]!.code, keys);
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(document.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(payload).toMatchObject({ tid: tickets[0]!.ticketId, eid: eventId, seat: "A-2-1", v: 1 });
    expect(typeof payload.iat).toBe("number");
    expect((await jwtVerify(tickets[2]!.code, keys)).payload).toMatchObject({ sec: "FLOOR" });

    const code = tickets[0]!.code;
    const [head, body, signature] = code.split(".");
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    for (const tampered of [`${head}.${flip(body!, 5)}.${signature}`, `${head}.${body}.${flip(signature!, 10)}`]) {
      await expect(jwtVerify(tampered, keys)).rejects.toThrow();
    }
    const other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT({ tid: tickets[0]!.ticketId, eid: eventId, v: 1 })
      .setProtectedHeader({ alg: "EdDSA", kid: decodeProtectedHeader(code).kid })
      .setIssuedAt()
      .sign(other.privateKey);
    await expect(jwtVerify(forged, keys)).rejects.toThrow();
  });

  it("renders a QR code that decodes back to the ticket's code", async () => {
    const { tickets, fan } = await purchase();
    const response = await call("GET", `/api/v1/tickets/${tickets[0]!.ticketId}/qr.svg`, { token: fan });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("image/svg+xml");
    const decoded = decodeQrSvg(await response.text());
    expect(decoded).toBe(tickets[0]!.code);
    expect(
      (await call("GET", `/api/v1/tickets/${tickets[0]!.ticketId}/qr.svg`, { token: await tokenFor(unique("x")) }))
        .status,
    ).toBe(403);
  });
});

describe("check-in", () => {
  it("admits once, then answers already_used with the first scan's time", async () => {
    const { tickets, eventId } = await purchase();
    const gate = await scanner();
    const first = await scan(gate, { eventId, code: tickets[0]!.code });
    expect(first).toMatchObject({ result: "admitted", ticketId: tickets[0]!.ticketId, seatId: "A-2-1" });
    const second = await scan(gate, { eventId, code: tickets[0]!.code });
    expect(second).toMatchObject({
      result: "already_used",
      ticketId: tickets[0]!.ticketId,
      firstScannedAt: first.firstScannedAt,
    });
  });

  it("gives a device's retried scan the same answer", async () => {
    const { tickets, eventId } = await purchase();
    const gate = await scanner();
    const body = { eventId, code: tickets[1]!.code, scanId: "scan-1", deviceId: "gate-7" };
    const first = await scan(gate, body);
    const retry = await scan(gate, body);
    expect(first.result).toBe("admitted");
    expect(retry).toEqual(first);
    expect((await scan(gate, { ...body, scanId: "scan-2" })).result).toBe("already_used");
  });

  it("admits exactly one of 50 simultaneous scans of one ticket", async () => {
    const { tickets, eventId } = await purchase();
    const gates = await Promise.all(Array.from({ length: 5 }, () => scanner()));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        scan(gates[i % 5]!, { eventId, code: tickets[2]!.code, scanId: `s${i}`, deviceId: `d${i % 5}` }),
      ),
    );
    const results = answers.map((a) => a.result);
    expect(results.filter((r) => r === "admitted")).toHaveLength(1);
    expect(results.filter((r) => r === "already_used")).toHaveLength(49);
  });

  it("answers wrong_event, invalid, and refuses non-scanners", async () => {
    const { tickets, eventId, fan } = await purchase();
    const other = await onSaleEvent();
    const gate = await scanner();
    expect(await scan(gate, { eventId: other.eventId, code: tickets[0]!.code })).toMatchObject({
      result: "wrong_event",
      ticketId: tickets[0]!.ticketId,
    });
    expect(await scan(gate, { eventId, code: "not-a-code" })).toEqual({ result: "invalid" });
    const [h, b, s] = tickets[0]!.code.split(".");
    expect(await scan(gate, { eventId, code: `${h}.${b}.${s!.slice(0, -4)}AAAA` })).toEqual({ result: "invalid" });
    const denied = await call("POST", "/api/v1/checkin", { token: fan, body: { eventId, code: tickets[0]!.code } });
    expect(denied.status).toBe(403);
    // None of this used the ticket up.
    expect((await scan(gate, { eventId, code: tickets[0]!.code })).result).toBe("admitted");
  });

  it("refuses a refunded order's tickets as void", async () => {
    const { tickets, eventId, order, paymentIntentId } = await purchase();
    expect(await outcomeOf(deliver(chargeRefunded(paymentIntentId, order.totalCents)))).toBe("refunded");
    const gate = await scanner();
    expect(await scan(gate, { eventId, code: tickets[0]!.code })).toMatchObject({
      result: "void",
      ticketId: tickets[0]!.ticketId,
    });
  });
});

describe("transfer", () => {
  it("voids the old code, gives the recipient a new one, and lists the old in revocations", async () => {
    const { tickets, eventId, fan } = await purchase();
    const since = new Date(Date.now() - 1000).toISOString();
    const recipientId = unique("friend");
    const recipient = await tokenFor(recipientId);
    const response = await call("POST", `/api/v1/tickets/${tickets[0]!.ticketId}/transfer`, {
      token: fan,
      body: { toUserId: recipientId },
    });
    expect(response.status).toBe(201);
    const fresh = await json(response, Ticket);
    expect(fresh).toMatchObject({ eventId, seatId: "A-2-1", status: "valid" });
    expect(fresh.ticketId).not.toBe(tickets[0]!.ticketId);
    expect(fresh.code).not.toBe(tickets[0]!.code);

    const theirs = await json(await call("GET", "/api/v1/me/tickets", { token: recipient }), TicketList);
    expect(theirs.data.map((t) => t.ticketId)).toEqual([fresh.ticketId]);
    const mine = await json(await call("GET", "/api/v1/me/tickets", { token: fan }), TicketList);
    expect(mine.data.map((t) => t.ticketId)).not.toContain(tickets[0]!.ticketId);
    expect(mine.data).toHaveLength(2);

    const again = await call("POST", `/api/v1/tickets/${tickets[0]!.ticketId}/transfer`, {
      token: fan,
      body: { toUserId: "someone" },
    });
    expect(again.status).toBe(409);
    const stolen = await call("POST", `/api/v1/tickets/${fresh.ticketId}/transfer`, {
      token: fan,
      body: { toUserId: "me" },
    });
    expect(stolen.status).toBe(403);

    const gate = await scanner();
    expect((await scan(gate, { eventId, code: tickets[0]!.code })).result).toBe("void");
    expect((await scan(gate, { eventId, code: fresh.code })).result).toBe("admitted");
    const revocations = await json(
      await call("GET", `/api/v1/events/${eventId}/revocations?since=${since}`, { token: gate }),
      Revocations,
    );
    expect(revocations.ticketIds).toEqual([tickets[0]!.ticketId]);
    expect((await call("GET", `/api/v1/events/${eventId}/revocations`, { token: fan })).status).toBe(403);
  });
});

/** Rasterizes the SVG that the `qrcode` package draws (horizontal stroke runs) and decodes it with jsQR. */
function decodeQrSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const scale = 4;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of d.matchAll(/([MmHhVv])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    const n = Number(a);
    if (op === "M") [x, y] = [n, Number(b) - 0.5];
    else if (op === "m") [x, y] = [x + n, y + Number(b)];
    else if (op === "h") {
      for (let col = x; col < x + n; col++) paint(col, y);
      x += n;
    }
  }
  function paint(col: number, row: number) {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const i = ((row * scale + dy) * width + col * scale + dx) * 4;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
      }
    }
  }
  return jsQR(pixels, width, width)?.data;
}
