import { fail, ok, type Result } from "./result";
import type { InventoryConfig } from "./types";

/** Whether the event sells right now, and to whom: the public, presale code holders, or nobody. */
export function checkSalesWindow(config: InventoryConfig, now: number, presaleCode: string | undefined): Result<void> {
  switch (config.state) {
    case "draft":
      return fail("NOT_ON_SALE", "This event is not on sale yet.");
    case "paused":
      return fail("NOT_ON_SALE", "Sales for this event are paused.");
    case "cancelled":
      return fail("NOT_ON_SALE", "This event was cancelled.");
    case "published":
      break;
  }
  if (now >= config.salesEndAt) return fail("NOT_ON_SALE", "Sales for this event have closed.");
  if (now >= config.onSaleAt) return ok(undefined);

  const open = config.presales.filter((p) => p.startsAt <= now && now < p.endsAt);
  if (open.length === 0) {
    return fail("NOT_ON_SALE", "This event is not on sale yet.", {
      onSaleAt: new Date(config.onSaleAt).toISOString(),
    });
  }
  const code = presaleCode?.trim().toLowerCase();
  if (code && open.some((p) => p.code.toLowerCase() === code)) return ok(undefined);
  return fail(
    "PRESALE_CODE_REQUIRED",
    code ? "That presale code is not valid now." : "A presale code is required right now.",
    { presales: open.map((p) => ({ name: p.name, endsAt: new Date(p.endsAt).toISOString() })) },
  );
}
