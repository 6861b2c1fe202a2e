import type { HistogramSnapshot } from "../../domain/histogram";

/**
 * The Prometheus text exposition format (version 0.0.4): one HELP and TYPE per family, then its
 * samples; label values escaped; histograms as cumulative `_bucket{le}` with `+Inf`, `_sum`, `_count`.
 */
export type Labels = Record<string, string>;

interface Family {
  type: "counter" | "gauge" | "histogram";
  help: string;
  lines: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const escapeValue = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(",")}}`;
}

const numberText = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN");

export class Exposition {
  private readonly families = new Map<string, Family>();

  private family(name: string, type: Family["type"], help: string): Family {
    if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
    let family = this.families.get(name);
    if (!family) {
      family = { type, help, lines: [] };
      this.families.set(name, family);
    }
    return family;
  }

  /** A counter: `name` ends in `_total`. */
  counter(name: string, help: string, value: number, labels: Labels = {}): this {
    this.family(name, "counter", help).lines.push(`${name}${labelText(labels)} ${numberText(value)}`);
    return this;
  }

  gauge(name: string, help: string, value: number, labels: Labels = {}): this {
    this.family(name, "gauge", help).lines.push(`${name}${labelText(labels)} ${numberText(value)}`);
    return this;
  }

  /** Declares a family with no samples yet (so that HELP and TYPE are there before the first one). */
  declare(name: string, type: Family["type"], help: string): this {
    this.family(name, type, help);
    return this;
  }

  histogram(name: string, help: string, snapshot: HistogramSnapshot, labels: Labels = {}): this {
    const family = this.family(name, "histogram", help);
    snapshot.bounds.forEach((bound, i) => {
      family.lines.push(`${name}_bucket${labelText({ ...labels, le: String(bound) })} ${snapshot.buckets[i] ?? 0}`);
    });
    family.lines.push(`${name}_bucket${labelText({ ...labels, le: "+Inf" })} ${snapshot.count}`);
    family.lines.push(`${name}_sum${labelText(labels)} ${numberText(snapshot.sum)}`);
    family.lines.push(`${name}_count${labelText(labels)} ${snapshot.count}`);
    return this;
  }

  text(): string {
    const out: string[] = [];
    for (const [name, family] of this.families) {
      out.push(`# HELP ${name} ${family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
      out.push(`# TYPE ${name} ${family.type}`);
      out.push(...family.lines);
    }
    return `${out.join("\n")}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
