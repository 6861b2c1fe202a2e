/** Types for scripts/browser.mjs (the browser tests' Chromium, found or provisioned). */
export function findBrowser(env?: Record<string, string | undefined>, platform?: NodeJS.Platform): string | undefined;
export function provisionBrowser(options?: {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  log?: (line: string) => void;
}): string;
