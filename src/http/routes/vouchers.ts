import { Hono } from "hono";
import { VoucherCreate, VoucherIdParam, VoucherPatch } from "../../contract/pricing-requests";
import type { VoucherView } from "../../contract/pricing-responses";
import { type Database, database } from "../../db/client";
import { type EventBundle, inventoryConfig, roomPlanOf } from "../../db/events";
import {
  createVouchers,
  eventVoucherRows,
  findVoucher,
  roomVouchers,
  setVoucherDisabled,
  type VoucherRow,
  voucherOf,
} from "../../db/vouchers";
import { audit } from "../audit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { configureRooms } from "../room-split";
import { roomFor } from "../rooms";
import { EventIdParam } from "../schemas";
import { jsonBody, pathParams } from "../validate";
import { ownedEvent } from "./admin";

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function voucherView(row: VoucherRow, uses: Record<string, number>): VoucherView {
  const v = voucherOf(row);
  return {
    voucherId: v.voucherId,
    eventId: v.eventId,
    code: v.code,
    kind: v.kind,
    value: v.value ?? null,
    maxUses: v.maxUses,
    used: uses[v.voucherId] ?? 0,
    validFrom: iso(v.validFrom),
    validUntil: iso(v.validUntil),
    ticketTypes: v.ticketTypes ?? null,
    sections: v.sections ?? null,
    disabled: v.disabled ?? false,
    createdAt: new Date(v.createdAt).toISOString(),
  };
}

/**
 * Hands the event's definition with its vouchers to its room, which counts their uses. A draft
 * has no room yet: it is given the vouchers when the event is published (src/http/routes/admin.ts).
 */
async function syncVouchers(env: Env, db: Database, bundle: EventBundle): Promise<void> {
  if (bundle.event.state === "draft") return;
  const vouchers = await roomVouchers(db, bundle.event.id);
  // Every room of a split event (src/http/room-split.ts): a definition without the split would undo it.
  await configureRooms(env, { ...inventoryConfig(bundle), vouchers }, roomPlanOf(bundle), null);
}

/** Uses per voucher id, as the room counts them (none for a draft). */
async function usesOf(env: Env, bundle: EventBundle): Promise<Record<string, number>> {
  if (bundle.event.state === "draft") return {};
  const stats = await roomFor(env, bundle.event.id).stats();
  return stats.ok ? stats.value.vouchersUsed : {};
}

export const voucherRoutes = new Hono<AppEnv>()
  .use("/admin/*", auth({ roles: ["organizer"] }))

  .post("/admin/events/:eventId/vouchers", pathParams(EventIdParam), jsonBody(VoucherCreate), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId);
    const input = c.var.body;
    const created = await createVouchers(db, bundle.event.id, input);
    if (!created) throw new ApiError("CONFLICT", "This event already has that code.", { code: input.code ?? null });
    await syncVouchers(c.env, db, bundle);
    const uses = await usesOf(c.env, bundle);
    await audit(c, {
      action: "voucher.create",
      targetType: "event",
      target: bundle.event.id,
      eventId: bundle.event.id,
      ownerId: bundle.event.organizerId,
      details: { count: created.length, kind: input.kind, value: input.value ?? null, maxUses: input.maxUses },
    });
    return c.json({ data: created.map((row) => voucherView(row, uses)) }, 201);
  })

  .get("/admin/events/:eventId/vouchers", pathParams(EventIdParam), async (c) => {
    const db = database(c.env.DB);
    const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId);
    const [rows, uses] = await Promise.all([eventVoucherRows(db, bundle.event.id), usesOf(c.env, bundle)]);
    return c.json({ data: rows.map((row) => voucherView(row, uses)) });
  })

  .patch("/admin/vouchers/:voucherId", pathParams(VoucherIdParam), jsonBody(VoucherPatch), async (c) => {
    const db = database(c.env.DB);
    const row = await findVoucher(db, c.var.params.voucherId);
    if (!row) throw new ApiError("NOT_FOUND", "No such voucher.");
    const bundle = await ownedEvent(db, currentUser(c), row.eventId);
    await setVoucherDisabled(db, row.id, c.var.body.disabled);
    await syncVouchers(c.env, db, bundle);
    const uses = await usesOf(c.env, bundle);
    await audit(c, {
      action: c.var.body.disabled ? "voucher.disable" : "voucher.enable",
      targetType: "voucher",
      target: row.id,
      eventId: row.eventId,
      ownerId: bundle.event.organizerId,
      details: { code: row.code },
    });
    return c.json(voucherView({ ...row, disabled: c.var.body.disabled ? 1 : 0 }, uses));
  });
