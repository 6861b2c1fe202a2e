#!/usr/bin/env node
// `npm test`: every test project (domain in Node, workers in workerd), then one plain summary
// line ("N passed, N failed") that CI and humans can read without knowing vitest's format.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { provisionBrowser } from "./browser.mjs";

const args = process.argv.slice(2);
/** `--project x` / `--project=x` values; none means every project, the browser's included. */
const projects = args.flatMap((arg, i) =>
  arg === "--project" ? [args[i + 1]] : arg.startsWith("--project=") ? [arg.slice("--project=".length)] : [],
);
if (projects.length === 0 || projects.includes("browser")) {
  // The browser tests drive a Chromium on this machine: find it, or install Debian's, before the
  // ~4 minutes of other tests rather than after them. The global setup receives it as CHROME_PATH.
  try {
    process.env.CHROME_PATH = provisionBrowser();
    console.log(`browser tests: ${process.env.CHROME_PATH}`);
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : error}\n\n0 passed, 1 failed`);
    process.exit(1);
  }
}

mkdirSync("test-results", { recursive: true });
const report = "test-results/vitest.json";
const run = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
  {
    stdio: "inherit",
    // node_modules/.bin first, so that `node scripts/test.mjs` works as `npm test` does.
    env: {
      ...process.env,
      PATH: `${join(process.cwd(), "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
      VITE_CONFIG_NATIVE_IGNORE_WARNING: "true",
    },
  },
);
if (run.error) console.error(`could not start vitest: ${run.error.message}`);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, "utf8"));
  passed = results.numPassedTests ?? 0;
  failed = (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0);
}
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(passed === 0 ? 1 : status);
