import { refuse } from "./refusals";
import { ok, type Result } from "./result";
import type { InventoryConfig } from "./types";

/** Whether the event sells right now, and to whom: the public, presale code holders, or nobody. */
export function checkSalesWindow(config: InventoryConfig, now: number, presaleCode: string | undefined): Result<void> {
  switch (config.state) {
    case "draft":
      return refuse.notOnSaleYet();
    case "paused":
      return refuse.paused();
    case "cancelled":
      return refuse.cancelled();
    case "published":
      break;
  }
  if (now >= config.salesEndAt) return refuse.closed();
  if (now >= config.onSaleAt) return ok(undefined);

  const open = config.presales.filter((p) => p.startsAt <= now && now < p.endsAt);
  if (open.length === 0) return refuse.notOnSaleYet(config.onSaleAt);
  const code = presaleCode?.trim().toLowerCase();
  if (code && open.some((p) => p.code.toLowerCase() === code)) return ok(undefined);
  return refuse.presaleCode(Boolean(code), open);
}
