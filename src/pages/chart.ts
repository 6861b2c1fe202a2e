/**
 * The organizer's sales chart as plain geometry: bars of tickets sold per time bucket and a line
 * of the running total. Pure, so that the server's first paint (JSX) and the browser's live
 * redraw (src/client/organizer.ts) draw the same thing.
 */
import { clockTime, money } from "./format";

export interface SalesPoint {
  at: number;
  tickets: number;
  revenueCents: number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: { x: number; y: number; width: number; height: number; at: number; tickets: number }[];
  /** SVG path of the running total, scaled to the same axis as the bars' maximum total. */
  line: string;
  yMax: number;
  /** Labelled times along the x axis (at least the start and now), and values up the y axis. */
  xTicks: { x: number; at: number }[];
  /** The span is short enough that minutes alone would repeat: ticks show seconds. */
  tickSeconds: boolean;
  yTicks: { y: number; value: number }[];
  total: number;
  revenueCents: number;
  from: number;
  to: number;
}

export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 180;

export function chartGeometry(points: SalesPoint[], bucketMs: number, now: number): ChartGeometry {
  const plot = { left: 44, top: 12, right: CHART_WIDTH - 24, bottom: CHART_HEIGHT - 28 };
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const total = sorted.reduce((n, p) => n + p.tickets, 0);
  const revenueCents = sorted.reduce((n, p) => n + p.revenueCents, 0);
  const from = sorted[0] ? sorted[0].at - (sorted[0].at % bucketMs) : now - bucketMs;
  const to = Math.max(now, from + bucketMs);
  const slots = Math.max(1, Math.ceil((to - from) / bucketMs));
  const slot = (plot.right - plot.left) / slots;
  // One bar per slot, whatever buckets the points came in.
  const perSlot = new Map<number, { at: number; tickets: number }>();
  for (const p of sorted) {
    const index = Math.min(slots - 1, Math.max(0, Math.floor((p.at - from) / bucketMs)));
    const known = perSlot.get(index);
    perSlot.set(index, { at: from + index * bucketMs, tickets: (known?.tickets ?? 0) + p.tickets });
  }
  const yMax = Math.max(1, total);
  const y = (value: number) => plot.bottom - (value / yMax) * (plot.bottom - plot.top);
  const bars = [...perSlot].map(([index, p]) => {
    const top = y(p.tickets);
    return {
      x: round(plot.left + index * slot + slot * 0.15),
      y: round(top),
      width: round(Math.max(1, slot * 0.7)),
      height: round(plot.bottom - top),
      at: p.at,
      tickets: p.tickets,
    };
  });
  let running = 0;
  const steps = [`M${plot.left} ${plot.bottom}`];
  for (const [index, p] of perSlot) {
    const x = round(plot.left + index * slot);
    steps.push(`L${x} ${round(y(running))}`);
    running += p.tickets;
    steps.push(`L${round(x + slot)} ${round(y(running))}`);
  }
  steps.push(`L${plot.right} ${round(y(running))}`);
  const xAt = (t: number) => round(plot.left + ((t - from) / Math.max(1, to - from)) * (plot.right - plot.left));
  const xTicks = [0, 1, 2, 3].map((i) => {
    const at = from + ((to - from) * i) / 3;
    return { x: xAt(at), at };
  });
  const yTicks = [...new Set([0, Math.round(yMax / 2), yMax])].map((value) => ({ y: round(y(value)), value }));
  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    plot,
    bars,
    line: steps.join(" "),
    yMax,
    xTicks,
    tickSeconds: to - from < 4 * 60_000,
    yTicks,
    total,
    revenueCents,
    from,
    to,
  };
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** An event's sales as its stats give them (GET /api/v1/admin/events/:id/stats). */
export interface SalesStats {
  currency: string;
  sales: { bucketSeconds: number; points: { at: string; tickets: number; revenueCents: number }[] };
}

/** The chart of an event's sales up to `now`, and the sentence a screen reader hears for it. */
export function salesChart(stats: SalesStats, now: number): { g: ChartGeometry; label: string } {
  const points = stats.sales.points.map((p) => ({ ...p, at: Date.parse(p.at) }));
  const g = chartGeometry(points, stats.sales.bucketSeconds * 1000, now);
  const label =
    g.total === 0
      ? "Sales over time: no tickets sold yet."
      : `Sales over time: ${g.total} tickets, ${money(g.revenueCents, stats.currency)}, from ${clockTime(g.from)} to ${clockTime(g.to)}.`;
  return { g, label };
}
