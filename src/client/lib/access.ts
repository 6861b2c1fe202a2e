import * as z from "zod/mini";
import { keys, load } from "./storage";

export const Access = z.object({ token: z.string().check(z.minLength(1)), expiresAt: z.string() });
export type Access = z.infer<typeof Access>;

/** The waiting room's access token for an event, while it is valid (the queue page stores it). */
export function accessFor(eventId: string): Access | undefined {
  const access = load(keys.access(eventId), Access);
  return access && Date.parse(access.expiresAt) > Date.now() + 5_000 ? access : undefined;
}
