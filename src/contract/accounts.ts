import { z } from "zod";
import { Time } from "./primitives";
import { Id } from "./requests";

/** Accounts and sign-in (docs/API.md, "Accounts and sign-in"): what the routes accept and answer. */

/**
 * A path on this site: starts with one `/`, no backslash anywhere (browsers read `/\evil.com` as
 * `//evil.com`, another site), printable ASCII only.
 */
export const SameSitePath = z
  .string()
  .max(2000)
  .regex(/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/, "must be a path on this site")
  .refine((path) => new URL(path, "https://same.site").origin === "https://same.site", "must be a path on this site");

export const Email = z.string().trim().toLowerCase().pipe(z.email("must be an e-mail address").max(254));

export const EmailSignIn = z.object({
  email: Email,
  /** Where to go once signed in; anything but a same-site path is replaced by `/`. */
  next: z.string().max(2000).optional(),
});

export const RoleChange = z.object({
  add: z
    .array(z.enum(["customer", "organizer", "scanner", "admin"]))
    .max(8)
    .optional(),
  remove: z
    .array(z.enum(["customer", "organizer", "scanner", "admin"]))
    .max(8)
    .optional(),
});

export const UserIdParam = z.object({ userId: Id });
export const SessionIdParam = z.object({ sessionId: Id });

export const SignInSent = z.object({ sent: z.literal(true) });

export const Me = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
});

export const SessionView = z.object({
  sessionId: z.string(),
  createdAt: Time,
  lastSeenAt: Time,
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const SessionList = z.object({ data: z.array(SessionView) });

export const UserRoles = z.object({ userId: z.string(), email: z.string(), roles: z.array(z.string()) });
