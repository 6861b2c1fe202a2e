/** The browser bundles, written by scripts/build-client.mjs into client-assets.gen.js (not committed). */
export declare const CLIENT_ASSETS: Record<string, { type: string; hash: string; body: string }>;
