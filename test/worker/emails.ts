import { env } from "cloudflare:workers";
import { z } from "zod";
import { json } from "./helpers";

/** What test/email-server.ts accepted (its AcceptedEmail), as `GET /__emails` lists it. */
export const AcceptedEmails = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      from: z.string(),
      to: z.array(z.string()),
      subject: z.string(),
      text: z.string(),
      html: z.string(),
      idempotencyKey: z.string().optional(),
    }),
  ),
});
export type AcceptedEmail = z.output<typeof AcceptedEmails>["data"][number];

/** The emails the Resend-compatible test server accepted for `to`, oldest first. */
export async function emailsTo(to: string): Promise<AcceptedEmail[]> {
  return (await json(await fetch(`${env.EMAIL_API_BASE}/__emails?to=${encodeURIComponent(to)}`), AcceptedEmails)).data;
}
