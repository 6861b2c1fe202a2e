import type { User } from "../http/context";
import { Layout } from "./layout";

/** The dialog that shows one ticket's QR code as large as the screen allows (order and tickets pages). */
export function QrDialog() {
  return (
    <dialog id="qr-dialog" class="qr-dialog" aria-labelledby="qr-dialog-title">
      <h2 id="qr-dialog-title">Ticket</h2>
      <img id="qr-dialog-image" alt="" />
      <p class="muted small">Turn your screen brightness up for the scanner.</p>
      <button type="button" id="qr-dialog-close" class="primary">
        Close
      </button>
    </dialog>
  );
}

/**
 * The signed-in fan's orders and tickets. The script (src/client/tickets.ts) fills it from
 * GET /api/v1/me/tickets and /me/orders, so it shows exactly what the API says (transferred and
 * refunded tickets marked).
 */
export function TicketsPage({ user }: { user: User }) {
  return (
    <Layout title="My tickets" user={user} scripts={["tickets.js"]}>
      <section class="order-head">
        <h1>My tickets</h1>
        <p id="tickets-status" role="status" aria-live="polite">
          Loading your tickets…
        </p>
      </section>
      <section aria-labelledby="my-tickets-heading">
        <h2 id="my-tickets-heading">Tickets</h2>
        <ul id="my-tickets" class="tickets" />
      </section>
      <section aria-labelledby="my-orders-heading" class="my-orders">
        <h2 id="my-orders-heading">Orders</h2>
        <ul id="my-orders" class="orders" />
      </section>
      <QrDialog />
    </Layout>
  );
}
