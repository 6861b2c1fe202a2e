import * as z from "zod/mini";

/**
 * The live seat map's messages, both directions: one discriminated union each, parsed with zod
 * by the room, the browser module and the tests alike. Zod Mini: the same checks, but it
 * tree-shakes, so the browser's bundle carries ~20 KB of zod rather than ~450 KB.
 */

const SeatStatus = z.enum(["available", "held", "sold", "blocked"]);

const SeatChange = z.object({ id: z.string(), status: SeatStatus });
/** A dynamic price step also carries the section's new all-in price and when it was set. */
const SectionChange = z.object({
  id: z.string(),
  available: z.int(),
  priceCents: z.optional(z.int()),
  priceChangedAt: z.optional(z.string()),
});

const SectionSnapshot = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["seated", "ga"]),
  priceCents: z.int(),
  priceChangedAt: z.optional(z.string()),
  available: z.int(),
  capacity: z.int(),
  seats: z.optional(z.array(z.object({ id: z.string(), row: z.string(), number: z.int(), status: SeatStatus }))),
});

export const ServerMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("snapshot"),
    eventId: z.string(),
    version: z.int(),
    sections: z.array(SectionSnapshot),
  }),
  z.object({
    type: z.literal("delta"),
    /** The first version this delta covers; a client at `from - 1` applies it, others resume. */
    from: z.int(),
    version: z.int(),
    seats: z.array(SeatChange),
    sections: z.array(SectionChange),
  }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type SnapshotMessage = Extract<ServerMessage, { type: "snapshot" }>;

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resume"), version: z.int().check(z.minimum(0)) }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
