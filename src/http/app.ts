import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { SettingsError } from "../config";
import { assets } from "../pages/asset-routes";
import { oidcRoutes } from "../pages/oidc-routes";
import { pay } from "../pages/pay-routes";
import { receipts } from "../pages/receipt";
import { pages } from "../pages/routes";
import { signInRoutes } from "../pages/sign-in-routes";
import { ticketLinks } from "../pages/ticket-link";
import type { AppEnv } from "./context";
import { ApiError, errorResponse } from "./errors";
import { MAX_IMAGE_BYTES } from "./media";
import { httpSurface, notFound, protectRoutes } from "./middleware/http-surface";
import { requestContext } from "./middleware/request-context";
import { openApiDocument } from "./openapi";
import { isRoomUnavailable } from "./rooms";
import { accounts } from "./routes/accounts";
import { admin } from "./routes/admin";
import { auditLog } from "./routes/audit-log";
import { bench } from "./routes/bench";
import { catalog } from "./routes/catalog";
import { challenge } from "./routes/challenge";
import { dev } from "./routes/dev";
import { docs } from "./routes/docs";
import { eventContent, media } from "./routes/event-content";
import { eventOrders } from "./routes/event-orders";
import { health, readinessResponse } from "./routes/health";
import { holds } from "./routes/holds";
import { kills } from "./routes/kills";
import { live } from "./routes/live";
import { metrics } from "./routes/metrics";
import { orders } from "./routes/orders";
import { outbox } from "./routes/outbox";
import { priceSteps } from "./routes/price-steps";
import { teams } from "./routes/teams";
import { jwks, tickets } from "./routes/tickets";
import { voucherRoutes } from "./routes/vouchers";
import { waitingRoom } from "./routes/waiting-room";
import { waitlist } from "./routes/waitlist";
import { webhooks } from "./routes/webhooks";

export const MAX_BODY_BYTES = 64 * 1024;

const limitOf = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `The request body must be at most ${maxSize} bytes.`, {
        limit: maxSize,
      });
    },
  });
const jsonLimit = limitOf(MAX_BODY_BYTES);
/** An event's image is the one body that is not JSON and may be larger (src/http/media.ts). */
const imageLimit = limitOf(MAX_IMAGE_BYTES);
const IMAGE_UPLOAD = /^\/api\/v1\/admin\/events\/[^/]+\/image$/;

const api = new Hono<AppEnv>()
  .route("/", catalog)
  .route("/", holds)
  .route("/", live)
  .route("/", waitingRoom)
  .route("/", admin)
  .route("/", eventContent)
  .route("/", teams)
  .route("/", voucherRoutes)
  .route("/", priceSteps)
  .route("/", auditLog)
  .route("/", kills)
  .route("/", eventOrders)
  .route("/", orders)
  .route("/", tickets)
  .route("/", waitlist)
  .route("/", bench)
  .route("/", challenge)
  .route("/", accounts)
  .get("/openapi.json", (c) => c.json(openApiDocument(new URL(c.req.url).origin)));

const edge = new Hono<AppEnv>()
  .use(requestContext())
  // CORS, 405, no-store and Vary from the route table (src/http/route-table.ts); preflights end here.
  .use(httpSurface())
  .use(
    secureHeaders({
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
      crossOriginResourcePolicy: "same-origin",
      referrerPolicy: "strict-origin-when-cross-origin",
    }),
  )
  .use(async (c, next) => (IMAGE_UPLOAD.test(c.req.path) ? imageLimit : jsonLimit)(c, next));

// Edge protection per route class, before any route: bot score (writes only), then rate limits.
protectRoutes(edge);

export const app = edge
  .route("/", health)
  .route("/", metrics)
  .route("/", webhooks)
  .route("/", dev)
  .route("/", outbox)
  .route("/", jwks)
  .route("/", docs)
  .route("/", media)
  // Pages for browsers (src/pages) and their bundled scripts and styles.
  .route("/", assets)
  .route("/", signInRoutes)
  .route("/", oidcRoutes)
  .route("/", ticketLinks)
  .route("/", receipts)
  .route("/", pages)
  .route(
    "/",
    pay((request, env, ctx) => dispatch(request, env, ctx)),
  )
  .route("/api/v1", api);

/** Lets a route hand a request to the whole app (the simulated pay page calls our own webhook). */
function dispatch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  return Promise.resolve(app.fetch(request, env, ctx));
}

app.notFound(notFound);

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  // Bad settings stop every request before its route; readiness is the one that must still answer (503).
  if (error instanceof SettingsError && c.req.path === "/readyz") return readinessResponse(c);
  if (isRoomUnavailable(error)) {
    c.get("log")?.("warn", "room unavailable", { message: error instanceof Error ? error.message : String(error) });
    return errorResponse(
      c,
      new ApiError(
        "OVERLOADED",
        "This event is very busy right now: nothing was changed, please retry.",
        {},
        {
          "retry-after": "1",
        },
      ),
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code =
      error.status === 413 ? "PAYLOAD_TOO_LARGE" : error.status === 401 ? "UNAUTHENTICATED" : "VALIDATION_FAILED";
    return errorResponse(c, new ApiError(code, error.message || "The request could not be processed."));
  }
  // Name and message only: a stack trace or a secret must never reach a client or a log line.
  const log = c.get("log");
  const detail = error instanceof Error ? { name: error.name, message: error.message } : { value: String(error) };
  if (log) log("error", "unhandled error", detail);
  return errorResponse(c, new ApiError("INTERNAL", "Something went wrong on our side. Please try again."));
});
