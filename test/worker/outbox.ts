import { SignJWT } from "jose";
import { TEST_BINDINGS } from "../bindings";
import { call, json, unique } from "./helpers";

export interface OutboxMessage {
  messageId: string;
  to: string;
  kind: string;
  subject: string;
  text: string;
  orderId?: string;
  eventId?: string;
  createdAt: string;
}

export async function outboxOf(to: string): Promise<OutboxMessage[]> {
  return (await json(await call("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`))).data;
}

/**
 * Waits until the queue consumer (which Miniflare runs for real) has delivered at least `count`
 * messages to `to`, and returns them; re-reads the outbox, it does not sleep a fixed time.
 */
export async function waitForOutbox(to: string, count = 1): Promise<OutboxMessage[]> {
  for (;;) {
    const data = await outboxOf(to);
    if (data.length >= count) return data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A customer whose token carries an `email` claim (where notifications go). */
export async function fanWithEmail(prefix = "fan"): Promise<{ id: string; email: string; token: string }> {
  const id = unique(prefix);
  const email = `${id}@example.com`;
  const token = await new SignJWT({ roles: ["customer"], email })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(id)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(TEST_BINDINGS.AUTH_SECRET));
  return { id, email, token };
}
