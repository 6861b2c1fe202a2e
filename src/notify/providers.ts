import type { NotifySettings } from "../config";
import type { Database } from "../db/client";
import { randomId } from "../domain/ids";
import type { Email } from "./compose";
import { insertOutbox } from "./store";

/** Sends one email; resolves with the provider's message id, throws when it was not accepted. */
export interface EmailProvider {
  name: string;
  send(email: Email): Promise<string>;
}

/** The provider refused or failed (the queue retries it); `status` is its HTTP status, if it answered. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Local development and tests: the message is kept in D1, readable at /dev/outbox. */
export function outboxProvider(db: Database): EmailProvider {
  return {
    name: "outbox",
    async send(email) {
      const id = randomId("msg");
      await insertOutbox(db, {
        id,
        to: email.to,
        kind: email.kind,
        subject: email.subject,
        text: email.text,
        html: email.html,
        orderId: email.orderId ?? null,
        eventId: email.eventId ?? null,
        createdAt: Date.now(),
      });
      return id;
    },
  };
}

/**
 * A Resend-compatible JSON API: `POST {base}/emails` with a bearer key and an Idempotency-Key
 * (our dedupe key), answering `{"id"}`. The key never appears in errors or logs.
 */
export function resendProvider(settings: NotifySettings, fetcher: typeof fetch = fetch): EmailProvider {
  return {
    name: "resend",
    async send(email) {
      if (!settings.apiKey) throw new ProviderError("EMAIL_API_KEY is not set", undefined);
      let response: Response;
      try {
        response = await fetcher(`${settings.apiBase}/emails`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${settings.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": email.key.slice(0, 256),
          },
          body: JSON.stringify({
            from: settings.from,
            to: [email.to],
            subject: email.subject,
            text: email.text,
            html: email.html,
            tags: [{ name: "kind", value: email.kind }],
          }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new ProviderError(`provider unreachable: ${error instanceof Error ? error.name : "error"}`, undefined);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok || typeof body.id !== "string") {
        const detail = typeof body.message === "string" ? `: ${body.message.slice(0, 200)}` : "";
        throw new ProviderError(`provider answered ${response.status}${detail}`, response.status);
      }
      return body.id;
    },
  };
}

export function providerFor(settings: NotifySettings, db: Database): EmailProvider {
  return settings.provider === "resend" ? resendProvider(settings) : outboxProvider(db);
}
