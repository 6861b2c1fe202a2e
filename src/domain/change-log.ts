import type { SeatChange, SectionChange, Step } from "./types";

/**
 * The last `capacity` steps, for clients that resume after a gap. Versions are contiguous: the log
 * answers "everything after n" exactly, or says it no longer can.
 */
export class ChangeLog {
  private steps: Step[] = [];

  constructor(private readonly capacity = 2000) {}

  append(steps: readonly Step[]): void {
    for (const step of steps) this.steps.push(step);
    if (this.steps.length > this.capacity) this.steps.splice(0, this.steps.length - this.capacity);
  }

  /** The steps after `version`, oldest first; undefined when some of them are no longer kept. */
  since(version: number, current: number): Step[] | undefined {
    if (version === current) return [];
    if (version > current) return undefined;
    const first = this.steps[0];
    if (!first || first.version > version + 1) return undefined;
    return this.steps.slice(version + 1 - first.version);
  }
}

/** Merges consecutive steps into one change set: the last status of each seat and section wins. */
export function mergeSteps(steps: readonly Step[]): {
  from: number;
  version: number;
  seats: SeatChange[];
  sections: SectionChange[];
} {
  const seats = new Map<string, SeatChange>();
  const sections = new Map<string, SectionChange>();
  for (const step of steps) {
    for (const change of step.seats) {
      seats.delete(change.id);
      seats.set(change.id, change);
    }
    for (const change of step.sections) sections.set(change.id, change);
  }
  return {
    from: steps[0]?.version ?? 0,
    version: steps[steps.length - 1]?.version ?? 0,
    seats: [...seats.values()],
    sections: [...sections.values()],
  };
}
