import type { PricingSettings } from "../contract/pricing-requests";
import { minimumCharge } from "../domain/money";
import type { SectionDef } from "../domain/types";
import type { Issue } from "./errors";

/**
 * What an event's pricing can only be checked against its venue and currency: ticket-type prices
 * and dynamic bounds name its sections, and a type's price is free or at least Stripe's minimum.
 */
export function pricingIssues(sections: SectionDef[], currency: string, pricing: PricingSettings): Issue[] {
  const issues: Issue[] = [];
  const known = new Set(sections.map((s) => s.id));
  const minimum = minimumCharge(currency);
  pricing.ticketTypes?.forEach((type, i) => {
    for (const [sectionId, cents] of Object.entries(type.prices)) {
      const path = `ticketTypes.${i}.prices.${sectionId}`;
      if (sectionId !== "*" && !known.has(sectionId)) {
        issues.push({ path, message: `the venue has no section ${sectionId}` });
      } else if (cents > 0 && cents < minimum) {
        issues.push({ path, message: `must be 0 (free) or at least ${minimum} (the smallest charge in ${currency})` });
      }
    }
  });
  for (const sectionId of Object.keys(pricing.dynamic ?? {})) {
    if (!known.has(sectionId)) {
      issues.push({ path: `dynamic.${sectionId}`, message: `the venue has no section ${sectionId}` });
    }
  }
  return issues;
}
