import { Hono } from "hono";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { roomFor } from "../rooms";
import { EventIdParam } from "../schemas";
import { pathParams } from "../validate";

/** The live seat map: the edge checks the request, then hands the WebSocket to the event's room. */
export const live = new Hono<AppEnv>().get("/events/:eventId/live", pathParams(EventIdParam), async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("UPGRADE_REQUIRED", "Open this URL as a WebSocket (Upgrade: websocket).");
  }
  const response = await roomFor(c.env, c.var.params.eventId).fetch(c.req.raw);
  // A fresh Response: the room's has immutable headers, and the edge adds its own.
  return new Response(response.body, {
    status: response.status,
    headers: new Headers(response.headers),
    webSocket: response.webSocket,
  });
});
