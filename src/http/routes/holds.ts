import { Hono } from "hono";
import { eventIdOfHold } from "../../domain/ids";
import { isAccessToken } from "../../queue/tokens";
import type { AppEnv } from "../context";
import { ApiError, unwrap } from "../errors";
import { auth, currentUser, isAdmin } from "../middleware/auth";
import { seatMapCache } from "../middleware/seat-cache";
import { roomFor } from "../rooms";
import { EventIdParam, HoldCreate, HoldIdParam, IdempotencyKey, SeatsQuery } from "../schemas";
import { issuesOf, jsonBody, pathParams, queryParams, validationFailed } from "../validate";
import { holdView } from "../views";

/** The room that owns a hold, named inside the hold id; an id that is not ours is simply unknown. */
function roomOfHold(env: Env, holdId: string) {
  const eventId = eventIdOfHold(holdId);
  if (!eventId) throw new ApiError("NOT_FOUND", "No such hold.");
  return roomFor(env, eventId);
}

function idempotencyKey(header: string | undefined): string | undefined {
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) throw validationFailed(issuesOf(parsed.error, "Idempotency-Key"));
  return parsed.data;
}

/** The contract lets the edge serve a seat map at most 1 s old (to anonymous readers only). */
const edgeCached = seatMapCache({ maxAgeSeconds: 1 });

export const holds = new Hono<AppEnv>()
  .get("/events/:eventId/seats", pathParams(EventIdParam), queryParams(SeatsQuery), edgeCached, async (c) => {
    const snapshot = unwrap(await roomFor(c.env, c.var.params.eventId).seats(c.var.query.section));
    return c.json(snapshot);
  })

  .post("/events/:eventId/holds", pathParams(EventIdParam), auth(), jsonBody(HoldCreate), async (c) => {
    const key = idempotencyKey(c.req.header("idempotency-key"));
    const body = c.var.body;
    const result = await roomFor(c.env, c.var.params.eventId).hold({
      userId: currentUser(c).id,
      seatIds: body.seatIds,
      ga: body.ga,
      presaleCode: body.presaleCode,
      idempotencyKey: key,
      admitted: await isAccessToken(c.var.settings.tokenSecret, c.var.params.eventId, c.req.header("x-access-token")),
    });
    return c.json(holdView(unwrap(result)), 201);
  })

  .get("/holds/:holdId", pathParams(HoldIdParam), auth(), async (c) => {
    const user = currentUser(c);
    const hold = unwrap(await roomOfHold(c.env, c.var.params.holdId).getHold(c.var.params.holdId));
    if (hold.userId !== user.id && !isAdmin(user)) {
      throw new ApiError("FORBIDDEN", "This hold belongs to someone else.");
    }
    return c.json(holdView(hold));
  })

  .post("/holds/:holdId/extend", pathParams(HoldIdParam), auth(), async (c) => {
    const { holdId } = c.var.params;
    const hold = unwrap(await roomOfHold(c.env, holdId).extend(holdId, currentUser(c).id));
    return c.json(holdView(hold));
  })

  .delete("/holds/:holdId", pathParams(HoldIdParam), auth(), async (c) => {
    const { holdId } = c.var.params;
    const hold = unwrap(await roomOfHold(c.env, holdId).release(holdId, currentUser(c).id));
    return c.json({ ...holdView(hold), holdId: hold.holdId, status: hold.status });
  });
