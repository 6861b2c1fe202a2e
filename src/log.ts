export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Writes one JSON object per line, always with the request id. */
export function loggerFor(requestId: string): Logger {
  return (level, message, fields = {}) => {
    const line = JSON.stringify({ level, message, requestId, time: new Date().toISOString(), ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
