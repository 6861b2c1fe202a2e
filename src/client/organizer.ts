import * as z from "zod/mini";
import { chartGeometry } from "../pages/chart";
import { clockTime, money } from "../pages/format";
import { api } from "./lib/api";
import { el, pageData, say, svgEl } from "./lib/dom";
import { AdminEvent, type Stats, Stats as StatsSchema } from "./lib/schemas";

/**
 * The organizer dashboard: every few seconds each event's numbers (GET .../stats) and its sales
 * chart are redrawn; publish, pause and resume go through PATCH /api/v1/admin/events/:id.
 */

const Data = z.object({
  eventIds: z.array(z.string()),
  pollSeconds: z.number(),
});
const data = pageData(Data);

const STATE_WORDS: Record<string, string> = {
  draft: "Draft",
  published: "Published",
  paused: "Paused",
  cancelled: "Cancelled",
};
const ACTIONS: Record<string, { action: string; label: string; kind: string } | undefined> = {
  draft: { action: "publish", label: "Publish", kind: "primary" },
  published: { action: "pause", label: "Pause sales", kind: "secondary" },
  paused: { action: "resume", label: "Resume sales", kind: "primary" },
};

const select = (selector: string) => document.querySelector<HTMLElement>(selector);
const attr = (name: string, value: string) => `[${name}="${CSS.escape(value)}"]`;

function setStat(eventId: string, name: string, value: string): void {
  const target = select(`${attr("data-stats-for", eventId)} ${attr("data-stat", name)}`);
  if (target && target.textContent !== value) target.textContent = value;
}

function drawChart(stats: Stats, now: number): SVGSVGElement {
  const points = stats.sales.points.map((p) => ({ ...p, at: Date.parse(p.at) }));
  const g = chartGeometry(points, stats.sales.bucketSeconds * 1000, now);
  const label =
    g.total === 0
      ? "Sales over time: no tickets sold yet."
      : `Sales over time: ${g.total} tickets, ${money(g.revenueCents, stats.currency)}, from ${clockTime(g.from)} to ${clockTime(g.to)}.`;
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
    text(g.plot.left - 6, g.plot.top + 4, String(g.yMax), "end"),
    text(g.plot.left - 6, g.plot.bottom, "0", "end"),
    text(g.plot.left, g.height - 6, clockTime(g.from)),
    text(g.plot.right, g.height - 6, clockTime(g.to), "end"),
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
  setStat(id, "sold", String(stats.sold));
  setStat(id, "held", String(stats.held));
  setStat(id, "available", String(stats.available));
  setStat(id, "revenue", money(stats.revenueCents, stats.currency));
  const queueOff = stats.queue.mode === "off";
  setStat(id, "queue", queueOff ? "off" : String(stats.queueLength));
  setStat(id, "admission", queueOff ? "—" : `${stats.queue.admittedLastMinute} (max ${stats.queue.admitPerMinute})`);
  select(attr("data-chart-for", id))?.replaceChildren(drawChart(stats, Date.now()));
}

function showState(eventId: string, state: string): void {
  const badge = select(attr("data-org-state", eventId));
  if (badge) {
    badge.dataset.state = state;
    badge.textContent = STATE_WORDS[state] ?? state;
  }
  const actions = select(attr("data-actions-for", eventId));
  const next = ACTIONS[state];
  actions?.replaceChildren(
    ...(next
      ? [
          el(
            "button",
            { type: "button", class: next.kind, "data-action": next.action, "data-event-id": eventId },
            next.label,
          ),
        ]
      : []),
  );
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
  button.disabled = true;
  const result = await api("PATCH", `/api/v1/admin/events/${encodeURIComponent(eventId)}`, AdminEvent, {
    body: { action },
  });
  if (!result.ok) {
    button.disabled = false;
    if (message) say(message, result.message, "error");
    return;
  }
  const state = stateOf(result.data);
  showState(eventId, state);
  if (message) say(message, `${STATE_WORDS[state] ?? state}.`, "success");
  void refresh(eventId);
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

setTimeout(() => void pollAll(), data.pollSeconds * 1000);
