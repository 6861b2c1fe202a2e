import { SignJWT } from "jose";
import { vi } from "vitest";
import type { z } from "zod";
import { Outbox, type OutboxMessage as OutboxMessageSchema } from "../../src/contract/responses";
import { TEST_BINDINGS } from "../bindings";
import { call, json, unique } from "./helpers";

export type OutboxMessage = z.output<typeof OutboxMessageSchema>;

export async function outboxOf(to: string): Promise<OutboxMessage[]> {
  return (await json(await call("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`), Outbox)).data;
}

/**
 * Waits until the queue consumer (which Miniflare runs for real) has delivered at least `count`
 * messages to `to`, and returns them: re-reads the outbox until they are there (up to 15 s).
 */
export async function waitForOutbox(to: string, count = 1): Promise<OutboxMessage[]> {
  return vi.waitFor(
    async () => {
      const data = await outboxOf(to);
      if (data.length < count) throw new Error(`${data.length} of ${count} messages to ${to} delivered`);
      return data;
    },
    { timeout: 15_000, interval: 25 },
  );
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
