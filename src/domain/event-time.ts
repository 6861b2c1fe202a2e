/**
 * How a ticket says when its event is: the pages (src/pages/format.ts) and the emails
 * (src/notify/compose.ts) both say it so. It lives in the domain, the lowest layer, because
 * notify may not import the pages.
 */

/**
 * "Sat 14 Jun 2027, 19:30" in the venue's time zone; with `zoneName`, "Sat 14 Jun 2027, 19:30 CEST"
 * (an email is read away from the page, where the venue's city is not beside it).
 */
export function eventTime(at: string | number, timeZone?: string, { zoneName = false } = {}): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    ...(zoneName && { timeZoneName: "short" }),
  }).format(new Date(at));
}
