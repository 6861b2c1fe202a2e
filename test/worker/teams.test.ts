import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditLog, Kill, Org, OrgMember } from "../../src/contract/organizer";
import { VoucherList } from "../../src/contract/pricing-responses";
import { Event, Order, OrganizerEventList } from "../../src/contract/responses";
import { TEAM_ACTIONS, type TeamAction, type TeamRole } from "../../src/domain/team-roles";
import { ROUTES } from "../../src/http/route-table";
import { TEST_BINDINGS } from "../bindings";
import { call, createEvent, createVenue, errorOf, json, unique } from "./helpers";

/** A token with an `email` claim: members are invited, and recognised, by their address. */
async function staff(role: string) {
  const id = unique(role);
  const email = `${id}@example.com`;
  const token = await new SignJWT({ roles: ["organizer"], email })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(id)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(TEST_BINDINGS.AUTH_SECRET));
  return { id, email, token };
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

/** Which team action each organizer route of an event, order or organization needs. */
const ACTION_OF: Record<string, TeamAction> = {
  getOrganizerEvent: "event.read",
  getEventStats: "event.read",
  listPriceSteps: "event.read",
  updateEvent: "event.edit",
  auditEventBooks: "orders.read",
  replayDeadNotifications: "event.edit",
  refundOrder: "order.refund",
  putOrgMember: "org.manage",
  putEventImage: "event.edit",
  listAuditLog: "orders.read",
  createKill: "seats.kill",
  deleteKill: "seats.kill",
  createComp: "comp.create",
  createVouchers: "event.edit",
  listVouchers: "event.edit",
  updateVoucher: "event.edit",
  listEventOrders: "orders.read",
  exportEventOrders: "orders.read",
  exportEventAttendees: "orders.read",
};

/** A valid body for each, so that a refusal can only be the role's. */
const BODIES: Record<string, unknown> = {
  updateEvent: { title: "Renamed by the team" },
  refundOrder: {},
  putOrgMember: { email: "newcomer@example.com", role: "scanner" },
  createKill: { seatIds: ["A-3-9"], reason: "production" },
  createComp: { ga: [{ sectionId: "FLOOR", quantity: 1 }], email: "guest@example.com", reason: "house" },
  createVouchers: { count: 1, kind: "percent", value: 10, maxUses: 5 },
  updateVoucher: { disabled: true },
};

let owner: Awaited<ReturnType<typeof staff>>;
const members = {} as Record<TeamRole, Awaited<ReturnType<typeof staff>>>;
let orgId: string;
let eventId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  owner = await staff("owner");
  const org = await json(
    await call("POST", "/api/v1/admin/orgs", { token: owner.token, body: { name: "Team Hall" } }),
    Org,
  );
  orgId = org.orgId;
  expect(org.members).toEqual([expect.objectContaining({ email: owner.email, role: "owner" })]);
  for (const role of ["owner", "manager", "box_office", "scanner"] as const) {
    members[role] = await staff(role);
    const added = await call("POST", `/api/v1/admin/orgs/${orgId}/members`, {
      token: owner.token,
      body: { email: members[role].email.toUpperCase(), role },
    });
    expect(added.status).toBe(201);
    expect(await json(added, OrgMember)).toMatchObject({ email: members[role].email, role });
  }
  const venueId = await createVenue(owner.token);
  const event = await createEvent(owner.token, venueId, { orgId });
  expect(event.orgId).toBe(orgId);
  eventId = event.eventId;
  const kill = await json(
    await call("POST", `/api/v1/admin/events/${eventId}/kills`, {
      token: owner.token,
      body: { seatIds: ["A-1-1"], reason: "production" },
    }),
    Kill,
  );
  ids.killId = kill.killId;
  const comp = await json(
    await call("POST", `/api/v1/admin/events/${eventId}/comps`, {
      token: owner.token,
      body: { seatIds: ["A-2-2"], email: "vip@example.com", reason: "house" },
    }),
    Order,
  );
  ids.orderId = comp.orderId;
  const vouchers = await json(
    await call("POST", `/api/v1/admin/events/${eventId}/vouchers`, {
      token: owner.token,
      body: { code: "TEAMCODE", kind: "percent", value: 10, maxUses: 5 },
    }),
    VoucherList,
  );
  ids.voucherId = vouchers.data[0]?.voucherId ?? "";
});

function request(route: (typeof ROUTES)[number]) {
  const path = route.path
    .replace(":eventId", eventId)
    .replace(":orderId", ids.orderId ?? "")
    .replace(":killId", ids.killId ?? "")
    .replace(":voucherId", ids.voucherId ?? "")
    .replace(":orgId", orgId);
  return route.operationId === "listAuditLog" ? `${path}?eventId=${eventId}` : path;
}

