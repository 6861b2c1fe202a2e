export type LogLevel = "debug" | "info" | "warn" | "error";

/** The ids every line of one request carries, across the edge and the queue consumer. */
export interface LogContext {
  requestId: string;
  /** The W3C trace id (32 lowercase hex): the incoming `traceparent`'s, else one of our own. */
  traceId?: string;
}

export type Logger = ((level: LogLevel, message: string, fields?: Record<string, unknown>) => void) & {
  /** Present on loggers made by loggerFor: what work done for this request (a queued message) carries on. */
  readonly context?: LogContext;
};

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one JSON object per line, always with the request id (and trace id); below `minimum` nothing. */
export function loggerFor(requestId: string, minimum: string | undefined = "info", traceId?: string): Logger {
  const floor = minimum === "silent" ? 100 : (RANK[minimum as LogLevel] ?? RANK.info);
  const ids = traceId ? { requestId, traceId } : { requestId };
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (RANK[level] < floor) return;
    const line = JSON.stringify({ level, message, ...ids, time: new Date().toISOString(), ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return Object.assign(log, { context: ids });
}

// ---------------------------------------------------------------- W3C Trace Context

export interface TraceParent {
  traceId: string;
  parentId: string;
  flags: string;
}

/** version-traceid-parentid-flags; a later version may append fields, version ff is invalid. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** A well-formed `traceparent` header (W3C Trace Context), else undefined (it is then ignored). */
export function parseTraceparent(header: string | undefined | null): TraceParent | undefined {
  if (!header || header.length > 512) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

/** A fresh trace id for a request that came without a `traceparent`. */
export const newTraceId = (): string => hex(16);

/** The `traceparent` this hop sends on: the same trace, our own span id, the caller's flags. */
export const traceparentFor = (traceId: string, flags = "01"): string => `00-${traceId}-${hex(8)}-${flags}`;
