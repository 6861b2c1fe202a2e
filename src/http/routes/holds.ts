import { Hono } from "hono";
import { database } from "../../db/client";
import { sectionsOfHold } from "../../domain/room-split";
import { releasedInCheckout } from "../../payments/cancel";
import { paymentGateway } from "../../payments/gateway";
import { countedByLedger, freeQuota, holdWithinQuota, lengthenLease } from "../../user-ledger/steps";
import { readAccessToken } from "../../waiting-room/tokens";
import type { AppEnv } from "../context";
import { refuseAtEdge } from "../edge-refusals";
import { ApiError, unwrap } from "../errors";
import { assertOwner, auth, currentUser } from "../middleware/auth";
import { protectionOf } from "../middleware/edge-client";
import { askRoomOf } from "../room-split";
import { roomOfHold as holdRoom } from "../rooms";
import { EventIdParam, HoldCreate, HoldIdParam, HoldQuery, IdempotencyKey, SeatsQuery } from "../schemas";
import { matchesEtag, seatEtag, seatSnapshot } from "../seat-snapshots";
import { issuesOf, jsonBody, pathParams, queryParams, validationFailed } from "../validate";
import { holdView } from "../views";

/** The room that owns a hold, named inside the hold id; an id that is not ours is simply unknown. */
function roomOfHold(env: Env, holdId: string) {
  const room = holdRoom(env, holdId);
  if (!room) throw new ApiError("NOT_FOUND", "No such hold.");
  return room;
}

function idempotencyKey(header: string | undefined): string | undefined {
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) throw validationFailed(issuesOf(parsed.error, "Idempotency-Key"));
  return parsed.data;
}

/** The contract lets the edge serve a seat map at most 1 s old, to everyone. */
const SEAT_MAP_MAX_AGE_SECONDS = 1;

/** What the room needs of an access token: that it is valid, and which admission it is. */
async function admissionOf(secret: string | undefined, eventId: string, token: string | undefined) {
  const access = await readAccessToken(secret, eventId, token);
  return access ? { admitted: true, admission: access } : { admitted: false };
}

export const holds = new Hono<AppEnv>()
  .get("/events/:eventId/seats", pathParams(EventIdParam), queryParams(SeatsQuery), async (c) => {
    const { eventId } = c.var.params;
    const { section, minVersion } = c.var.query;
    const snapshot = await seatSnapshot(c.env, c.executionCtx, {
      origin: new URL(c.req.url).origin,
      eventId,
      section,
      minVersion,
      ttlSeconds: Math.min(SEAT_MAP_MAX_AGE_SECONDS, protectionOf(c).seatMapCacheSeconds),
    });
    const etag = seatEtag(eventId, section, snapshot.version);
    c.header("etag", etag);
    c.header("x-cache", snapshot.source);
    c.header("cache-control", "public, max-age=0, s-maxage=1, must-revalidate");
    if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.body(snapshot.body, 200, { "content-type": "application/json" });
  })

  .post(
    "/events/:eventId/holds",
    pathParams(EventIdParam),
    auth(),
    queryParams(HoldQuery),
    jsonBody(HoldCreate),
    async (c) => {
      const key = idempotencyKey(c.req.header("idempotency-key"));
      const body = c.var.body;
      const userId = currentUser(c).id;
      const { eventId } = c.var.params;
      // Seats the edge's copy shows someone else's are refused here, without a room call.
      const minVersion = body.minVersion ?? c.var.query.minVersion;
      refuseAtEdge(c.env, c.executionCtx, eventId, { ...body, userId, minVersion }, c.var.settings.edgeRefusalMaxAgeMs);
      const request = {
        userId,
        seatIds: body.seatIds,
        seatTypes: body.seatTypes,
        ga: body.ga,
        presaleCode: body.presaleCode,
        voucher: body.voucher,
        idempotencyKey: key,
        ...(await admissionOf(c.var.settings.tokenSecret, eventId, c.req.header("x-access-token"))),
      };
      // The event's room, or, for an event split by section, the room of the held sections.
      const quota = {
        userId,
        tickets: request.seatIds.length + request.ga.reduce((n, g) => n + g.quantity, 0),
        idempotencyKey: key,
      };
      // A split event's rooms each see only their own holds: the user's ledger keeps the limit across them.
      const result = await askRoomOf(c.env, eventId, [...sectionsOfHold(request)], (room, roomKey) =>
        roomKey === undefined ? room.hold(request) : holdWithinQuota(c.env, eventId, quota, () => room.hold(request)),
      );
      const hold = unwrap(result);
      // The version this hold produced: `GET …/seats?minVersion=` shows it at once.
      return c.json({ ...holdView(hold), version: hold.version }, 201);
    },
  )

  .get("/holds/:holdId", pathParams(HoldIdParam), auth(), async (c) => {
    const user = currentUser(c);
    const hold = unwrap(await roomOfHold(c.env, c.var.params.holdId).getHold(c.var.params.holdId));
    assertOwner(user, hold.userId, "hold");
    return c.json(holdView(hold));
  })

  .post("/holds/:holdId/extend", pathParams(HoldIdParam), auth(), async (c) => {
    const { holdId } = c.var.params;
    const room = roomOfHold(c.env, holdId);
    if (countedByLedger(holdId)) {
      const current = unwrap(await room.getHold(holdId));
      assertOwner(currentUser(c), current.userId, "hold");
      unwrap(await lengthenLease(c.env, current.eventId, current, "extend"));
    }
    const hold = unwrap(await room.extend(holdId, currentUser(c).id));
    return c.json(holdView(hold));
  })

  .delete("/holds/:holdId", pathParams(HoldIdParam), auth(), async (c) => {
    const { holdId } = c.var.params;
    const hold = unwrap(await roomOfHold(c.env, holdId).release(holdId, currentUser(c).id));
    // Lost, this step only over-counts the user until the lease lapses.
    await freeQuota(c.env, hold.eventId, holdId, hold.userId).catch((error: unknown) =>
      c.var.log("warn", "the ledger did not hear of a release", { holdId, error: String(error) }),
    );
    if (hold.checkoutAt !== undefined) {
      const deps = { env: c.env, db: database(c.env.DB), gateway: paymentGateway(c.env), log: c.var.log };
      await releasedInCheckout(deps, holdId);
    }
    return c.json({ ...holdView(hold), holdId: hold.holdId, status: hold.status });
  });
