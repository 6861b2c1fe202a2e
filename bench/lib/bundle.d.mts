// Types for bundle.mjs, for the TypeScript that imports it (bench/domain.ts).

export function bundleTs(contents: string, outfile: string): Promise<unknown>;
