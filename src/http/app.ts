import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context";
import { ApiError, errorResponse } from "./errors";
import { requestContext } from "./middleware/request-context";
import { openApiDocument } from "./openapi";
import { admin } from "./routes/admin";
import { bench } from "./routes/bench";
import { catalog } from "./routes/catalog";
import { dev } from "./routes/dev";
import { health } from "./routes/health";
import { holds } from "./routes/holds";
import { live } from "./routes/live";
import { myTickets, orders } from "./routes/orders";
import { pay } from "./routes/pay";
import { webhooks } from "./routes/webhooks";

export const MAX_BODY_BYTES = 64 * 1024;

const api = new Hono<AppEnv>()
  .route("/", catalog)
  .route("/", holds)
  .route("/", live)
  .route("/", admin)
  .route("/", orders)
  .route("/", myTickets)
  .route("/", bench)
  .get("/openapi.json", (c) => c.json(openApiDocument()));

export const app = new Hono<AppEnv>()
  .use(requestContext())
  .use(
    secureHeaders({
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
      crossOriginResourcePolicy: "same-origin",
      referrerPolicy: "strict-origin-when-cross-origin",
    }),
  )
  .use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `The request body must be at most ${MAX_BODY_BYTES} bytes.`, {
          limit: MAX_BODY_BYTES,
        });
      },
    }),
  )
  .route("/", health)
  .route("/", webhooks)
  .route("/", dev)
  .route("/", pay((request, env, ctx) => dispatch(request, env, ctx)))
  .route("/api/v1", api);

/** Lets a route hand a request to the whole app (the simulated pay page calls our own webhook). */
function dispatch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  return Promise.resolve(app.fetch(request, env, ctx));
}

app.notFound((c) => errorResponse(c, new ApiError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`)));

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
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
