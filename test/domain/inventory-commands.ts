/** The property tests' event, and the random commands they send to the core and the model. */
import fc from "fast-check";
import type { InventoryConfig } from "../../src/domain/types";
import { REF_RETENTION_MS } from "./reference-model";

export const T0 = Date.UTC(2030, 0, 1);
export const SEC = 1000;

/** Two seated sections of 2 x 3 (B-1-2 blocked) and a GA section of 5. */
export const CONFIG: InventoryConfig = {
  eventId: "evt_prop",
  currency: "EUR",
  sections: [
    {
      id: "A",
      name: "Stalls",
      kind: "seated",
      rows: [
        { label: "1", seats: 3 },
        { label: "2", seats: 3 },
      ],
    },
    {
      id: "B",
      name: "Balcony",
      kind: "seated",
      rows: [
        { label: "1", seats: 3, blocked: [2] },
        { label: "2", seats: 3 },
      ],
    },
    { id: "G", name: "Standing", kind: "ga", capacity: 5 },
  ],
  prices: { A: 5000, B: 3000, G: 2000 },
  holdSeconds: 60,
  extensions: 2,
  paymentGraceSeconds: 30,
  limits: { perOrder: 4, perUser: 6 },
  onSaleAt: T0,
  salesEndAt: T0 + 3 * REF_RETENTION_MS,
  startsAt: T0 + 4 * REF_RETENTION_MS,
  state: "published",
  presales: [{ name: "Fan club", code: "FANS", startsAt: T0 - 120 * SEC, endsAt: T0 }],
};

export const SEATS = [
  "A-1-1",
  "A-1-2",
  "A-1-3",
  "A-2-1",
  "A-2-2",
  "A-2-3",
  "B-1-1",
  "B-1-2",
  "B-1-3",
  "B-2-1",
  "B-2-2",
  "B-2-3",
];
export const USERS = ["u0", "u1", "u2", "u3"];

// ---------------------------------------------------------------- commands

export type HoldCmd = {
  kind: "hold";
  user: number;
  seats: string[];
  ga: { sectionId: string; quantity: number }[];
  presaleCode: string | undefined;
  key: string | undefined;
};
export type Command =
  | HoldCmd
  /** Sends an earlier keyed request again, with the same body or a changed one. */
  | { kind: "replay"; ref: number; changed: boolean }
  | { kind: "extend" | "release" | "checkout"; ref: number; stranger: boolean }
  | { kind: "sell" | "refund" | "abandon"; ref: number }
  /** Money went back: the whole hold, or (`partial`) the units picked by `mask`. */
  | { kind: "undo"; ref: number; partial: boolean; mask: number }
  | { kind: "get"; ref: number }
  | { kind: "tick"; ms: number }
  /** Moves the clock to a hold's expiresAt (offset -1, 0 or +1 ms). */
  | { kind: "toExpiry"; ref: number; offset: number }
  /** Moves the clock to where a hold (if ended) or its idempotency key is forgotten. */
  | { kind: "toForget"; ref: number; offset: number }
  | { kind: "expireDue" }
  /** A re-publish: maybe paused, new prices, and (`strict`) smaller limits, shorter holds, one extension. */
  | { kind: "reconfigure"; state: "published" | "paused"; priceDelta: number; strict: boolean }
  /** Restore test only: a group commit of the rows changed so far, and a restart from storage. */
  | { kind: "commit" }
  | { kind: "restart" };

const ref = fc.nat({ max: 30 });
const stranger = fc.constantFrom(false, false, false, false, false, true);
const quantity = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 5) },
);
const holdCmd: fc.Arbitrary<Command> = fc.record({
  kind: fc.constant("hold" as const),
  user: fc.nat({ max: USERS.length - 1 }),
  seats: fc.oneof(
    { weight: 8, arbitrary: fc.shuffledSubarray(SEATS, { minLength: 1, maxLength: 4 }) },
    { weight: 2, arbitrary: fc.constant<string[]>([]) },
    // duplicates and an unknown seat now and then
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...SEATS, "A-9-9"), { maxLength: 5 }) },
  ),
  ga: fc.oneof(
    { weight: 2, arbitrary: fc.constant<HoldCmd["ga"]>([]) },
    {
      weight: 2,
      arbitrary: fc.array(fc.record({ sectionId: fc.constantFrom("G", "G", "G", "G", "G", "A", "X"), quantity }), {
        minLength: 1,
        maxLength: 2,
      }),
    },
  ),
  presaleCode: fc.option(fc.constantFrom("fans", " FANS ", "wrong"), { nil: undefined, freq: 3 }),
  key: fc.option(fc.constantFrom("k1", "k2", "k3"), { nil: undefined, freq: 2 }),
});

const baseCommands: fc.WeightedArbitrary<Command>[] = [
  { weight: 12, arbitrary: holdCmd },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("replay" as const), ref, changed: fc.boolean() }) },
  ...(["extend", "release", "checkout"] as const).map((kind) => ({
    weight: kind === "extend" ? 4 : 3,
    arbitrary: fc.record({ kind: fc.constant(kind), ref, stranger }),
  })),
  ...(["sell", "refund", "abandon"] as const).map((kind) => ({
    weight: kind === "sell" ? 4 : 2,
    arbitrary: fc.record({ kind: fc.constant(kind), ref }),
  })),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("undo" as const),
      ref,
      partial: fc.boolean(),
      mask: fc.nat({ max: 2 ** 9 - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), ref }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("tick" as const),
      ms: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(1, SEC, 15 * SEC, 30 * SEC, 60 * SEC) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 90 * SEC }) },
        { weight: 1, arbitrary: fc.constant(REF_RETENTION_MS) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("toExpiry" as const), ref, offset: fc.constantFrom(-1, 0, 0, 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("toForget" as const), ref, offset: fc.constantFrom(-1, 0) }) },
  { weight: 2, arbitrary: fc.constant({ kind: "expireDue" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reconfigure" as const),
      state: fc.constantFrom("published" as const, "published" as const, "paused" as const),
      priceDelta: fc.constantFrom(0, 100, -100),
      strict: fc.boolean(),
    }),
  },
];

/** PROPERTY_RUNS=20000 npx vitest run --project domain  searches longer. */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
export const TIMEOUT = Math.max(10_000, RUNS * 50);

export const startTimes = fc.constantFrom(T0, T0, T0, T0 + 5 * SEC, T0 - 60 * SEC, T0 - 200 * SEC);
const sequence = { minLength: 1, maxLength: 60, size: "max" } as const;
export const modelCommands = fc.array(fc.oneof(...baseCommands), sequence);
export const restoreCommands = fc.array(
  fc.oneof(
    ...baseCommands,
    { weight: 6, arbitrary: fc.constant({ kind: "commit" as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: "restart" as const }) },
  ),
  sequence,
);
