/**
 * Bounded dynamic pricing: a section's base price moves with demand, at most one step of at most
 * `maxStepPercent` per `everyMinutes`, never outside [floorCents, ceilingCents]. Demand compares
 * how fast the section is being taken (holds per minute, plus the queue waiting to come in)
 * with how fast it must go to sell out by the start. A hold keeps the price it was made at; a
 * step changes only what later holds pay.
 */

export interface DynamicRule {
  floorCents: number;
  ceilingCents: number;
  maxStepPercent: number;
  everyMinutes: number;
}

export interface DemandInputs {
  /** Places still on sale in the section. */
  available: number;
  capacity: number;
  /** Tickets held in the section per minute over the last period. */
  holdsPerMinute: number;
  /** Fans in the waiting room (the event's, shared by its sections). */
  queueLength: number;
  /** Minutes until the event starts (sales end). */
  minutesLeft: number;
}

/** Demand in [-1, 1]: 0 is on pace to sell out by the start, +1 four times faster, -1 four times slower (or none). */
export function demandScore(inputs: DemandInputs): number {
  const { available, capacity, holdsPerMinute, queueLength, minutesLeft } = inputs;
  if (available <= 0 || capacity <= 0) return 0;
  const needed = available / Math.max(minutesLeft, 1);
  // Fans queued now would, at most, take a place each over the next hour.
  const pace = Math.max(0, holdsPerMinute) + Math.min(Math.max(0, queueLength), available) / 60;
  if (pace === 0) return -1;
  return Math.max(-1, Math.min(1, Math.log2(pace / needed) / 2));
}

export interface PriceStep {
  fromCents: number;
  toCents: number;
  score: number;
  inputs: DemandInputs;
  at: number;
}

/** Is a step due: the first once dynamic pricing runs, then one per `everyMinutes`? */
export function stepDue(rule: DynamicRule, lastStepAt: number | undefined, now: number): boolean {
  return lastStepAt === undefined || now - lastStepAt >= rule.everyMinutes * 60_000;
}

/** Keeps a price inside the rule's bounds. */
export function clampPrice(rule: DynamicRule, cents: number): number {
  return Math.min(rule.ceilingCents, Math.max(rule.floorCents, cents));
}

/**
 * The next price: the current one moved by score × maxStepPercent of itself (at most one step),
 * then kept inside the bounds. The bounds win over the step: a price found outside them (the
 * organizer changed them) comes back inside at once.
 */
export function nextPrice(rule: DynamicRule, currentCents: number, score: number): number {
  const s = Math.max(-1, Math.min(1, score));
  const maxStep = Math.floor((currentCents * rule.maxStepPercent) / 100);
  return clampPrice(rule, currentCents + Math.round(s * maxStep));
}

/** One step if due, with what it was computed from (for the log); undefined when no step is due. */
export function priceStep(
  rule: DynamicRule,
  currentCents: number,
  lastStepAt: number | undefined,
  inputs: DemandInputs,
  now: number,
): PriceStep | undefined {
  if (!stepDue(rule, lastStepAt, now)) return undefined;
  const score = demandScore(inputs);
  return { fromCents: currentCents, toCents: nextPrice(rule, currentCents, score), score, inputs, at: now };
}
