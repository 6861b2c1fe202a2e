/**
 * What an event's organizer controls, in words and buttons: shared by the organizer page's first
 * paint (src/pages/organizer.tsx) and its live redraw (src/client/organizer.ts), so both agree.
 */

/** draft | published | paused | cancelled, as the badge says it. */
const STATE_WORDS: Record<string, string> = {
  draft: "Draft",
  published: "Published",
  paused: "Paused",
  cancelled: "Cancelled",
};

export const stateWord = (state: string): string => STATE_WORDS[state] ?? state;

export interface EventAction {
  action: "publish" | "pause" | "resume" | "cancel-ask";
  label: string;
  kind: "primary" | "secondary" | "danger";
}

/** The next step an event can take: publish a draft, pause a sale that is on, resume, or cancel. */
export function actionsFor(state: string, status: string): EventAction[] {
  const selling = status === "on_sale" || status === "sold_out";
  const actions: EventAction[] = [];
  if (state === "draft") actions.push({ action: "publish", label: "Publish", kind: "primary" });
  if (state === "published" && selling) actions.push({ action: "pause", label: "Pause sales", kind: "secondary" });
  if (state === "paused") actions.push({ action: "resume", label: "Resume sales", kind: "primary" });
  if (state !== "cancelled") actions.push({ action: "cancel-ask", label: "Cancel event…", kind: "danger" });
  return actions;
}
