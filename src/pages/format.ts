/**
 * How pages say money, times and seats: shared by the server-rendered pages and the browser
 * modules (src/client), so that a seat's accessible name is the same before and after a live update.
 */

import { minorDigits } from "../domain/money";
import type { Breakdown } from "../domain/pricing";

export { eventTime } from "../domain/event-time";

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, fractionDigits: number): Intl.NumberFormat {
  const key = `${currency}:${fractionDigits}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en", {
      style: "currency",
      currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    moneyFormats.set(key, format);
  }
  return format;
}

/** "€50.00", "¥5,000"; with `short`, whole amounts drop the cents ("€50", but "€49.50"). */
export function money(cents: number, currency: string, { short = false }: { short?: boolean } = {}): string {
  const exponent = minorDigits(currency);
  const unit = 10 ** exponent;
  const digits = short && cents % unit === 0 ? 0 : exponent;
  return moneyFormat(currency, digits).format(cents / unit);
}

/** "14:05" (or "14:05:30" with `seconds`) in the reader's (or the given) time zone, for chart axes. */
export function clockTime(ms: number, timeZone?: string, seconds = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds && { second: "2-digit" }),
    timeZone,
  }).format(new Date(ms));
}

/** "9:05" for 545 seconds; "1:02:03" past an hour. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** "about 3 minutes", "less than a minute", "about 1 hour 10 minutes". */
export function roughDuration(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} hour${h === 1 ? "" : "s"}${m ? ` ${m} minute${m === 1 ? "" : "s"}` : ""}`;
}

export type SeatStatus = "available" | "held" | "sold" | "blocked";

export const STATUS_WORDS: Record<SeatStatus, string> = {
  available: "available",
  held: "held",
  sold: "sold",
  blocked: "not for sale",
};

/** A seat's accessible name: "Section A, row 1, seat 7, €50, available". */
export function seatLabel(
  section: string,
  row: string,
  number: number,
  priceCents: number,
  currency: string,
  status: SeatStatus,
): string {
  return `${section}, row ${row}, seat ${number}, ${money(priceCents, currency, { short: true })}, ${STATUS_WORDS[status]}`;
}

/** "Section A, row 1, seat 7" from a seat id `A-1-7` and the section's name. */
export function seatName(seatId: string, sectionName?: string): string {
  const [section, row, number] = seatId.split("-");
  if (!row || !number) return seatId;
  return `${sectionName ?? `Section ${section}`}, row ${row}, seat ${number}`;
}

/** "12 (A 8, FLOOR 4)": fans waiting, per section (`*` = any section). */
export function waitlistText(waitlist: { waiting: number; lengths: Record<string, number> }): string {
  const lines = Object.entries(waitlist.lengths).filter(([, n]) => n > 0);
  const detail = lines.map(([line, n]) => `${line === "*" ? "any" : line} ${n}`).join(", ");
  return lines.length > 1 ? `${waitlist.waiting} (${detail})` : String(waitlist.waiting);
}

/** "€40.00 + €2.50 fees + €8.08 VAT": what an all-in price is made of (no part that is zero). */
export function breakdownText(unit: { breakdown: Breakdown }, currency: string, taxName: string | null): string {
  const { baseCents, feesCents, taxCents } = unit.breakdown;
  return [
    money(baseCents, currency),
    ...(feesCents > 0 ? [`${money(feesCents, currency)} fees`] : []),
    ...(taxCents > 0 ? [`${money(taxCents, currency)} ${taxName ?? "tax"}`] : []),
  ].join(" + ");
}
