import { money, waitlistText } from "./format";

/**
 * What the organizer's dashboard shows of an event's stats, as text: drawn by the page
 * (src/pages/organizer.tsx) and redrawn by its poll (src/client/organizer.ts) from the same
 * function, so the two cannot disagree. No platform imports (the browser bundle uses it).
 */

export interface DashboardSection {
  sectionId: string;
  name: string;
  capacity: number;
  available: number;
  held: number;
  sold: number;
}

/** The fields of `GET /admin/events/:eventId/stats` the dashboard reads. */
export interface DashboardNumbers {
  sold: number;
  held: number;
  available: number;
  revenueCents: number;
  currency: string;
  holdsExpired: number;
  holdsLastMinute: number;
  conversion: number;
  queueLength: number;
  queue: { mode: string; admitPerMinute: number; admittedLastMinute: number };
  waitlist: { waiting: number; lengths: Record<string, number> };
  notifications: { sent: number; deadLettered: number };
  payments: { succeeded: number; failed: number };
  sections: DashboardSection[];
}

export interface StatItem {
  name: string;
  label: string;
  value: string;
}

export const percent = (share: number): string => `${Math.round(share * 100)}%`;

const NONE = "—";

/** The dashboard's tiles in order; every value a dash until the room has answered. */
export function statItems(s: DashboardNumbers | undefined): StatItem[] {
  const queueOff = s?.queue.mode === "off";
  const items: [name: string, label: string, value: (s: DashboardNumbers) => string][] = [
    ["sold", "Sold", (s) => String(s.sold)],
    ["held", "Held now", (s) => String(s.held)],
    ["available", "Available", (s) => String(s.available)],
    ["revenue", "Revenue", (s) => money(s.revenueCents, s.currency)],
    ["holds-per-minute", "Holds / min", (s) => String(s.holdsLastMinute)],
    ["conversion", "Holds bought", (s) => percent(s.conversion)],
    ["expired", "Holds expired", (s) => String(s.holdsExpired)],
    [
      "payment-failures",
      "Payments declined",
      (s) => `${s.payments.failed} of ${s.payments.succeeded + s.payments.failed}`,
    ],
    ["queue", "In the queue", (s) => (queueOff ? "off" : String(s.queueLength))],
    [
      "admission",
      "Admitted / min",
      (s) => (queueOff ? NONE : `${s.queue.admittedLastMinute} (max ${s.queue.admitPerMinute})`),
    ],
    ["waitlist", "Waitlist", (s) => waitlistText(s.waitlist)],
    ["notifications", "Notices sent / failed", (s) => `${s.notifications.sent} / ${s.notifications.deadLettered}`],
  ];
  return items.map(([name, label, value]) => ({ name, label, value: s ? value(s) : NONE }));
}

export const SECTION_COLUMNS = [
  ["sold", "Sold"],
  ["held", "Held"],
  ["available", "Left"],
  ["capacity", "Capacity"],
] as const;

/** One row per section: its name and the four counts, as text. */
export function sectionRows(s: DashboardNumbers) {
  return s.sections.map((section) => ({
    sectionId: section.sectionId,
    name: section.name,
    cells: SECTION_COLUMNS.map(([key]) => ({ key, value: String(section[key]) })),
  }));
}
