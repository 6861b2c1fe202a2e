import type { User } from "../http/context";
import { eventTime } from "./format";
import { Layout } from "./layout";

export interface DoorEvent {
  eventId: string;
  title: string;
  startsAt: string;
  timezone: string;
}

/**
 * The door's page (/scan, role scanner): pick the event, point the camera at tickets. The script
 * (src/client/scan.ts) checks each code with POST /api/v1/checkin and, when the server cannot be
 * reached, verifies it here with the downloaded keys and revocations and keeps the check-in to send
 * later. The answer is one large word in a live region, so it is heard as well as seen.
 */
export function ScanPage({ user, events, eventId }: { user: User; events: DoorEvent[]; eventId?: string }) {
  return (
    <Layout title="Door" user={user} scripts={["scan.js"]} data={{ eventId: eventId ?? null }}>
      <section class="scan-head">
        <h1>Door</h1>
        <form id="scan-event-form" class="scan-event" method="get" action="/scan">
          <label for="scan-event">Event</label>
          <select id="scan-event" name="eventId" required>
            <option value="" selected={!eventId}>
              Choose the event…
            </option>
            {events.map((e) => (
              <option value={e.eventId} selected={e.eventId === eventId}>
                {`${e.title} · ${eventTime(e.startsAt, e.timezone)}`}
              </option>
            ))}
          </select>
          <button type="submit">Open</button>
        </form>
      </section>
      {eventId && (
        <section class="scan-door" aria-labelledby="scan-result-heading">
          <h2 id="scan-result-heading" class="visually-hidden">
            Last scan
          </h2>
          <div id="scan-result" class="scan-result" data-result="ready" aria-live="assertive" aria-atomic="true">
            <p class="scan-word">Ready</p>
            <p class="scan-advice">Start the camera or type a code.</p>
          </div>
          <p id="scan-counts" class="scan-counts">
            Checked in: <span id="scan-checked-in">…</span> of <span id="scan-total">…</span>
          </p>
          <div class="scan-camera">
            <video id="scan-video" aria-label="Camera view" muted playsinline />
            <button type="button" id="scan-camera-toggle" class="primary">
              Start camera
            </button>
          </div>
          <form id="scan-manual" class="scan-manual">
            <label for="scan-code">Ticket code</label>
            <input id="scan-code" name="code" autocomplete="off" autocapitalize="off" spellcheck={false} required />
            <button type="submit">Check code</button>
          </form>
          <p id="scan-sync" class="muted small" role="status" aria-live="polite">
            Downloading the keys and the revocation list…
          </p>
        </section>
      )}
    </Layout>
  );
}
