import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { enqueue } from "../../src/notify/enqueue";
import { onSaleEvent, unique } from "./helpers";
import { waitForOutbox } from "./outbox";

describe("notifications through the queue", () => {
  it("delivers an enqueued message to the outbox", async () => {
    const { eventId } = await onSaleEvent();
    const to = `${unique("fan")}@example.com`;
    const outcome = await enqueue(env, {
      kind: "waitlist_offer",
      eventId,
      userId: "fan-1",
      holdId: unique("hld_"),
      expiresAt: Date.now() + 60_000,
      to,
    });
    expect(outcome).toBe("queued");
    const [message] = await waitForOutbox(to);
    expect(message.kind).toBe("waitlist_offer");
  });
});
