import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { SignJWT } from "jose";
import { z } from "zod";
import { requireSecret } from "../../config";
import type { AppEnv } from "../context";
import { ROLES } from "../context";
import { ApiError } from "../errors";
import { SESSION_COOKIE } from "../middleware/auth";
import { queryParams } from "../validate";

const Login = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, "must be 1-64 letters, digits or ._@-"),
  role: z
    .string()
    .default("customer")
    .transform((s) => s.split(",").map((r) => r.trim()))
    .pipe(z.array(z.enum(ROLES)).min(1)),
  next: z
    .string()
    // No backslash anywhere: browsers read `/\evil.com` as `//evil.com`, another site.
    .regex(/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/, "must be a path on this site")
    .refine((path) => new URL(path, "https://same.site").origin === "https://same.site", "must be a path on this site")
    .default("/"),
});

/**
 * Local development only (ENVIRONMENT=development or test): signs in as anyone by setting the
 * `session` cookie to a token for that user, then goes to `next`. 404 everywhere else.
 */
export const dev = new Hono<AppEnv>().get(
  "/dev/login",
  async (c, next) => {
    if (!c.var.settings.devRoutes) throw new ApiError("NOT_FOUND", "No such route.");
    await next();
  },
  queryParams(Login),
  async (c) => {
    const secret = requireSecret(c.var.settings, "authSecret", "dev sign-in signs tokens with it");
    const { name, role, next } = c.var.query;
    // An email claim too, so that local notifications reach /dev/outbox: the name if it is an address.
    const email = name.includes("@") ? name.toLowerCase() : `${name.toLowerCase()}@dev.local`;
    const token = await new SignJWT({ roles: role, name, email })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(name)
      .setIssuedAt()
      .setExpirationTime("12h")
      .sign(new TextEncoder().encode(secret));
    setCookie(c, SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: 12 * 3600,
    });
    return c.redirect(next, 302);
  },
);
