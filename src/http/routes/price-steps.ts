import { Hono } from "hono";
import { database } from "../../db/client";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { auth, currentUser } from "../middleware/auth";
import { askEveryRoom } from "../room-split";
import { EventIdParam } from "../schemas";
import { pathParams } from "../validate";
import { ownedEvent } from "./admin";

/**
 * `GET /admin/events/:eventId/price-steps`: the dynamic price steps the event's rooms took, oldest
 * first, each with the demand it was computed from, so an organizer sees why a price moved.
 */
export const priceSteps = new Hono<AppEnv>().get(
  "/admin/events/:eventId/price-steps",
  auth({ roles: ["organizer"] }),
  pathParams(EventIdParam),
  async (c) => {
    const bundle = await ownedEvent(database(c.env.DB), currentUser(c), c.var.params.eventId, "event.read");
    if (bundle.event.state === "draft") return c.json({ data: [] });
    const logs = await askEveryRoom(c.env, bundle.event.id, (room) => room.priceSteps());
    if (!logs.ok) throw ApiError.fromDomain(logs.error);
    const data = logs.value
      .flat()
      .sort((a, b) => a.at - b.at)
      .map((s) => ({ ...s, at: new Date(s.at).toISOString() }));
    return c.json({ data });
  },
);
