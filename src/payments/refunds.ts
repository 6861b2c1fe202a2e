import { and, eq, inArray, sql } from "drizzle-orm";
import type { roomFor } from "../bindings";
import type { Database } from "../db/client";
import {
  findOrder,
  type OrderRow,
  recordRefunded,
  type Statement,
  setPaymentStatus,
  transitionOrder,
  voidTicketsOfOrder,
} from "../db/orders";
import { orderItems, orders, tickets } from "../db/schema";
import type { Logger } from "../log";
import { enqueue } from "../notify/enqueue";
import { undoHold } from "../user-ledger/steps";
import type { PaymentGateway } from "./gateway";

export interface Deps {
  env: Env;
  db: Database;
  gateway: PaymentGateway | undefined;
  log: Logger;
}

export function gatewayOf(deps: Deps): PaymentGateway {
  if (!deps.gateway) throw new Error("no payment provider is configured");
  return deps.gateway;
}

/** The room is told first (one idempotent path for held, checkout and purchased holds), then D1. */
async function returnToRoom(deps: Deps, order: OrderRow, units?: Parameters<ReturnType<typeof roomFor>["undo"]>[1]) {
  const result = await undoHold(deps.env, order.eventId, order.holdId, order.userId, units);
  if (!result.ok && result.error.code !== "NOT_FOUND") {
    throw new Error(`the room could not return hold ${order.holdId}: ${result.error.code}`);
  }
}

/**
 * Everything a full refund changes once the money is back (or on its way): the hold's seats
 * return, the order is `refunded` with `refundedCents`, every ticket is void.
 */
export async function fullRefundStatements(deps: Deps, order: OrderRow, refundedCents: number): Promise<Statement[]> {
  await returnToRoom(deps, order);
  const now = Date.now();
  const statements = [
    transitionOrder(deps.db, order.id, "refunded", [
      "pending",
      "confirmed",
      "partially_refunded",
      "failed",
      "cancelled",
    ]),
    recordRefunded(deps.db, order.id, refundedCents),
    voidTicketsOfOrder(deps.db, order.id, now),
  ];
  if (order.paymentIntentId) statements.push(setPaymentStatus(deps.db, order.paymentIntentId, "refunded"));
  return statements;
}

export type RefundResult =
  | { ok: true; order: OrderRow; refundedNow: number; refundId: string | undefined }
  | { ok: false; code: "CONFLICT" | "NOT_FOUND"; message: string; ticketIds?: string[] };

/**
 * An organizer's refund: the whole order, or only `ticketIds` (their prices). Stripe is asked
 * first with an idempotency key derived from what is refunded, so a retry after any failure
 * refunds nothing twice; then the room gets those seats back and D1 voids those tickets.
 * A retry after success finds the tickets void and changes nothing.
 */
export async function refundOrder(
  deps: Deps,
  order: OrderRow,
  ticketIds?: string[],
  options: { notify?: boolean } = {},
): Promise<RefundResult> {
  if (order.status === "refunded") return { ok: true, order, refundedNow: 0, refundId: undefined };
  if (order.status !== "confirmed" && order.status !== "partially_refunded") {
    return {
      ok: false,
      code: "CONFLICT",
      message: `Only a confirmed order can be refunded; this one is ${order.status}.`,
    };
  }
  const [all, items] = await deps.db.batch([
    deps.db.select().from(tickets).where(eq(tickets.orderId, order.id)),
    deps.db.select().from(orderItems).where(eq(orderItems.orderId, order.id)),
  ]);
  const live = all.filter((t) => t.status !== "void");
  let chosen = live;
  if (ticketIds) {
    const unknown = ticketIds.filter((id) => !all.some((t) => t.id === id));
    if (unknown.length)
      return { ok: false, code: "NOT_FOUND", message: "No such ticket in this order.", ticketIds: unknown };
    chosen = live.filter((t) => ticketIds.includes(t.id));
  }
  if (chosen.length === 0) return { ok: true, order, refundedNow: 0, refundId: undefined };
  const full = chosen.length === live.length;
  const priceOf = (t: (typeof all)[number]) =>
    items.find((i) => (t.seatId ? i.seatId === t.seatId : i.sectionId === t.sectionId))?.priceCents ?? 0;
  const amount = full ? order.totalCents - order.refundedCents : chosen.reduce((n, t) => n + priceOf(t), 0);

  // Stripe first, keyed so that no overlap can pay twice: a full refund asks for whatever is left
  // (one key per order), a ticket refund for each ticket's price (one key per ticket), so `{t1}` and
  // `{t1,t2}` at once refund t1 once. Then Stripe's refunded total is what D1 records.
  let refundId: string | undefined;
  let stripeTotal: number | undefined;
  const intentId = order.paymentIntentId;
  if (amount > 0 && intentId) {
    const gateway = gatewayOf(deps);
    if (full) {
      refundId = (await gateway.refund({ paymentIntentId: intentId, idempotencyKey: `refund-${order.id}` })).id;
    } else {
      for (const t of chosen) {
        const cents = priceOf(t);
        if (cents <= 0) continue;
        const key = `refund-${order.id}-${t.id}`;
        refundId = (await gateway.refund({ paymentIntentId: intentId, amountCents: cents, idempotencyKey: key })).id;
      }
    }
    if (!gateway.simulated) stripeTotal = (await gateway.retrieve(intentId))?.amountRefunded;
  }
  refundId ||= undefined;

  const now = Date.now();
  if (full) {
    const refunded = stripeTotal ?? order.totalCents;
    await deps.db.batch((await fullRefundStatements(deps, order, refunded)) as [Statement, ...Statement[]]);
  } else {
    await returnToRoom(
      deps,
      order,
      chosen.map((t) => ({ id: t.id, seatId: t.seatId ?? undefined, sectionId: t.sectionId ?? undefined })),
    );
    const ids = chosen.map((t) => t.id);
    // Stripe's total when there is one (a webhook may have recorded it already: never added twice);
    // otherwise (simulated payments) counted only by the batch that voids these tickets.
    const refundedCents =
      stripeTotal !== undefined
        ? sql`max(${orders.refundedCents}, ${stripeTotal})`
        : sql`${orders.refundedCents} + (CASE WHEN (SELECT count(*) FROM ${tickets} WHERE ${inArray(tickets.id, ids)} AND ${tickets.status} <> 'void') = ${ids.length} THEN ${amount} ELSE 0 END)`;
    await deps.db.batch([
      deps.db
        .update(orders)
        .set({ status: "partially_refunded", refundedCents, updatedAt: now })
        .where(and(eq(orders.id, order.id), inArray(orders.status, ["confirmed", "partially_refunded"]))),
      deps.db
        .update(tickets)
        .set({ status: "void", voidedAt: now })
        .where(and(inArray(tickets.id, ids), sql`${tickets.status} <> 'void'`)),
    ]);
  }
  const after = (await findOrder(deps.db, order.id)) ?? order;
  if (amount > 0 && options.notify !== false) {
    await enqueue(
      deps.env,
      {
        kind: "order_refunded",
        eventId: order.eventId,
        orderId: order.id,
        // Named like the charge.refunded webhook's notice for the same total: one mail, not two.
        refundId:
          stripeTotal !== undefined && intentId
            ? `${intentId}:${stripeTotal}`
            : (refundId ?? `${order.id}:${chosen.map((t) => t.id).join(",")}`).slice(0, 128),
        amountCents: amount,
        refundedCents: after.refundedCents,
        full,
      },
      deps.log,
    );
  }
  return { ok: true, order: after, refundedNow: amount, refundId };
}
