/**
 * Dynamic prices as the room applies them (the rules are in pricing-dynamic.ts). The room keeps, per
 * dynamic section, the current base price and when it last stepped (`dynamicState`, part of its own
 * definition like kills, so a restart resumes where it was) and a log of every step with its inputs.
 * Holds are priced from `livePricing(config)`: the section price replaced by the current one, and
 * each ticket type's base there moved by the same ratio. A hold keeps the prices it was made at.
 */

import { clampPrice, type DemandInputs, type DynamicRule, type PriceStep, priceStep } from "./pricing-dynamic";
import type { EventPricing } from "./pricing-event";
import type { InventoryConfig } from "./types";

export interface DynamicState {
  /** The section's base price now (the first type's, or the section price). */
  cents: number;
  /** When the price was set: the first time the sale ran, then each step that changed it. */
  changedAt: number;
  lastStepAt: number;
  /** Places on sale at the last step: what went since is the period's sell-through. */
  availableAtStep: number;
}

export interface LoggedStep extends PriceStep {
  sectionId: string;
}

/** The log the room keeps (newest last); older steps drop off. */
export const PRICE_LOG_SIZE = 200;

/** A dynamic section's base price now: its state's, kept inside the (possibly edited) bounds. */
export function currentBase(config: InventoryConfig, sectionId: string): number | undefined {
  const rule = config.dynamic?.[sectionId];
  if (!rule) return undefined;
  return clampPrice(rule, config.dynamicState?.[sectionId]?.cents ?? config.prices[sectionId] ?? rule.floorCents);
}

const cache = new WeakMap<InventoryConfig, EventPricing>();

/** The pricing holds are made at: the event's, with each dynamic section at its current price. */
export function livePricing(config: InventoryConfig): EventPricing {
  if (!config.dynamic || Object.keys(config.dynamic).length === 0) return config;
  const cached = cache.get(config);
  if (cached) return cached;
  const prices = { ...config.prices };
  const ratios = new Map<string, number>();
  for (const sectionId of Object.keys(config.dynamic)) {
    const cents = currentBase(config, sectionId);
    if (cents === undefined) continue;
    const start = config.prices[sectionId];
    ratios.set(sectionId, start ? cents / start : 1);
    prices[sectionId] = cents;
  }
  const ticketTypes = config.ticketTypes?.map((type) => {
    const moved = { ...type.prices };
    for (const [sectionId, ratio] of ratios) {
      const base = type.prices[sectionId] ?? type.prices["*"];
      if (base !== undefined) moved[sectionId] = Math.round(base * ratio);
    }
    return { ...type, prices: moved };
  });
  const pricing: EventPricing = { ...config, prices, ...(ticketTypes && { ticketTypes }) };
  cache.set(config, pricing);
  return pricing;
}

/** When the next step of any dynamic section is due (the room's alarm); undefined when none runs. */
export function nextStepAt(config: InventoryConfig): number | undefined {
  let next: number | undefined;
  for (const [sectionId, rule] of Object.entries(config.dynamic ?? {})) {
    const state = config.dynamicState?.[sectionId];
    if (!state) continue;
    const due = state.lastStepAt + rule.everyMinutes * 60_000;
    next = next === undefined ? due : Math.min(next, due);
  }
  return next;
}

export interface StockFigures {
  available: number;
  capacity: number;
}

/**
 * Steps every dynamic section that is due while the sale is open: the first call of a sale starts
 * its state at the section price (kept in bounds), later ones move it by the demand of the period
 * since the last step. Returns the new states and the steps taken (none: nothing changed).
 */
export function stepSections(
  config: InventoryConfig,
  now: number,
  figures: (sectionId: string) => StockFigures | undefined,
  queueLength: number,
): { states: Record<string, DynamicState>; steps: LoggedStep[]; started: string[] } | undefined {
  const rules = config.dynamic;
  if (!rules || config.state !== "published" || now < config.onSaleAt || now >= config.salesEndAt) return undefined;
  const states: Record<string, DynamicState> = { ...config.dynamicState };
  const steps: LoggedStep[] = [];
  const started: string[] = [];
  for (const [sectionId, rule] of Object.entries(rules) as [string, DynamicRule][]) {
    const stock = figures(sectionId);
    if (!stock) continue;
    const state = states[sectionId];
    const cents = currentBase(config, sectionId)!;
    if (!state) {
      states[sectionId] = { cents, changedAt: now, lastStepAt: now, availableAtStep: stock.available };
      started.push(sectionId);
      continue;
    }
    const minutes = Math.max(1, (now - state.lastStepAt) / 60_000);
    const inputs: DemandInputs = {
      available: stock.available,
      capacity: stock.capacity,
      holdsPerMinute: Math.max(0, state.availableAtStep - stock.available) / minutes,
      queueLength,
      minutesLeft: Math.max(0, (Math.min(config.startsAt, config.salesEndAt) - now) / 60_000),
    };
    const step = priceStep(rule, cents, state.lastStepAt, inputs, now);
    if (!step) continue;
    states[sectionId] = {
      cents: step.toCents,
      changedAt: step.toCents === cents ? state.changedAt : now,
      lastStepAt: now,
      availableAtStep: stock.available,
    };
    steps.push({ ...step, sectionId });
  }
  if (steps.length === 0 && started.length === 0) return undefined;
  return { states, steps, started };
}
