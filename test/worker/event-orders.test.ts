import { describe, expect, it } from "vitest";
import { OrganizerOrderList } from "../../src/contract/organizer";
import { csvRow } from "../../src/http/csv";
import { call, errorOf, json, onSaleEvent, tokenFor, unique } from "./helpers";
import { adminRefund, bought } from "./money";
import { fanWithEmail } from "./outbox";

/** RFC 4180, parsed strictly: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === "") {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else if (i >= text.length) throw new Error("unterminated quote");
        else field += text[i++];
      }
    } else if (ch === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (ch === "\n" || ch === "\r") throw new Error("a bare line break outside quotes");
    else field += text[i++];
  }
  if (field !== "" || record.length > 0) throw new Error("the last record has no CRLF");
  return records;
}

const asObjects = (rows: string[][]) => {
  const [header, ...rest] = rows;
  return rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
};

describe("an event's orders and attendees for its organizer", () => {
  it("finds orders by e-mail, order id and status, pages with a cursor, and exports CSV with the comp", async () => {
    const { organizer, eventId } = await onSaleEvent();
    const alice = await fanWithEmail("alice");
    const bob = await fanWithEmail("bob");
    const a = await bought(eventId, alice.token, { seatIds: ["A-1-1", "A-1-2"] });
    const b = await bought(eventId, bob.token, { ga: [{ sectionId: "FLOOR", quantity: 1 }] });
    const guest = `${unique("guest")}@example.com`;
    const comped = await call("POST", `/api/v1/admin/events/${eventId}/comps`, {
      token: organizer,
      body: { seatIds: ["B-1-1"], email: guest, reason: "house" },
    });
    expect(comped.status).toBe(201);
    const list = (query: string) =>
      call("GET", `/api/v1/admin/events/${eventId}/orders${query}`, { token: organizer }).then((r) =>
        json(r, OrganizerOrderList),
      );

    const all = await list("");
    expect(all.data).toHaveLength(3);
    expect(all.data.every((o) => o.tickets.every((t) => !("code" in t)))).toBe(true);
    const byEmail = await list(`?q=${encodeURIComponent(alice.email.slice(0, 8).toUpperCase())}`);
    expect(byEmail.data.map((o) => o.orderId)).toEqual([a.order.orderId]);
    expect(byEmail.data[0]).toMatchObject({ email: alice.email, status: "confirmed", totalCents: 10000 });
    expect((await list(`?q=${b.order.orderId}`)).data.map((o) => o.email)).toEqual([bob.email]);
    expect((await list("?q=%25")).data).toEqual([]);

    expect((await adminRefund(b.order.orderId, organizer)).status).toBe(202);
    expect((await list("?status=refunded")).data.map((o) => o.orderId)).toEqual([b.order.orderId]);

    const first = await list("?limit=2");
    expect(first.data).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.meta.nextCursor}`);
    expect(second.meta.nextCursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((o) => o.orderId)).size).toBe(3);

    const ordersCsv = await call("GET", `/api/v1/admin/events/${eventId}/orders.csv`, { token: organizer });
    expect(ordersCsv.headers.get("content-type")).toMatch(/^text\/csv/);
    const orderRows = asObjects(parseCsv(await ordersCsv.text()));
    expect(orderRows.map((r) => r.email).sort()).toEqual([alice.email, bob.email, guest].sort());
    expect(orderRows.find((r) => r.email === bob.email)?.status).toBe("refunded");

    const attendees = await call("GET", `/api/v1/admin/events/${eventId}/attendees.csv`, { token: organizer });
    expect(attendees.headers.get("content-type")).toMatch(/^text\/csv/);
    const people = asObjects(parseCsv(await attendees.text()));
    expect(
      people
        .filter((p) => p.email === alice.email)
        .map((p) => p.seatId)
        .sort(),
    ).toEqual(["A-1-1", "A-1-2"]);
    expect(people.find((p) => p.email === guest)).toMatchObject({ seatId: "B-1-1", status: "valid" });
    expect(people.find((p) => p.email === bob.email)).toMatchObject({ sectionId: "FLOOR", status: "void" });
  });

  it("refuses other organizers, fans and bad queries", async () => {
    const { eventId } = await onSaleEvent();
    const stranger = await tokenFor(unique("org"), ["organizer"]);
    for (const path of ["orders", "orders.csv", "attendees.csv"]) {
      await errorOf(await call("GET", `/api/v1/admin/events/${eventId}/${path}`, { token: stranger }), "FORBIDDEN");
      await errorOf(
        await call("GET", `/api/v1/admin/events/${eventId}/${path}`, { token: await tokenFor("f") }),
        "FORBIDDEN",
      );
    }
    const organizer = (await onSaleEvent()).organizer;
    await errorOf(
      await call("GET", `/api/v1/admin/events/${eventId}/orders?cursor=x`, { token: organizer }),
      "VALIDATION_FAILED",
    );
    await errorOf(await call("GET", "/api/v1/admin/events/evt_nope/orders", { token: organizer }), "NOT_FOUND");
  });

  it("quotes fields as RFC 4180 asks", () => {
    expect(csvRow(["plain", 'say "hi"', "a,b", "line\nbreak", null, 7, "=SUM(A1)"])).toBe(
      'plain,"say ""hi""","a,b","line\nbreak",,7,"=SUM(A1)"\r\n',
    );
  });
});