async function attempt(route: (typeof ROUTES)[number], token: string): Promise<Response> {
  const path = request(route);
  if (route.media) {
    const { default: worker } = await import("../../workers/edge");
    const { env } = await import("cloudflare:workers");
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`https://tickets.test${path}`, {
        method: route.method,
        headers: { authorization: `Bearer ${token}`, "content-type": "image/png" },
        body: PNG,
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }
  return call(route.method, path, { token, ...(route.body && { body: BODIES[route.operationId] }) });
}

describe("teams", () => {
  it("checks every organizer route of an organization's event against the role table", async () => {
    const routes = ROUTES.filter(
      (r) =>
        Array.isArray(r.auth) &&
        r.path.startsWith("/api/v1/admin/") &&
        /:(event|order|kill|voucher|org)Id\b|audit-log/.test(r.path),
    );
    // A new organizer route must say which team action it needs (and give a valid body).
    expect(routes.map((r) => r.operationId).filter((id) => !ACTION_OF[id])).toEqual([]);
    for (const route of routes.filter((r) => r.body))
      expect(BODIES[route.operationId], route.operationId).toBeDefined();
    const outsider = await staff("outsider");
    // The most limited first, so that a permitted change (a kill deleted, an order refunded) comes last.
    for (const role of ["scanner", "box_office", "manager", "owner"] as const) {
      for (const route of routes) {
        const action = ACTION_OF[route.operationId]!;
        const allowed = (TEAM_ACTIONS[action] as readonly string[]).includes(role);
        const response = await attempt(route, members[role].token);
        const what = `${role} ${route.method} ${route.path}: ${response.status}`;
        if (allowed) expect(response.status, what).not.toBe(403);
        else {
          expect(response.status, what).toBe(403);
          await errorOf(response, "FORBIDDEN");
        }
      }
    }
    for (const route of routes) {
      expect((await attempt(route, outsider.token)).status, `outsider ${route.path}`).toBe(403);
    }
  });

  it("a scanner cannot refund; box office can comp and search orders but not cancel; members list the event", async () => {
    const refund = await call("POST", `/api/v1/admin/orders/${ids.orderId}/refund`, {
      token: members.scanner.token,
      body: {},
    });
    await errorOf(refund, "FORBIDDEN");
    const cancel = await call("PATCH", `/api/v1/admin/events/${eventId}`, {
      token: members.box_office.token,
      body: { action: "cancel" },
    });
    await errorOf(cancel, "FORBIDDEN");
    const listed = await json(
      await call("GET", "/api/v1/admin/events", { token: members.scanner.token }),
      OrganizerEventList,
    );
    expect(listed.data.map((e) => e.eventId)).toContain(eventId);
    // Only owners and managers create events in the organization.
    const venue = await createVenue(members.box_office.token);
    await expect(createEvent(members.box_office.token, venue, { orgId })).rejects.toThrow(/403/);
    const managerVenue = await createVenue(members.manager.token);
    expect((await createEvent(members.manager.token, managerVenue, { orgId })).orgId).toBe(orgId);
    const stranger = await staff("stranger");
    const strangerVenue = await createVenue(stranger.token);
    await expect(createEvent(stranger.token, strangerVenue, { orgId })).rejects.toThrow(/403/);
  });

  it("changes a role (200), refuses bad members, and audits who did it", async () => {
    const changed = await call("POST", `/api/v1/admin/orgs/${orgId}/members`, {
      token: owner.token,
      body: { email: members.scanner.email, role: "box_office" },
    });
    expect(changed.status).toBe(200);
    expect((await json(changed, OrgMember)).role).toBe("box_office");
    const orders = await call("GET", `/api/v1/admin/events/${eventId}/orders`, { token: members.scanner.token });
    expect(orders.status).toBe(200);
    for (const body of [{ email: "not-an-address", role: "owner" }, { email: "a@example.com", role: "janitor" }, {}]) {
      await errorOf(
        await call("POST", `/api/v1/admin/orgs/${orgId}/members`, { token: owner.token, body }),
        "VALIDATION_FAILED",
      );
    }
    await errorOf(
      await call("POST", "/api/v1/admin/orgs/org_nope/members", {
        token: owner.token,
        body: { email: "a@example.com", role: "owner" },
      }),
      "NOT_FOUND",
    );
    await errorOf(
      await call("POST", "/api/v1/admin/orgs", { token: owner.token, body: { name: "" } }),
      "VALIDATION_FAILED",
    );
    const log = await json(await call("GET", "/api/v1/admin/audit-log", { token: owner.token }), AuditLog);
    const team = log.data.filter((e) => e.action.startsWith("member.") || e.action === "org.create");
    expect(team[0]).toMatchObject({
      action: "member.role",
      actor: owner.id,
      target: members.scanner.email,
      details: { role: "box_office", from: "scanner" },
    });
    expect(team.at(-1)).toMatchObject({ action: "org.create", target: orgId });
    expect(team.filter((e) => e.action === "member.add")).toHaveLength(5);
  });

  it("an event without an organization is its creator's alone, as before", async () => {
    const solo = await staff("solo");
    const event = await createEvent(solo.token, await createVenue(solo.token));
    expect(event.orgId).toBeNull();
    await errorOf(
      await call("GET", `/api/v1/admin/events/${event.eventId}`, { token: members.owner.token }),
      "FORBIDDEN",
    );
    expect((await call("GET", `/api/v1/admin/events/${event.eventId}`, { token: solo.token })).status).toBe(200);
    expect(
      await json(await call("GET", `/api/v1/admin/events/${event.eventId}`, { token: solo.token }), Event),
    ).toMatchObject({ orgId: null });
  });
});
