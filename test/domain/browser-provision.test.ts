import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findBrowser, provisionBrowser } from "../../scripts/browser.mjs";

/** `npm test`'s browser: CHROME_PATH wins, and a machine without one gets a message naming it. */
describe("the browser tests' Chromium (scripts/browser.mjs)", () => {
  const dir = mkdtempSync(join(os.tmpdir(), "browser-provision-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = () => {};

  it("is CHROME_PATH when that is an executable", () => {
    const chrome = join(dir, "chrome");
    writeFileSync(chrome, "#!/bin/sh\n");
    chmodSync(chrome, 0o755);
    expect(provisionBrowser({ env: { CHROME_PATH: chrome }, platform: "linux", log: quiet })).toBe(chrome);
    expect(findBrowser({ CHROME_PATH: chrome }, "linux")).toBe(chrome);
  });

  it("refuses a CHROME_PATH that is not an executable, naming it", () => {
    const notThere = join(dir, "missing-chrome");
    expect(() => provisionBrowser({ env: { CHROME_PATH: notThere }, platform: "linux", log: quiet })).toThrow(
      `CHROME_PATH=${notThere} is not an executable`,
    );
  });

  it("fails with what to do when nothing is installed and nothing can be", () => {
    // A platform with no known install locations and no apt-get: the last resort is the message.
    expect(findBrowser({}, "aix")).toBeUndefined();
    expect(() => provisionBrowser({ env: {}, platform: "aix", log: quiet })).toThrow(/set CHROME_PATH/);
  });
});
