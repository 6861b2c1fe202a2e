import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { requireSecret } from "../../config";
import { database } from "../../db/client";
import { findEventBundle, inventoryConfig } from "../../db/events";
import { randomId } from "../../domain/ids";
import { queueVisitorKey } from "../../domain/link-tokens";
import { checkSalesWindow } from "../../domain/sales-window";
import { admittedAt, positionOf, sortKey } from "../../domain/waiting-room/arithmetic";
import type { QueueStatus } from "../../domain/waiting-room/desk";
import { verifyClearance } from "../../protection/tokens";
import { countJoin, joinOnce } from "../../waiting-room/shards";
import { queueStatus } from "../../waiting-room/status-cache";
import { readQueueToken, signAccessToken, signQueueToken } from "../../waiting-room/tokens";
import type { AppEnv, User } from "../context";
import { ApiError, unwrap } from "../errors";
import { bearerToken, optionalUser, verifyUserToken } from "../middleware/auth";
import { CLEARANCE_COOKIE, CLEARANCE_HEADER, protectionKeyOf } from "../middleware/bot-score";
import { clientOf } from "../middleware/edge-client";
import { EventIdParam } from "../schemas";
import { parse, pathParams } from "../validate";

type QueueState = "waiting" | "admitted" | "sold_out" | "closed";

async function view(
  secret: string,
  status: QueueStatus,
  visitorId: string,
  key: number,
  queueToken: string,
  now: number,
  presaleUntil?: number,
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
  if (presaleUntil !== undefined && presaleUntil > now) {
    // A presale code holder, admitted at once for the presale window (see presaleAdmission).
    return answer("admitted", {
      accessToken: await signAccessToken(secret, status.eventId, visitorId, presaleUntil),
      accessExpiresAt: new Date(presaleUntil).toISOString(),
    });
  }
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

/** The join's optional body: a presale code (no body, or `{}`, is a plain join). */
export const QueueJoin = z.object({ presaleCode: z.string().trim().min(1).max(64).optional() });

async function joinBody<E extends AppEnv>(c: Context<E>): Promise<z.output<typeof QueueJoin>> {
  const text = new TextDecoder().decode(await c.req.arrayBuffer());
  const json = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
  if (!json || text.trim() === "") return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError("MALFORMED_JSON", "The request body is not valid JSON.");
  }
  return parse(QueueJoin, raw, "");
}

/**
 * A presale behind a waiting room: the desk admits from the on-sale, so a presale code holder
 * would wait out the whole presale. While a presale window is open (before the on-sale), a valid
 * code admits at once, until the window or the presale part ends (whichever is first), capped at
 * the access minutes; a wrong code is 403 PRESALE_CODE_REQUIRED. Undefined: no presale open now.
 */
async function presaleAdmission<E extends AppEnv>(
  c: Context<E>,
  eventId: string,
  status: QueueStatus,
  code: string,
  now: number,
): Promise<number | undefined> {
  const bundle = await findEventBundle(database(c.env.DB), eventId);
  if (!bundle) return undefined;
  const config = inventoryConfig(bundle);
  if (now >= config.onSaleAt) return undefined;
  const open = config.presales.filter((p) => p.startsAt <= now && now < p.endsAt);
  if (open.length === 0) return undefined;
  unwrap(checkSalesWindow(config, now, code));
  const mine = open.filter((p) => p.code.toLowerCase() === code.toLowerCase());
  const windowEnd = Math.max(...mine.map((p) => p.endsAt));
  return Math.min(now + status.accessMs, windowEnd, config.onSaleAt);
}

/**
 * An anonymous visitor with a valid clearance (the proof-of-work token, bound to this client) has
 * one place per clearance: solving again is what another place costs.
 */
async function clearanceVisitor<E extends AppEnv>(c: Context<E>, secret: string, eventId: string) {
  const presented = c.req.header(CLEARANCE_HEADER)?.trim() || getCookie(c, CLEARANCE_COOKIE);
  if (!presented || presented.length > 2048) return undefined;
  const verdict = await verifyClearance(await protectionKeyOf(c), presented, await clientOf(c).binding(), Date.now());
  if (!verdict.ok) return undefined;
  return `c_${(await queueVisitorKey(secret, eventId, `clearance\u0000${presented}`)).slice(0, 22)}`;
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
    const { presaleCode } = await joinBody(c);
    const kept = presented ? await readQueueToken(secret, eventId, presented) : undefined;
    const presale =
      presaleCode && status.active && status.selling
        ? await presaleAdmission(c, eventId, status, presaleCode, now)
        : (kept?.presaleUntil ?? undefined);
    if (kept && presented) {
      const token = presale ? await signQueueToken(secret, eventId, kept.visitorId, kept.key, presale) : presented;
      return c.json(await view(secret, status, kept.visitorId, kept.key, token, now, presale));
    }

    // A signed-in account has one place per event: its visitor id is derived from the account, and
    // its shard answers the key of its first join. So has an anonymous visitor's clearance; other
    // anonymous joins get a fresh place each.
    const account = await joiningAccount(c, presented);
    const bound = account
      ? await accountVisitor(secret, eventId, account.id)
      : await clearanceVisitor(c, secret, eventId);
    const visitorId = bound ?? randomId("v", 16);
    let key = sortKey(now, status.opensAt, status.prequeueMs, Math.random);
    let again = false;
    if (status.active && status.selling) {
      const shards = c.var.settings.queueShards;
      if (bound) ({ key, again } = await joinOnce(c.env, eventId, visitorId, key, shards));
      else await countJoin(c.env, eventId, visitorId, key, shards);
    }
    const token = await signQueueToken(secret, eventId, visitorId, key, presale);
    return c.json(await view(secret, status, visitorId, key, token, now, presale), again ? 200 : 201);
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
    const now = Date.now();
    return c.json(await view(secret, status, kept.visitorId, kept.key, presented, now, kept.presaleUntil));
  });
