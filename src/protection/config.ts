/**
 * Edge-protection settings, parsed from the Worker's vars. Pure: no `cloudflare:*` import, so the
 * Node tests use it as is. A malformed value never takes the edge down: that entry keeps its
 * default and the problem is reported, for the caller to log.
 */

export const ROUTE_CLASSES = ["browse", "queue", "hold", "checkout", "challenge"] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface ClassLimits {
  /** Requests per window per signed-in user; undefined = no per-user limit for this class. */
  user: number | undefined;
  /** Requests per window per client IP (IPv6: per /64). */
  ip: number;
}

export interface ProtectionConfig {
  windowSeconds: number;
  limits: Record<RouteClass, ClassLimits>;
  /** Bot score (0-100) from which a write is challenged; undefined = never for that class. */
  thresholds: Record<RouteClass, number | undefined>;
  powDifficulty: number;
  challengeTtlSeconds: number;
  clearanceTtlSeconds: number;
  seatMapCacheSeconds: number;
}

/** The defaults, in the vars' own syntax (also in wrangler.toml and .dev.vars.example). */
export const PROTECTION_DEFAULTS = {
  RATE_LIMIT_WINDOW_SECONDS: "60",
  RATE_LIMIT_RULES: "browse=100 queue=30 hold=10 checkout=5 ip=300 ip.challenge=30",
  BOT_SCORE_THRESHOLDS: "hold=50 checkout=50 queue=60",
  POW_DIFFICULTY: "16",
  CHALLENGE_TTL_SECONDS: "120",
  CLEARANCE_TTL_SECONDS: "600",
  SEAT_MAP_CACHE_SECONDS: "1",
} as const;

export type ProtectionVars = Partial<Record<keyof typeof PROTECTION_DEFAULTS, unknown>>;

const isClass = (name: string): name is RouteClass => (ROUTE_CLASSES as readonly string[]).includes(name);

function text(vars: ProtectionVars, name: keyof typeof PROTECTION_DEFAULTS): string {
  const value = vars[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : PROTECTION_DEFAULTS[name];
}

function integer(raw: string, min: number, max: number): number | undefined {
  if (!/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

/** `a=1 b=2` or `a=1,b=2`. */
function pairs(raw: string): [string, string][] {
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf("=");
      return at < 0 ? [entry, ""] : [entry.slice(0, at).toLowerCase(), entry.slice(at + 1).toLowerCase()];
    });
}

function parseLimits(raw: string, problems: string[]): Record<RouteClass, ClassLimits> | undefined {
  const users = new Map<RouteClass, number>();
  const ips = new Map<RouteClass, number>();
  let ipDefault: number | undefined;
  for (const [name, value] of pairs(raw)) {
    const n = integer(value, 1, 1_000_000_000);
    const [scope, cls] = name.startsWith("ip.") ? ["ip", name.slice(3)] : name === "ip" ? ["ip", ""] : ["user", name];
    if (n === undefined || (cls !== "" && !isClass(cls))) {
      problems.push(`RATE_LIMIT_RULES: ignored "${name}=${value}"`);
      continue;
    }
    if (scope === "ip" && cls === "") ipDefault = n;
    else if (scope === "ip") ips.set(cls as RouteClass, n);
    else users.set(cls as RouteClass, n);
  }
  if (ipDefault === undefined) {
    problems.push("RATE_LIMIT_RULES: no ip=N; using the defaults");
    return undefined;
  }
  const limits = {} as Record<RouteClass, ClassLimits>;
  for (const cls of ROUTE_CLASSES) limits[cls] = { user: users.get(cls), ip: ips.get(cls) ?? ipDefault };
  return limits;
}

function parseThresholds(raw: string, problems: string[]): Record<RouteClass, number | undefined> {
  const thresholds = Object.fromEntries(ROUTE_CLASSES.map((c) => [c, undefined])) as Record<
    RouteClass,
    number | undefined
  >;
  for (const [name, value] of pairs(raw)) {
    const n = value === "off" ? undefined : integer(value, 0, 100);
    if (!isClass(name) || (n === undefined && value !== "off")) {
      problems.push(`BOT_SCORE_THRESHOLDS: ignored "${name}=${value}"`);
      continue;
    }
    thresholds[name] = n;
  }
  return thresholds;
}

function numberVar(
  vars: ProtectionVars,
  name: keyof typeof PROTECTION_DEFAULTS,
  min: number,
  max: number,
  problems: string[],
): number {
  const value = integer(text(vars, name), min, max);
  if (value !== undefined) return value;
  problems.push(`${name}: must be a whole number from ${min} to ${max}; using ${PROTECTION_DEFAULTS[name]}`);
  return Number(PROTECTION_DEFAULTS[name]);
}

export function parseProtectionConfig(vars: ProtectionVars): { config: ProtectionConfig; problems: string[] } {
  const problems: string[] = [];
  const limits =
    parseLimits(text(vars, "RATE_LIMIT_RULES"), problems) ??
    (parseLimits(PROTECTION_DEFAULTS.RATE_LIMIT_RULES, []) as Record<RouteClass, ClassLimits>);
  const config: ProtectionConfig = {
    windowSeconds: numberVar(vars, "RATE_LIMIT_WINDOW_SECONDS", 1, 3600, problems),
    limits,
    thresholds: parseThresholds(text(vars, "BOT_SCORE_THRESHOLDS"), problems),
    // 2^difficulty hashes on average: 16 is well under a second in a browser, 28 is minutes.
    powDifficulty: numberVar(vars, "POW_DIFFICULTY", 1, 28, problems),
    challengeTtlSeconds: numberVar(vars, "CHALLENGE_TTL_SECONDS", 10, 3600, problems),
    clearanceTtlSeconds: numberVar(vars, "CLEARANCE_TTL_SECONDS", 60, 86_400, problems),
    // The contract allows the seat map to be at most one second old at the edge.
    seatMapCacheSeconds: numberVar(vars, "SEAT_MAP_CACHE_SECONDS", 0, 1, problems),
  };
  return { config, problems };
}

const parsed = new Map<string, { config: ProtectionConfig; problems: string[] }>();

/**
 * Parsed once per distinct set of values (per isolate); `fresh` is true the first time, so that
 * the caller logs the problems once rather than on every request.
 */
export function protectionConfig(vars: ProtectionVars): {
  config: ProtectionConfig;
  problems: string[];
  fresh: boolean;
} {
  const key = (Object.keys(PROTECTION_DEFAULTS) as (keyof typeof PROTECTION_DEFAULTS)[])
    .map((name) => String(vars[name] ?? ""))
    .join("\u0000");
  const known = parsed.get(key);
  if (known) return { ...known, fresh: false };
  const result = parseProtectionConfig(vars);
  if (parsed.size > 32) parsed.clear();
  parsed.set(key, result);
  return { ...result, fresh: true };
}
