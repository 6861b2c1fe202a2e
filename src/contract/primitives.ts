import { z } from "zod";

/** The contract's shared scalars: an ISO 8601 time, an amount in minor units, an ISO 4217 code. */
export const Time = z.string().meta({ format: "date-time", examples: ["2027-06-01T19:30:00.000Z"] });
export const Cents = z.number().int().min(0);
export const Currency = z.string().regex(/^[A-Z]{3}$/);
