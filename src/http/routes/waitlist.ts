import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context";
import { unwrap } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { roomFor } from "../rooms";
import { EventIdParam } from "../schemas";
import { jsonBody, pathParams } from "../validate";

/** The room checks the section and the per-order limit it knows; this only checks the shape. */
export const WaitlistJoinBody = z.object({
  sectionId: z.string().trim().min(1).max(64).nullable().optional(),
  quantity: z.number().int().min(1).max(100),
});

/**
 * The event's waitlist, kept by its room: join (one entry per user; again → the same entry),
 * read your place and offer, leave. Seats that come back are offered in join order.
 */
export const waitlist = new Hono<AppEnv>()
  .post("/events/:eventId/waitlist", pathParams(EventIdParam), auth(), jsonBody(WaitlistJoinBody), async (c) => {
    const user = currentUser(c);
    const { sectionId, quantity } = c.var.body;
    const { created, ...entry } = unwrap(
      await roomFor(c.env, c.var.params.eventId).joinWaitlist({
        userId: user.id,
        sectionId: sectionId ?? null,
        quantity,
        ...(user.email && { email: user.email }),
      }),
    );
    return c.json(entry, created ? 201 : 200, { "cache-control": "no-store" });
  })

  .get("/events/:eventId/waitlist/me", pathParams(EventIdParam), auth(), async (c) => {
    const entry = unwrap(await roomFor(c.env, c.var.params.eventId).waitlistEntry(currentUser(c).id));
    return c.json(entry, 200, { "cache-control": "no-store" });
  })

  .delete("/events/:eventId/waitlist/me", pathParams(EventIdParam), auth(), async (c) => {
    const entry = unwrap(await roomFor(c.env, c.var.params.eventId).leaveWaitlist(currentUser(c).id));
    return c.json(entry, 200, { "cache-control": "no-store" });
  });
