/**
 * Stripe's smallest charge per currency, in minor units (docs.stripe.com/currencies, "Minimum and
 * maximum charge amounts"). A ticket price is 0 (free) or at least this; unlisted currencies: 50.
 */
const MINIMUM_CHARGE: Record<string, number> = {
  USD: 50,
  EUR: 50,
  GBP: 30,
  AUD: 50,
  CAD: 50,
  CHF: 50,
  NZD: 50,
  SGD: 50,
  INR: 50,
  BRL: 50,
  AED: 200,
  BGN: 100,
  CZK: 1500,
  DKK: 250,
  HKD: 400,
  HUF: 17500,
  JPY: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  PLN: 200,
  RON: 200,
  SEK: 300,
  THB: 1000,
};

export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency.toUpperCase()] ?? 50;
}

/** Section ids whose price is positive but below what Stripe can charge. */
export function belowMinimum(currency: string, prices: Record<string, number>): string[] {
  const minimum = minimumCharge(currency);
  return Object.entries(prices)
    .filter(([, cents]) => cents > 0 && cents < minimum)
    .map(([id]) => id);
}

/** Currencies whose minor unit is the whole unit (Stripe's zero-decimal list): amounts are yen, not "cents". */
const ZERO_DECIMAL = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "JPY",
  "KMF",
  "KRW",
  "MGA",
  "PYG",
  "RWF",
  "UGX",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);

/** How many decimals the currency's minor unit has: 0 for JPY, 2 for EUR. */
export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2;
}
