import * as z from "zod/mini";
import { salesChart } from "../pages/chart";
import { sectionRows, statItems } from "../pages/dashboard-numbers";
import { clockTime } from "../pages/format";
import { actionsFor, stateWord } from "../pages/organizer-actions";
import { api } from "./lib/api";
import { el, pageData, say, svgEl } from "./lib/dom";
import { wireForms } from "./lib/organizer-forms";
import { AdminEvent, type Stats, Stats as StatsSchema } from "./lib/schemas";

/**
 * The organizer dashboard: every few seconds each event's numbers (GET .../stats) and its sales
 * chart are redrawn; publish, pause, resume and cancel go through PATCH /api/v1/admin/events/:id;
 * creating an event and refunds are in src/client/lib/organizer-forms.ts.
 */

const Data = z.object({
  eventIds: z.array(z.string()),
  pollSeconds: z.number(),
});
const data = pageData(Data);

const select = (selector: string) => document.querySelector<HTMLElement>(selector);
const attr = (name: string, value: string) => `[${name}="${CSS.escape(value)}"]`;

function setStat(eventId: string, name: string, value: string): void {
  const target = select(`${attr("data-stats-for", eventId)} ${attr("data-stat", name)}`);
  if (target && target.textContent !== value) target.textContent = value;
}

function drawChart(stats: Stats, now: number): SVGSVGElement {
  const { g, label } = salesChart(stats, now);
  const text = (x: number, y: number, content: string, anchor = "start") =>
    svgEl("text", { class: "tick", x, y, "text-anchor": anchor }, content);
  return svgEl(
    "svg",
    {
      class: "chart",
      "data-chart": "",
      "data-total": g.total,
      viewBox: `0 0 ${g.width} ${g.height}`,
      width: g.width,
      height: g.height,
      role: "img",
      "aria-label": label,
    },
    svgEl("line", { class: "axis", x1: g.plot.left, y1: g.plot.bottom, x2: g.plot.right, y2: g.plot.bottom }),
    svgEl("line", { class: "axis", x1: g.plot.left, y1: g.plot.top, x2: g.plot.left, y2: g.plot.bottom }),
    ...g.yTicks.map((t) => text(g.plot.left - 6, t.y + 4, String(t.value), "end")),
    ...g.xTicks.map((t, i) =>
      text(
        t.x,
        g.height - 10,
        clockTime(t.at, undefined, g.tickSeconds),
        i === 0 ? "start" : i === 3 ? "end" : "middle",
      ),
    ),
    ...g.bars.map((b) =>
      svgEl(
        "rect",
        { class: "bar", "data-point": "", x: b.x, y: b.y, width: b.width, height: b.height },
        svgEl("title", {}, `${clockTime(b.at)}: ${b.tickets} tickets`),
      ),
    ),
    svgEl("path", { class: "running", d: g.line }),
  );
}

function showStats(stats: Stats): void {
  const id = stats.eventId;
  for (const item of statItems(stats)) setStat(id, item.name, item.value);
  const table = select(attr("data-sections-for", id));
  for (const row of table ? sectionRows(stats) : []) {
    for (const cell of row.cells) {
      const target = table?.querySelector(`${attr("data-section", row.sectionId)} ${attr("data-col", cell.key)}`);
      if (target && target.textContent !== cell.value) target.textContent = cell.value;
    }
  }
  select(attr("data-chart-for", id))?.replaceChildren(drawChart(stats, Date.now()));
}

function showState(eventId: string, state: string, status: string): void {
  const badge = select(attr("data-org-state", eventId));
  if (badge) {
    badge.dataset.state = state;
    badge.textContent = stateWord(state);
  }
  select(attr("data-actions-for", eventId))?.replaceChildren(
    ...actionsFor(state, status).map((next) =>
      el(
        "button",
        { type: "button", class: next.kind, "data-action": next.action, "data-event-id": eventId },
        next.label,
      ),
    ),
  );
}

/** "Cancel event…" asks first: the buttons become "Yes, cancel" and "Keep it", and focus goes to the first. */
function askCancel(eventId: string): void {
  const box = select(attr("data-actions-for", eventId));
  box?.replaceChildren(
    el("span", { class: "ask" }, "Cancel this event? Every buyer is refunded in full."),
    el(
      "button",
      { type: "button", class: "danger", "data-action": "cancel", "data-event-id": eventId },
      "Yes, cancel the event",
    ),
    el("button", { type: "button", class: "secondary", "data-action": "keep", "data-event-id": eventId }, "Keep it"),
  );
  box?.querySelector<HTMLButtonElement>("button")?.focus();
}

/** The organizer's state from the public view the PATCH answers with. */
function stateOf(event: z.infer<typeof AdminEvent>): string {
  if (event.published === false) return "draft";
  if (event.status === "paused" || event.status === "cancelled") return event.status;
  return "published";
}

async function act(button: HTMLButtonElement): Promise<void> {
  const eventId = button.dataset.eventId!;
  const action = button.dataset.action!;
  const message = select(attr("data-message-for", eventId));
  if (action === "cancel-ask") return askCancel(eventId);
  if (action === "keep") {
    await refreshState(eventId);
    select(attr("data-actions-for", eventId))?.querySelector<HTMLButtonElement>("button")?.focus();
    return;
  }
  button.disabled = true;
  const result = await api("PATCH", `/api/v1/admin/events/${encodeURIComponent(eventId)}`, AdminEvent, {
    body: { action },
  });
  if (!result.ok) {
    button.disabled = false;
    if (message) {
      say(message, result.message, "error");
      message.focus();
    }
    return;
  }
  const state = stateOf(result.data);
  showState(eventId, state, result.data.status);
  if (message) say(message, `${stateWord(state)}.`, "success");
  // Focus goes to the next thing to do with this event, or to the message when there is none.
  const next = select(attr("data-actions-for", eventId))?.querySelector<HTMLButtonElement>("button");
  if (next) next.focus();
  else message?.focus();
  void refresh(eventId);
}

async function refreshState(eventId: string): Promise<void> {
  const result = await api("GET", `/api/v1/admin/events/${encodeURIComponent(eventId)}`, AdminEvent);
  if (result.ok) showState(eventId, stateOf(result.data), result.data.status);
}

async function refresh(eventId: string): Promise<void> {
  const result = await api("GET", `/api/v1/admin/events/${encodeURIComponent(eventId)}/stats`, StatsSchema);
  if (result.ok) showStats(result.data);
}

async function pollAll(): Promise<void> {
  await Promise.all(data.eventIds.map((id) => refresh(id)));
  const updated = document.getElementById("org-updated");
  if (updated) updated.textContent = `Updated ${clockTime(Date.now())}.`;
  setTimeout(() => void pollAll(), data.pollSeconds * 1000);
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLButtonElement && target.dataset.action && target.dataset.eventId) void act(target);
});
wireForms();

setTimeout(() => void pollAll(), data.pollSeconds * 1000);
