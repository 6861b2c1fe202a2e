import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/errors";
import { pathParams } from "../http/validate";
import { clientAsset } from "./assets";

const AssetParam = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.(js|css|svg)$/, "must be an asset name") });

/**
 * The pages' scripts, stylesheet and icon, bundled by scripts/build-client.mjs into a module the
 * Worker imports. Served by the Worker rather than Workers static assets: an `[assets]` directory
 * in wrangler.toml is resolved next to the config file and must exist, which breaks every tool
 * that runs wrangler on a copied config (the benchmarks' bench/lib/wrangler-dev.mjs) or before a
 * build; a module is bundled wherever the Worker is (wrangler dev, deploy, vitest-pool-workers).
 * A URL with the content's `?v=` hash (or a content-named chunk) is cached for a year.
 */
export const assets = new Hono<AppEnv>().get("/assets/:file", pathParams(AssetParam), (c) => {
  const { file } = c.var.params;
  const asset = clientAsset(file);
  if (!asset) throw new ApiError("NOT_FOUND", "No such asset.");
  const etag = `"${asset.hash}"`;
  const immutable = c.req.query("v") === asset.hash || file.startsWith("chunk-");
  const headers = {
    "content-type": asset.type,
    etag,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
  };
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
  return c.body(asset.body, 200, headers);
});
