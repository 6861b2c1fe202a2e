// One esbuild configuration for the benchmarks that run pieces of src/ in Node itself: Node cannot
// load the source tree as it is (extensionless imports, parameter properties), so the pieces are
// bundled into one ES module first.
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = new URL("../..", import.meta.url).pathname;

/**
 * Bundles `contents` (TypeScript; imports resolve from the repository root) into `outfile`, an ES
 * module for Node 22, and imports it.
 */
export async function bundleTs(contents, outfile) {
  await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    outfile,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}
