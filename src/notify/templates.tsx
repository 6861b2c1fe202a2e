import type { Child } from "hono/jsx";

/**
 * Notification templates: every message as plain text and as HTML, the HTML rendered with the
 * same Hono JSX as the pages (escaped by construction). Pure: the composer hands in what to say.
 */

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export interface TicketLine {
  ticketId: string;
  label: string;
  qrUrl: string;
  /** The ticket link (`/t/:ticketId?k=`): opens the QR without signing in. */
  linkUrl?: string | undefined;
}

export type TemplateData =
  | {
      kind: "order_confirmed";
      event: string;
      when: string;
      orderUrl: string;
      orderNumber: string;
      receiptUrl: string;
      /** What the all-in total includes ("fees €5.00 and tax €6.60"), when anything. */
      included?: string | undefined;
      total: string;
      tickets: TicketLine[];
    }
  | { kind: "order_refunded"; event: string; orderUrl: string; amount: string; refundedTotal: string; full: boolean }
  | { kind: "payment_failed"; event: string; retryUrl: string; until: string | null; reason: string | null }
  | { kind: "event_cancelled"; event: string; when: string; refund: string | null; orderUrl: string | null }
  | { kind: "waitlist_offer"; event: string; claimUrl: string; until: string; what: string; total: string | null }
  | {
      kind: "ticket_transferred";
      event: string;
      when: string;
      ticketLabel: string;
      ticketsUrl: string;
      qrUrl: string;
      linkUrl?: string | undefined;
    }
  | { kind: "sign_in_link"; url: string; minutes: number }
  | { kind: "alert"; rule: string; summary: string; url: string };

const STYLE = "font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px";

function Mail({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body style={STYLE}>
        <h1 style="font-size:20px">{title}</h1>
        {children}
        <p style="color:#666;font-size:12px">Edge Tickets</p>
      </body>
    </html>
  );
}

const Button = ({ href, children }: { href: string; children?: Child }) => (
  <p>
    <a href={href} style="display:inline-block;padding:8px 16px;background:#1a56db;color:#fff;text-decoration:none">
      {children}
    </a>
  </p>
);

const html = (node: unknown): string => `<!doctype html>${String(node)}`;

/** A mail that says one sentence and offers one link: a button in HTML, "Label: URL" in text. */
function sentenceMail(
  subject: string,
  sentence: string,
  link: { text: string; button: string; url: string } | undefined,
): Rendered {
  return {
    subject,
    text: [sentence, ...(link ? ["", `${link.text}: ${link.url}`] : [])].join("\n"),
    html: html(
      <Mail title={subject}>
        <p>{sentence}</p>
        {link ? <Button href={link.url}>{link.button}</Button> : null}
      </Mail>,
    ),
  };
}

export function render(data: TemplateData): Rendered {
  switch (data.kind) {
    case "alert":
      return sentenceMail(`Alert: ${data.rule}`, data.summary, {
        text: "The organizer page",
        button: "Open",
        url: data.url,
      });
    case "sign_in_link":
      return sentenceMail(
        "Your sign-in link",
        `Use this link within ${data.minutes} minutes to sign in to Edge Tickets. It works once. If you did not ask for it, ignore this mail.`,
        { text: "Sign in", button: "Sign in", url: data.url },
      );
    case "order_confirmed": {
      const subject = `Your tickets for ${data.event}`;
      const total = data.included ? `${data.total} (includes ${data.included})` : data.total;
      const lines = data.tickets.map((t) =>
        t.linkUrl ? `- ${t.label}: ${t.linkUrl} (signed in: ${t.qrUrl})` : `- ${t.label}: ${t.qrUrl}`,
      );
      return {
        subject,
        text: [
          `Your order ${data.orderNumber} for ${data.event} (${data.when}) is confirmed. Total: ${total}.`,
          "",
          `Your order: ${data.orderUrl}`,
          `Receipt: ${data.receiptUrl}`,
          "",
          "Tickets (show the QR code at the door):",
          ...lines,
        ].join("\n"),
        html: html(
          <Mail title={subject}>
            <p>
              Your order <strong>{data.orderNumber}</strong> for <strong>{data.event}</strong> ({data.when}) is
              confirmed. Total: {total}.
            </p>
            <Button href={data.orderUrl}>View your order</Button>
            <p>
              <a href={data.receiptUrl}>Receipt</a>
            </p>
            <ul>
              {data.tickets.map((t) => (
                <li data-ticket-id={t.ticketId}>
                  {t.label}: <a href={t.linkUrl ?? t.qrUrl}>{t.linkUrl ? "Open ticket" : "QR code"}</a>
                </li>
              ))}
            </ul>
          </Mail>,
        ),
      };
    }
    case "order_refunded": {
      const subject = data.full ? `Refund for ${data.event}` : `Partial refund for ${data.event}`;
      const sentence = data.full
        ? `Your order for ${data.event} was refunded in full: ${data.amount}. Its tickets are no longer valid.`
        : `${data.amount} of your order for ${data.event} was refunded (${data.refundedTotal} refunded in all).`;
      return sentenceMail(subject, sentence, { text: "Your order", button: "View your order", url: data.orderUrl });
    }
    case "payment_failed": {
      const subject = `Your payment for ${data.event} did not go through`;
      const sentence = `Your card was declined${data.reason ? ` (${data.reason})` : ""}. Your seats are still held${
        data.until ? ` until ${data.until}` : ""
      }: you can try again.`;
      return sentenceMail(subject, sentence, { text: "Try again", button: "Try again", url: data.retryUrl });
    }
    case "event_cancelled": {
      const subject = `${data.event} is cancelled`;
      const sentence = `We are sorry: ${data.event} (${data.when}) is cancelled.${
        data.refund ? ` Your order is refunded in full: ${data.refund}.` : ""
      }`;
      const link = data.orderUrl ? { text: "Your order", button: "View your order", url: data.orderUrl } : undefined;
      return sentenceMail(subject, sentence, link);
    }
    case "waitlist_offer": {
      const subject = `Tickets for ${data.event} are waiting for you`;
      const sentence = `Seats came back for ${data.event} and you are next in line: ${data.what}${
        data.total ? ` for ${data.total}` : ""
      } are held for you until ${data.until}.`;
      return sentenceMail(subject, sentence, { text: "Claim them", button: "Claim your tickets", url: data.claimUrl });
    }
    case "ticket_transferred": {
      const subject = `You have a ticket for ${data.event}`;
      const sentence = `A ticket for ${data.event} (${data.when}) was transferred to you: ${data.ticketLabel}.`;
      return {
        subject,
        text: [
          sentence,
          "",
          `Your tickets: ${data.ticketsUrl}`,
          ...(data.linkUrl ? [`Open ticket: ${data.linkUrl}`] : []),
          `QR code: ${data.qrUrl}`,
        ].join("\n"),
        html: html(
          <Mail title={subject}>
            <p>{sentence}</p>
            <Button href={data.ticketsUrl}>Your tickets</Button>
            <p>
              <a href={data.linkUrl ?? data.qrUrl}>{data.linkUrl ? "Open ticket" : "QR code"}</a>
            </p>
          </Mail>,
        ),
      };
    }
  }
}
