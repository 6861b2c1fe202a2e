/**
 * Vouchers: codes an organizer hands out that change a base price (percent or amount off, a fixed
 * price) or unlock a ticket type sold only with a code. A use is one hold: a hold that names a
 * voucher takes one use for as long as it lives or is paid, and gives it back when it ends unpaid
 * or is refunded. Whether a use is free is the room's to count; these rules only read.
 */
import { percentOf } from "./pricing";

export type VoucherKind = "percent" | "amount" | "price" | "unlock";

export interface Voucher {
  voucherId: string;
  code: string;
  kind: VoucherKind;
  /** percent: 0–100; amount and price: minor units; unlock: unused. */
  value?: number;
  maxUses: number;
  validFrom?: number;
  validUntil?: number;
  /** Only these ticket types (all when absent). */
  ticketTypes?: string[];
  /** Only these sections (all when absent). */
  sections?: string[];
  disabled?: boolean;
}

export type VoucherReason = "unknown" | "disabled" | "not_yet_valid" | "expired" | "used_up" | "not_applicable";

/** Codes are matched without regard to case or surrounding space, as fans type them. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

/** Why a voucher may not be used now, given the uses already taken; undefined when it may. */
export function voucherRefusal(voucher: Voucher | undefined, used: number, now: number): VoucherReason | undefined {
  if (!voucher) return "unknown";
  if (voucher.disabled) return "disabled";
  if (voucher.validFrom !== undefined && now < voucher.validFrom) return "not_yet_valid";
  if (voucher.validUntil !== undefined && now >= voucher.validUntil) return "expired";
  if (used >= voucher.maxUses) return "used_up";
  return undefined;
}

/** Does the voucher apply to a ticket of this type in this section? */
export function voucherApplies(voucher: Voucher, ticketType: string, sectionId: string): boolean {
  if (voucher.ticketTypes && !voucher.ticketTypes.includes(ticketType)) return false;
  if (voucher.sections && !voucher.sections.includes(sectionId)) return false;
  return true;
}

/** A base price after the voucher: never below zero, never above the price without it. */
export function discountedBase(baseCents: number, voucher: Voucher): number {
  const value = Math.max(0, voucher.value ?? 0);
  switch (voucher.kind) {
    case "percent":
      return baseCents - Math.min(baseCents, percentOf(baseCents, Math.min(value, 100)));
    case "amount":
      return Math.max(0, baseCents - value);
    case "price":
      return Math.min(baseCents, value);
    case "unlock":
      return baseCents;
  }
}

const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * A unique presale code such as `K7P3-9QX2-M4TD`: 60 bits from `random` (crypto in production),
 * in an alphabet with no 0/O or 1/I to misread.
 */
export function generateCode(random: (bytes: number) => Uint8Array, groups = 3): string {
  const bytes = random(groups * 4);
  let code = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && i % 4 === 0) code += "-";
    code += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  }
  return code;
}
