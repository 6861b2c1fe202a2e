import { describe, expect, it } from "vitest";
import { logLevelFrom, settingsFrom } from "../../src/config";

const envOf = (vars: Record<string, string>) => vars as Partial<Env> as Env;

describe("logLevelFrom (loggers made outside a request: queue consumer, cron, notices)", () => {
  it("is the settings' level when the settings are good", () => {
    expect(logLevelFrom(envOf({ LOG_LEVEL: "warn" }))).toBe("warn");
    expect(logLevelFrom(envOf({}))).toBe("info");
  });

  it("still reads LOG_LEVEL when another setting is bad, so that the bad setting can be logged", () => {
    const env = envOf({ LOG_LEVEL: "error", QUEUE_SHARDS: "lots" });
    expect(() => settingsFrom(env)).toThrow(/QUEUE_SHARDS/);
    expect(logLevelFrom(env)).toBe("error");
  });

  it("falls back to info when LOG_LEVEL itself is bad", () => {
    expect(logLevelFrom(envOf({ LOG_LEVEL: "loud" }))).toBe("info");
  });
});
