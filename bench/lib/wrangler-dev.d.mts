// Types for wrangler-dev.mjs, for the TypeScript that imports it (the browser tests' setup).

export interface WranglerDev {
  port: number;
  workerPort: number;
  inspectorPort: number;
  pgid: number;
  stop(): Promise<void>;
  stopSync(): void;
  logPath: string;
  alive(): boolean;
  outputMark(): number;
  outputSince(mark: number): string;
}

export function quietEnv(): NodeJS.ProcessEnv;
export function snapshotConfig(dir: string): string;
export function wranglerAsync(args: string[], options?: { timeoutMs?: number }): Promise<string>;
export function freePort(): Promise<number>;
export function startWranglerDev(options: {
  config?: string;
  script?: string;
  persistTo: string;
  vars: Record<string, string>;
  envFile?: string;
  logPath: string;
  readyTimeoutMs?: number;
}): Promise<WranglerDev>;
