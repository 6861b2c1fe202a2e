export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one JSON object per line, always with the request id; below `minimum` nothing. */
export function loggerFor(requestId: string, minimum: string | undefined = "info"): Logger {
  const floor = minimum === "silent" ? 100 : (RANK[minimum as LogLevel] ?? RANK.info);
  return (level, message, fields = {}) => {
    if (RANK[level] < floor) return;
    const line = JSON.stringify({ level, message, requestId, time: new Date().toISOString(), ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
