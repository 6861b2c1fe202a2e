import { CLIENT_ASSETS } from "./client-assets.gen.js";

/** The URL a page loads a client bundle from: versioned by content, so it may be cached for good. */
export function assetUrl(name: string): string {
  const asset = CLIENT_ASSETS[name];
  if (!asset) throw new Error(`no client asset ${name}: run npm run build:client`);
  return `/assets/${name}?v=${asset.hash}`;
}

export function clientAsset(name: string) {
  return Object.hasOwn(CLIENT_ASSETS, name) ? CLIENT_ASSETS[name] : undefined;
}
