import { Hono } from "hono";
import { SuggestQuery } from "../../contract/requests";
import { searchEvents, suggest } from "../../db/catalog-search";
import { database } from "../../db/client";
import { findEventBundle } from "../../db/events";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { edgeCache } from "../middleware/edge-cache";
import { CatalogQuery, EventIdParam } from "../schemas";
import { pathParams, queryParams } from "../validate";
import { eventView } from "../views";

const CATALOG_TTL_SECONDS = 10;

export const catalog = new Hono<AppEnv>()
  .get("/events", queryParams(CatalogQuery), edgeCache({ sMaxAge: CATALOG_TTL_SECONDS }), async (c) => {
    const query = c.var.query;
    const { bundles, total, facets, distances } = await searchEvents(database(c.env.DB), query);
    const now = Date.now();
    return c.json({
      data: bundles.map((b) => {
        const km = distances.get(b.event.id);
        return km === undefined ? eventView(b, now) : { ...eventView(b, now), distanceKm: km };
      }),
      meta: { total, page: query.page, limit: query.limit, facets },
    });
  })

  .get("/search/suggest", queryParams(SuggestQuery), edgeCache({ sMaxAge: CATALOG_TTL_SECONDS }), async (c) =>
    c.json({ data: await suggest(database(c.env.DB), c.var.query) }),
  )

  .get("/events/:eventId", pathParams(EventIdParam), edgeCache({ sMaxAge: CATALOG_TTL_SECONDS }), async (c) => {
    const bundle = await findEventBundle(database(c.env.DB), c.var.params.eventId);
    if (!bundle || bundle.event.state === "draft") throw new ApiError("NOT_FOUND", "No such event.");
    return c.json(eventView(bundle, Date.now()));
  });
