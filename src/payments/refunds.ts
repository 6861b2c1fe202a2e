import { and, eq, inArray, sql } from "drizzle-orm";
import { roomFor } from "../bindings";
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
  const result = await roomFor(deps.env, order.eventId).undo(order.holdId, units);
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

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes.subarray(0, 10), (b) => b.toString(16).padStart(2, "0")).join("");
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

  let refundId: string | undefined;
  if (amount > 0 && order.paymentIntentId) {
    const key = ticketIds
      ? `refund-${order.id}-${await digest(
          chosen
            .map((t) => t.id)
            .sort()
            .join(","),
        )}`
      : `refund-${order.id}`;
    const refund = await gatewayOf(deps).refund({
      paymentIntentId: order.paymentIntentId,
      ...(!full && { amountCents: amount }),
      idempotencyKey: key,
    });
    refundId = refund.id || undefined;
  }

  const now = Date.now();
  if (full) {
    await deps.db.batch((await fullRefundStatements(deps, order, order.totalCents)) as [Statement, ...Statement[]]);
  } else {
    await returnToRoom(
      deps,
      order,
      chosen.map((t) => ({ id: t.id, seatId: t.seatId ?? undefined, sectionId: t.sectionId ?? undefined })),
    );
    const ids = chosen.map((t) => t.id);
    await deps.db.batch([
      // Counted only by the batch that voids these tickets: a concurrent retry adds nothing.
      deps.db
        .update(orders)
        .set({
          status: "partially_refunded",
          refundedCents: sql`${orders.refundedCents} + ${amount}`,
          updatedAt: now,
        })
        .where(
          and(
            eq(orders.id, order.id),
            inArray(orders.status, ["confirmed", "partially_refunded"]),
            sql`(SELECT count(*) FROM ${tickets} WHERE ${inArray(tickets.id, ids)} AND ${tickets.status} <> 'void') = ${ids.length}`,
          ),
        ),
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
        refundId: refundId ?? `${order.id}:${chosen.map((t) => t.id).join(",")}`.slice(0, 128),
        amountCents: amount,
        refundedCents: after.refundedCents,
        full,
      },
      deps.log,
    );
  }
  return { ok: true, order: after, refundedNow: amount, refundId };
}
