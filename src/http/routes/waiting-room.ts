import { type Context, Hono } from "hono";
import { requireSecret } from "../../config";
import { randomId } from "../../domain/ids";
import { queueVisitorKey } from "../../domain/link-tokens";
import { admittedAt, positionOf, sortKey } from "../../domain/waiting-room/arithmetic";
import type { QueueStatus } from "../../domain/waiting-room/desk";
import { countJoin, joinOnce } from "../../waiting-room/shards";
import { queueStatus } from "../../waiting-room/status-cache";
import { readQueueToken, signAccessToken, signQueueToken } from "../../waiting-room/tokens";
import type { AppEnv, User } from "../context";
import { ApiError, unwrap } from "../errors";
import { bearerToken, optionalUser, verifyUserToken } from "../middleware/auth";
import { EventIdParam } from "../schemas";
import { pathParams } from "../validate";

type QueueState = "waiting" | "admitted" | "sold_out" | "closed";

async function view(
  secret: string,
  status: QueueStatus,
  visitorId: string,
  key: number,
  queueToken: string,
  now: number,
) {
  const base = { eventId: status.eventId, queueToken, opensAt: new Date(status.opensAt).toISOString() };
  const answer = (state: QueueState, extra: Record<string, unknown> = {}) => ({
    ...base,
    state,
    position: 0,
    ahead: 0,
    estimatedWaitSeconds: 0,
    pollAfterSeconds: 20,
    ...extra,
  });
  if (!status.selling) return answer("closed");
  if (status.soldOut) return answer("sold_out", { pollAfterSeconds: 30 });
  const rate = Math.max(status.measuredPerMinute, status.admitPerMinute);
  const place = status.active ? positionOf(status.buckets, status.mark, key, rate) : undefined;
  if (place && !place.admitted) {
    return answer("waiting", {
      position: place.position,
      ahead: place.ahead,
      estimatedWaitSeconds: place.estimatedWaitSeconds,
      pollAfterSeconds: Math.min(20, Math.max(2, Math.ceil(place.estimatedWaitSeconds / 10))),
    });
  }
  // Admitted: the access window runs from when the mark passed this key, not from this poll.
  const since = place ? (admittedAt(status, key) ?? 0) : now;
  const accessExpiresAt = since + status.accessMs;
  if (accessExpiresAt <= now) return answer("closed", { reason: "access_expired" });
  return answer("admitted", {
    accessToken: await signAccessToken(secret, status.eventId, visitorId, accessExpiresAt),
    accessExpiresAt: new Date(accessExpiresAt).toISOString(),
  });
}

/**
 * Who joins: a user token sent as the Bearer (instead of a queue token), else the session or
 * `session` cookie; undefined for an anonymous visitor.
 */
async function joiningAccount<E extends AppEnv>(
  c: Context<E>,
  presented: string | undefined,
): Promise<User | undefined> {
  if (presented) return verifyUserToken(presented, c.var.settings);
  return optionalUser(c);
}

/** An account's visitor id for one event: stable, and not the account id itself (tokens are readable). */
async function accountVisitor(secret: string, eventId: string, userId: string): Promise<string> {
  return `a_${(await queueVisitorKey(secret, eventId, userId)).slice(0, 22)}`;
}

/**
 * The waiting room at the edge. A join counts one visitor in a queue shard; a poll costs the room
 * nothing: it is answered from the visitor's own signed token and the cached status document.
 */
export const waitingRoom = new Hono<AppEnv>()
  .post("/events/:eventId/queue", pathParams(EventIdParam), async (c) => {
    const { eventId } = c.var.params;
    const secret = requireSecret(c.var.settings, "tokenSecret");
    const status = unwrap(await queueStatus(c.env, c.executionCtx as ExecutionContext, eventId));
    const now = Date.now();
    const presented = bearerToken(c.req.header("authorization"));
    const kept = presented ? await readQueueToken(secret, eventId, presented) : undefined;
    if (kept && presented) return c.json(await view(secret, status, kept.visitorId, kept.key, presented, now));

    // A signed-in account has one place per event: its visitor id is derived from the account, and
    // its shard answers the key of its first join. Anonymous joins keep a fresh place each.
    const account = await joiningAccount(c, presented);
    const visitorId = account ? await accountVisitor(secret, eventId, account.id) : randomId("v", 16);
    let key = sortKey(now, status.opensAt, status.prequeueMs, Math.random);
    let again = false;
    if (status.active && status.selling) {
      const shards = c.var.settings.queueShards;
      if (account) ({ key, again } = await joinOnce(c.env, eventId, visitorId, key, shards));
      else await countJoin(c.env, eventId, visitorId, key, shards);
    }
    const token = await signQueueToken(secret, eventId, visitorId, key);
    return c.json(await view(secret, status, visitorId, key, token, now), again ? 200 : 201);
  })

  .get("/events/:eventId/queue", pathParams(EventIdParam), async (c) => {
    const { eventId } = c.var.params;
    const secret = requireSecret(c.var.settings, "tokenSecret");
    const presented = bearerToken(c.req.header("authorization"));
    const kept = presented ? await readQueueToken(secret, eventId, presented) : undefined;
    if (!kept || !presented) {
      throw new ApiError("UNAUTHENTICATED", "Send your queue token as `Authorization: Bearer <queueToken>`.");
    }
    const status = unwrap(await queueStatus(c.env, c.executionCtx as ExecutionContext, eventId));
    return c.json(await view(secret, status, kept.visitorId, kept.key, presented, Date.now()));
  });
