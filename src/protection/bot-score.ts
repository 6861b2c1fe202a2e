/**
 * A bot score from 0 (a person in a browser) to 100 (surely automated), from signals the edge
 * sees on every request. No single signal decides: a browser without cookies scores 15, curl
 * scores 95. Thresholds live in configuration, per route class.
 */

export interface RequestSignals {
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  acceptEncoding: string | undefined;
  hasCookies: boolean;
  isWrite: boolean;
  /** The busiest of this client's per-IP rate buckets, as a fraction of its limit (0-1+). */
  ratePressure: number;
  /** Challenges this client failed recently. */
  failedChallenges: number;
  /** It sent a clearance that is forged or belongs to another client (an expired one is normal). */
  badClearance: boolean;
}

export const WEIGHTS = {
  noUserAgent: 40,
  automationUserAgent: 50,
  noAcceptLanguage: 20,
  noAcceptEncoding: 10,
  noCookiesOnWrite: 15,
  busy: 10,
  veryBusy: 25,
  perFailedChallenge: 15,
  maxFailedChallenges: 3,
  badClearance: 50,
} as const;

/** HTTP libraries, command-line tools, headless browsers and self-declared crawlers. */
const AUTOMATION =
  /\b(curl|wget|httpie|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|apache-httpclient|libwww-perl|node-fetch|undici|axios|got|scrapy|phantomjs|headlesschrome|selenium|puppeteer|playwright)\b|(bot|crawler|spider)[/;]|\+https?:\/\//i;

export function scoreRequest(signals: RequestSignals): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };
  const ua = signals.userAgent?.trim() ?? "";
  if (ua === "") add(WEIGHTS.noUserAgent, "no-user-agent");
  else if (AUTOMATION.test(ua)) add(WEIGHTS.automationUserAgent, "automation-user-agent");
  if (!signals.acceptLanguage?.trim()) add(WEIGHTS.noAcceptLanguage, "no-accept-language");
  if (!signals.acceptEncoding?.trim()) add(WEIGHTS.noAcceptEncoding, "no-accept-encoding");
  if (signals.isWrite && !signals.hasCookies) add(WEIGHTS.noCookiesOnWrite, "no-cookies");
  if (signals.ratePressure >= 0.8) add(WEIGHTS.veryBusy, "very-busy");
  else if (signals.ratePressure >= 0.5) add(WEIGHTS.busy, "busy");
  const failed = Math.min(signals.failedChallenges, WEIGHTS.maxFailedChallenges);
  if (failed > 0) add(failed * WEIGHTS.perFailedChallenge, "failed-challenges");
  if (signals.badClearance) add(WEIGHTS.badClearance, "bad-clearance");
  return { score: Math.min(100, score), reasons };
}

/** Challenges failed recently, per client binding, in this isolate; bounded in memory. */
export class FailedChallenges {
  private readonly entries = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly forgetAfterMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  record(client: string, now: number): void {
    const entry = this.entries.get(client);
    const count = entry && entry.until > now ? entry.count + 1 : 1;
    this.entries.delete(client);
    this.entries.set(client, { count, until: now + this.forgetAfterMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  count(client: string, now: number): number {
    const entry = this.entries.get(client);
    return entry && entry.until > now ? entry.count : 0;
  }
}
