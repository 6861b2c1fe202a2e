// The Chromium the browser tests drive (test/browser), found or provisioned for `npm test`:
//   1. CHROME_PATH, when set (it must be an executable);
//   2. a Chromium or Chrome already installed in the usual places (Debian's /usr/bin/chromium first;
//      on macOS /Applications/Google Chrome.app or /Applications/Chromium.app);
//   3. on Linux, Debian's `chromium` package, installed with apt-get when we are root or have
//      password-less sudo (printing each command it runs);
//   4. otherwise a clear error that names CHROME_PATH.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const CANDIDATES = {
  linux: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"],
  darwin: [
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
  ],
};

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An installed browser, or undefined; no side effects. */
export function findBrowser(env = process.env, platform = process.platform) {
  if (env.CHROME_PATH) return env.CHROME_PATH;
  return (CANDIDATES[platform] ?? []).find(executable);
}

function run(log, command, args) {
  log(`browser tests: $ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

/** apt-get as root, or through sudo when it needs no password; null when neither is possible. */
function aptPrefix() {
  if (spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status !== 0) return null;
  if (process.getuid?.() === 0) return [];
  if (spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0) return ["sudo", "-n"];
  return null;
}

/**
 * The browser's path: found, or installed from Debian's `chromium` package when this machine allows
 * it. Throws an Error whose message says what to do when neither works.
 */
export function provisionBrowser({ env = process.env, platform = process.platform, log = console.log } = {}) {
  if (env.CHROME_PATH) {
    if (!executable(env.CHROME_PATH)) {
      throw new Error(`CHROME_PATH=${env.CHROME_PATH} is not an executable; point it at Chromium or Chrome.`);
    }
    return env.CHROME_PATH;
  }
  const found = findBrowser(env, platform);
  if (found) return found;
  const prefix = platform === "linux" ? aptPrefix() : null;
  if (prefix) {
    log("browser tests: no Chromium found; installing Debian's chromium package");
    const [command, ...rest] = [...prefix, "apt-get"];
    if (
      run(log, command, [...rest, "update"]) &&
      run(log, command, [...rest, "install", "-y", "--no-install-recommends", "chromium"])
    ) {
      const installed = findBrowser(env, platform);
      if (installed) return installed;
    }
  }
  throw new Error(
    [
      "The browser tests (test/browser) need Chromium or Chrome, and none was found.",
      platform === "darwin"
        ? "Install Google Chrome (or Chromium) in /Applications,"
        : "Install it (Debian/Ubuntu: `apt-get install chromium`; this script does so when run as root or with password-less sudo),",
      "or set CHROME_PATH to its executable, e.g. CHROME_PATH=/path/to/chrome npm test.",
    ].join("\n"),
  );
}
