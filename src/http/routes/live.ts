import { Hono } from "hono";
import { ADMITTED_HEADER } from "../../bindings";
import { isAccessToken } from "../../waiting-room/tokens";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { openLiveIn } from "../room-split";
import { EventIdParam, LiveQuery } from "../schemas";
import { pathParams, queryParams } from "../validate";

/** The live seat map: the edge checks the request, then hands the WebSocket to the event's room. */
export const live = new Hono<AppEnv>().get(
  "/events/:eventId/live",
  pathParams(EventIdParam),
  queryParams(LiveQuery),
  async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("UPGRADE_REQUIRED", "Open this URL as a WebSocket (Upgrade: websocket).");
    }
    const { eventId } = c.var.params;
    // Only the edge may say a visitor was admitted: a client's own header is dropped.
    const headers = new Headers(c.req.raw.headers);
    headers.delete(ADMITTED_HEADER);
    if (await isAccessToken(c.var.settings.tokenSecret, eventId, c.var.query.access)) headers.set(ADMITTED_HEADER, "1");
    const sections = c.var.query.sections?.split(",").filter(Boolean);
    const response = await openLiveIn(c.env, eventId, sections, (room) =>
      room.fetch(new Request(c.req.raw, { headers })),
    );
    // A fresh Response: the room's has immutable headers, and the edge adds its own.
    return new Response(response.body, {
      status: response.status,
      headers: new Headers(response.headers),
      webSocket: response.webSocket,
    });
  },
);
