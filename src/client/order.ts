import * as z from "zod/mini";
import { api } from "./lib/api";
import { byId, pageData, say } from "./lib/dom";
import { wireQrButtons } from "./lib/qr-view";
import { OrderStatus } from "./lib/schemas";

/**
 * The order page: while the payment is being confirmed (Stripe's webhook may take a moment) it
 * checks the order every couple of seconds and shows the tickets as soon as they are issued.
 */

const Data = z.object({ orderId: z.string(), status: z.string() });
const data = pageData(Data);
const POLL_MS = 2000;
const GIVE_UP_MS = 5 * 60_000;
const started = Date.now();

async function poll(): Promise<void> {
  const result = await api("GET", `/api/v1/orders/${encodeURIComponent(data.orderId)}`, OrderStatus);
  if (result.ok && result.data.status !== "pending") {
    location.reload();
    return;
  }
  if (Date.now() - started > GIVE_UP_MS) {
    say(byId("order-note"), "This is taking longer than usual. Reload the page in a minute to see your tickets.");
    return;
  }
  setTimeout(() => void poll(), POLL_MS);
}

if (data.status === "pending") setTimeout(() => void poll(), POLL_MS);

wireQrButtons();
document.getElementById("print")?.addEventListener("click", () => print());
