import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { findOrderByIntent } from "../db/orders";
import { orders } from "../db/schema";
import type { Logger } from "../log";
import type { PaymentGateway } from "./gateway";

/**
 * A refund that Stripe accepted and then failed (`refund.failed`, or `refund.updated` with status
 * `failed`/`canceled`): the buyer's tickets may already be void, so the money must still go back.
 * It is asked for again with a key derived from the failed refund (so redeliveries ask once), and
 * `refundedCents` is set to what Stripe then reports. If Stripe refuses again this throws: the
 * webhook answers 5xx and Stripe's redelivery tries later, while the books audit shows the gap.
 */
export async function refundFailedAtStripe(
  deps: { db: Database; gateway: PaymentGateway | undefined; log: Logger },
  refund: { id: string; payment_intent: string | null; amount: number },
): Promise<"unchanged" | "refund_reissued"> {
  if (!refund.payment_intent || !deps.gateway || deps.gateway.simulated) return "unchanged";
  const order = await findOrderByIntent(deps.db, refund.payment_intent);
  if (!order) return "unchanged";
  const paymentIntentId = refund.payment_intent;
  try {
    await deps.gateway.refund({
      paymentIntentId,
      amountCents: refund.amount,
      idempotencyKey: `refund-again-${refund.id}`,
    });
  } finally {
    // Whatever happened, D1 says what Stripe says (a failed refund lowers the refunded total).
    const record = await deps.gateway.retrieve(paymentIntentId);
    if (record) {
      await deps.db
        .update(orders)
        .set({ refundedCents: record.amountRefunded, updatedAt: Date.now() })
        .where(eq(orders.id, order.id));
    }
  }
  deps.log("warn", "a refund failed at Stripe and was made again", { orderId: order.id, refundId: refund.id });
  return "refund_reissued";
}
