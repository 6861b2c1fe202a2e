import { Hono } from "hono";
import { z } from "zod";
import type { KillView } from "../../contract/organizer";
import { database } from "../../db/client";
import type { EventBundle } from "../../db/events";
import { findOrder, itemsAndTickets } from "../../db/orders";
import { randomId } from "../../domain/ids";
import type { Kill } from "../../domain/types";
import { checkout } from "../../payments/checkout";
import { paymentGateway } from "../../payments/gateway";
import { audit } from "../audit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { roomFor } from "../rooms";
import { EventIdParam, IdempotencyKey } from "../schemas";
import { issuesOf, jsonBody, pathParams, validationFailed } from "../validate";
import { orderView } from "../views";
import { ownedEvent, syncRoom } from "./admin";

const items = {
  seatIds: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be a seat id"))
    .max(500)
    .default([]),
  ga: z
    .array(
      z.object({
        sectionId: z.string().regex(/^[A-Za-z0-9]{1,16}$/, "must be a section id"),
        quantity: z.number().int().min(1).max(100_000),
      }),
    )
    .max(50)
    .default([]),
};

const atLeastOne = (value: { seatIds: string[]; ga: unknown[] }, ctx: z.RefinementCtx) => {
  if (value.seatIds.length === 0 && value.ga.length === 0) {
    ctx.addIssue({ code: "custom", path: ["seatIds"], message: "name at least one seat or ga item" });
  }
  if (new Set(value.seatIds).size !== value.seatIds.length) {
    ctx.addIssue({ code: "custom", path: ["seatIds"], message: "names a seat twice" });
  }
};

/** Why the seats are off sale: production, accessibility, house, or the organizer's own words. */
const reason = z.string().trim().min(1).max(200);

export const KillCreate = z.object({ ...items, reason }).superRefine(atLeastOne);
export const CompCreate = z
  .object({
    ...items,
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    reason,
  })
  .superRefine(atLeastOne);
export const KillIdParam = z.object({
  eventId: EventIdParam.shape.eventId,
  killId: z.string().regex(/^kil_[a-z0-9]{1,40}$/, "must be a kill id"),
});

/**
 * Who a comp's tickets belong to: the recipient named by e-mail. Until accounts exist a comp is
 * owned by the address itself (`email:<address>`); its mail carries the tickets.
 */
export const compRecipientId = (email: string): string => `email:${email}`;

const killView = (eventId: string, kill: Kill & { version: number }): KillView => ({
  killId: kill.killId,
  eventId,
  seatIds: kill.seatIds,
  ga: kill.ga,
  reason: kill.reason,
  createdAt: new Date(kill.createdAt).toISOString(),
  version: kill.version,
});

/** A draft's room is not set up until it is published; kills and comps come before the sale opens. */
async function configuredRoom(env: Env, bundle: EventBundle) {
  if (bundle.event.state === "draft") await syncRoom(env, bundle);
  return roomFor(env, bundle.event.id);
}

export const kills = new Hono<AppEnv>()
  .post(
    "/admin/events/:eventId/kills",
    auth({ roles: ["organizer"] }),
    pathParams(EventIdParam),
    jsonBody(KillCreate),
    async (c) => {
      const bundle = await ownedEvent(database(c.env.DB), currentUser(c), c.var.params.eventId, "seats.kill");
      const { seatIds, ga, reason } = c.var.body;
      const room = await configuredRoom(c.env, bundle);
      const result = await room.kill({ killId: randomId("kil"), seatIds, ga, reason });
      if (!result.ok) throw ApiError.fromDomain(result.error);
      const view = killView(bundle.event.id, result.value);
      await audit(c, {
        action: "seats.kill",
        targetType: "kill",
        target: view.killId,
        eventId: bundle.event.id,
        ownerId: bundle.event.organizerId,
        details: { seatIds, ga, reason },
      });
      return c.json(view, 201);
    },
  )

  .delete(
    "/admin/events/:eventId/kills/:killId",
    auth({ roles: ["organizer"] }),
    pathParams(KillIdParam),
    async (c) => {
      const bundle = await ownedEvent(database(c.env.DB), currentUser(c), c.var.params.eventId, "seats.kill");
      const room = await configuredRoom(c.env, bundle);
      const result = await room.unkill(c.var.params.killId);
      if (!result.ok) throw ApiError.fromDomain(result.error);
      const view = killView(bundle.event.id, result.value);
      await audit(c, {
        action: "seats.unkill",
        targetType: "kill",
        target: view.killId,
        eventId: bundle.event.id,
        ownerId: bundle.event.organizerId,
        details: { seatIds: view.seatIds, ga: view.ga },
      });
      return c.json({ ...view, status: "removed" as const });
    },
  )

  /**
   * A complimentary order: the room holds the seats for the recipient at no cost (outside the
   * sales window and the limits, never a seat that is taken), then the free checkout confirms it
   * and mails the tickets to `email`.
   */
  .post(
    "/admin/events/:eventId/comps",
    auth({ roles: ["organizer"] }),
    pathParams(EventIdParam),
    jsonBody(CompCreate),
    async (c) => {
      const key = IdempotencyKey.safeParse(c.req.header("idempotency-key"));
      if (!key.success) throw validationFailed(issuesOf(key.error, "Idempotency-Key"));
      const db = database(c.env.DB);
      const bundle = await ownedEvent(db, currentUser(c), c.var.params.eventId, "comp.create");
      const { seatIds, ga, email, reason } = c.var.body;
      const recipient = compRecipientId(email);
      const room = await configuredRoom(c.env, bundle);
      const held = await room.hold({
        userId: recipient,
        seatIds,
        ga,
        comp: true,
        // The organizer's own seats: no waiting room stands between them and their comps.
        admitted: true,
        ...(key.data && { idempotencyKey: `comp:${key.data}` }),
      });
      if (!held.ok) throw ApiError.fromDomain(held.error);
      const deps = { env: c.env, db, gateway: paymentGateway(c.env), log: c.var.log };
      const done = await checkout(deps, {
        holdId: held.value.holdId,
        eventId: bundle.event.id,
        buyer: { id: recipient, email },
      });
      if (!done.ok) {
        if (done.error.code === "PAYMENTS_UNAVAILABLE") throw new Error("a comp is free: no payment expected");
        throw ApiError.fromDomain(done.error);
      }
      // The outcome carries the order as checkout found it; the confirmation happened since.
      const order = (await findOrder(db, done.value.order.id)) ?? done.value.order;
      const { items: lines, tickets } = await itemsAndTickets(db, [order.id]);
      await audit(c, {
        action: "comp.issue",
        targetType: "order",
        target: order.id,
        eventId: bundle.event.id,
        ownerId: bundle.event.organizerId,
        details: { email, reason, seatIds, ga },
      });
      return c.json({ ...orderView(order, lines, tickets), email, reason, comp: true }, 201);
    },
  );
