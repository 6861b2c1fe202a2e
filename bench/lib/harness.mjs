// Shared plumbing for the wrangler-dev benchmarks (fanout, queue, and holds/edge in part):
// one `wrangler dev` on a bundle and a config copied at start, fresh state in a temp dir, the
// process group always killed (exit, signals, watchdog), machine facts and contention, API calls.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { SignJWT } from "jose";
import { cpuSince, cpuSnapshot } from "./cpu.mjs";
import { snapshotConfig, startWranglerDev, wranglerAsync } from "./wrangler-dev.mjs";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const RESULTS = join(ROOT, "bench/results");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const round = (x, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
export const num = (name, fallback) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && process.env[name] !== "" && Number.isFinite(value) && value >= 0
    ? value
    : fallback;
};

/** Nearest-rank percentile (p in 0..100) of unsorted numbers. */
/** An autocannon result's latency in the results' field names. */
export const latencyMs = (result) => ({
  p50Ms: result.latency.p50,
  p90Ms: result.latency.p90,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
});

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const logger =
  (name) =>
  (...args) =>
    console.log(`[bench:${name} ${new Date().toISOString().slice(11, 19)}]`, ...args);

// ------------------------------------------------------------------------------------ tokens

export function tokenSigner(secret) {
  const key = new TextEncoder().encode(secret);
  return async (sub, roles) =>
    `Bearer ${await new SignJWT({ roles })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime("2h")
      .sign(key)}`;
}

// ------------------------------------------------------------------------------------ API

export async function api(base, method, path, { token, body, headers = {}, timeoutMs = 30_000 } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: token } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** `sections`: [{ id, rows, seatsPerRow }]. */
export async function createVenue(base, token, name, sections) {
  const body = {
    name: `Bench ${name}`,
    city: "Berlin",
    country: "DE",
    timezone: "Europe/Berlin",
    sections: sections.map(({ id, rows, seatsPerRow }) => ({
      id,
      name: `Section ${id}`,
      kind: "seated",
      rows: Array.from({ length: rows }, (_, r) => ({ label: String(r + 1), seats: seatsPerRow })),
    })),
  };
  const size = JSON.stringify(body).length;
  if (size > 64 * 1024) throw new Error(`venue body for ${name} is ${size} bytes, over the 64 KiB limit`);
  const res = await api(base, "POST", "/api/v1/admin/venues", { token, body });
  if (res.status !== 201 || !res.json?.venueId) throw new Error(`create venue ${name}: ${res.status} ${res.text}`);
  return res.json.venueId;
}

/** An event on sale since an hour ago; `extra` is merged into the body (limits, waitingRoom...). */
export async function createEvent(base, token, venueId, sectionIds, title, extra = {}) {
  const now = Date.now();
  const body = {
    venueId,
    title,
    category: "concert",
    startsAt: new Date(now + 30 * 86_400_000).toISOString(),
    onSaleAt: new Date(now - 3_600_000).toISOString(),
    currency: "EUR",
    prices: Object.fromEntries(sectionIds.map((id) => [id, 5000])),
    holdSeconds: 600,
    publish: true,
    ...extra,
  };
  const res = await api(base, "POST", "/api/v1/admin/events", { token, body });
  if (res.status !== 201 || !res.json?.eventId) throw new Error(`create event ${title}: ${res.status} ${res.text}`);
  return res.json.eventId;
}

// ------------------------------------------------------------------------------------ machine

export function machine(packages = ["wrangler", "workerd"]) {
  const cpus = os.cpus();
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  };
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() || null;
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? null,
    cpus: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAvgAtStart: os.loadavg().map((x) => round(x, 2)),
    node: process.version,
    ...Object.fromEntries(packages.map((p) => [p, pkg(p)])),
    gitHead: git("rev-parse", "--short", "HEAD"),
    gitDirtyFiles: (git("status", "--porcelain", "src", "workers", "wrangler.toml") ?? "").split("\n").filter(Boolean)
      .length,
  };
}

/** workerd processes on this machine that are not ours: another `wrangler dev` competes for the CPU. */
export function foreignWorkerd(ourPgid) {
  const ps = spawnSync("ps", ["-eo", "pid=,pgid=,comm="], { encoding: "utf8" });
  return (ps.stdout ?? "")
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([, pgid, comm]) => comm === "workerd" && Number(pgid) !== ourPgid).length;
}

/** Waits (bounded) until other processes use at most `threshold` cores, sampled over 1 s windows. */
export async function waitForQuiet(pgid, { threshold, maxSeconds }) {
  const started = Date.now();
  let otherCores = 0;
  do {
    const before = cpuSnapshot(pgid);
    await sleep(1000);
    otherCores = cpuSince(before, pgid).otherCores;
    if (otherCores <= threshold) break;
  } while (Date.now() - started < maxSeconds * 1000);
  return { quiet: otherCores <= threshold, otherCores, waitedSeconds: round((Date.now() - started) / 1000) };
}

/** Non-empty lines wrangler printed, ANSI colours stripped: how many, and the distinct ones (a few). */
export function outputSummary(text) {
  const lines = stripVTControlCharacters(text)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const counts = new Map();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return {
    lines: lines.length,
    distinct: [...counts].slice(0, 8).map(([line, count]) => ({ count, line: line.slice(0, 300) })),
    all: lines,
  };
}

/**
 * What wrangler printed since `mark` that is not the expected noise: workerd logs "Network
 * connection lost." for requests whose client went away (autocannon's cut connections at the end
 * of a run, closed sockets), and "Logs were written" on exit.
 */
export function unexpectedOutput(server, mark) {
  const { all } = outputSummary(server.outputSince(mark));
  const expected = (l) => l.includes("Network connection lost") || l.includes("Logs were written");
  return {
    disconnects: all.filter((l) => l.includes("Network connection lost")).length,
    other: [...new Set(all.filter((l) => !expected(l)))].slice(0, 10),
  };
}

// ------------------------------------------------------------------------------------ load

/**
 * What each autocannon connection was answered, and the codes of the requests that failed: pass
 * `setupClient` in autocannon's options and the instance to `watch`.
 */
export function connectionTally() {
  const answers = new Map();
  const errorCodes = {};
  return {
    errorCodes,
    setupClient: (client) => {
      answers.set(client, 0);
      client.on("response", () => answers.set(client, answers.get(client) + 1));
    },
    watch: (instance) =>
      instance.on("reqError", (error) => {
        const code = error?.code ?? error?.message ?? String(error);
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      }),
    /** Whether every connection was served, or some starved. */
    perConnection: () => {
      const answered = [...answers.values()].sort((a, b) => a - b);
      return {
        clients: answered.length,
        unanswered: answered.filter((n) => n === 0).length,
        min: answered[0] ?? 0,
        median: answered[answered.length >> 1] ?? 0,
        max: answered.at(-1) ?? 0,
      };
    },
  };
}

/** The machine facts taken at start, with the load average at the end and `extra`. */
export const machineAtEnd = (info, extra = {}) => ({
  ...info,
  loadAvgAtEnd: os.loadavg().map((x) => round(x, 2)),
  ...extra,
});

// ------------------------------------------------------------------------------------ summary

/** Cores used by the server, the load generator and other processes, as the summaries print them. */
export const cores = (cpu) => (cpu ? `${cpu.serverCores}/${cpu.loadGenCores}/${cpu.otherCores}` : "n/a");

/** The end of a console summary: other workerd processes, warnings, contention, where the results are. */
export function summaryFooter(name, r) {
  if (r.machine.otherWorkerdProcesses) {
    console.log(`note: ${r.machine.otherWorkerdProcesses} other workerd processes were running on this machine`);
  }
  if (r.warnings?.length) console.log(`warnings:\n  ${r.warnings.join("\n  ")}`);
  if (r.contention.length) {
    console.log(
      `WARNING: the machine was busy with other work; figures are unreliable:\n  ${r.contention.join("\n  ")}`,
    );
  }
  console.log(`written bench/results/${name}.json (${r.elapsedSeconds} s)`);
}

// ------------------------------------------------------------------------------------ server

/**
 * Runs `body({ server, tmp, persistTo, logPath, secret, tokenSecret, keepTmp })` against a fresh
 * `wrangler dev` (bundle and config snapshot in a temp dir, D1 migrated, benchmark vars). Always
 * kills the process group: on return, throw, SIGINT/SIGTERM, exit, and after `watchdogMs`. On a
 * throw or a returned `{ failed: true }` the wrangler output is copied to bench/results/<name>-wrangler.log.
 */
export async function withWranglerDev({ name, watchdogMs, vars = {} }, body) {
  const log = logger(name);
  const tmp = mkdtempSync(join(os.tmpdir(), `bench-${name}-`));
  const persistTo = join(tmp, "state");
  const envFile = join(tmp, "bench.env"); // keeps the developer's .dev.vars out of the run
  writeFileSync(envFile, "");
  const logPath = join(tmp, "wrangler.log");
  const wranglerLogCopy = join(RESULTS, `${name}-wrangler.log`);
  const secret = randomBytes(24).toString("hex");
  const tokenSecret = randomBytes(24).toString("hex");
  let server;
  let keepTmp = false;

  const watchdog = setTimeout(() => {
    console.error(`[bench:${name}] watchdog: still running after ${watchdogMs / 1000} s; stopping`);
    server?.stopSync();
    try {
      mkdirSync(RESULTS, { recursive: true });
      copyFileSync(logPath, wranglerLogCopy);
    } catch {}
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  const onSignal = (signal) => {
    console.error(`[bench:${name}] ${signal}: stopping wrangler dev`);
    server?.stopSync();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => server?.stopSync());

  try {
    log(`setup in ${tmp}: bundle snapshot, migrations`);
    const config = snapshotConfig(tmp);
    await Promise.all([
      wranglerAsync(["deploy", "--dry-run", "--config", config, "--outdir", join(tmp, "dist")], { timeoutMs: 60_000 }),
      wranglerAsync(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", persistTo], {
        timeoutMs: 60_000,
      }),
    ]);
    server = await startWranglerDev({
      config,
      script: join(tmp, "dist/edge.js"),
      persistTo,
      envFile,
      logPath,
      vars: {
        AUTH_SECRET: secret,
        AUTH_JWKS_URL: "",
        TOKEN_SECRET: tokenSecret,
        RATE_LIMIT_MODE: "off",
        BOT_CHALLENGE: "off",
        LOG_REQUESTS: "off",
        BENCH_ROUTES: "on",
        ENVIRONMENT: "development",
        ...vars,
      },
    });
    const outcome = await body({ server, tmp, persistTo, logPath, secret, tokenSecret });
    if (outcome?.failed) {
      keepTmp = true;
      mkdirSync(RESULTS, { recursive: true });
      copyFileSync(logPath, wranglerLogCopy);
      console.error(`wrangler output: bench/results/${name}-wrangler.log`);
    } else {
      rmSync(wranglerLogCopy, { force: true });
    }
    return outcome;
  } catch (error) {
    keepTmp = true;
    console.error(`[bench:${name}] failed: ${error?.stack ?? error}`);
    try {
      mkdirSync(RESULTS, { recursive: true });
      copyFileSync(logPath, wranglerLogCopy);
      const tail = readFileSync(logPath, "utf8").split("\n").slice(-40).join("\n");
      if (tail.trim())
        console.error(`--- wrangler dev output (last 40 lines, bench/results/${name}-wrangler.log) ---\n${tail}`);
    } catch {}
    process.exitCode = 1;
    return { failed: true, error };
  } finally {
    await server?.stop();
    clearTimeout(watchdog);
    if (!keepTmp) rmSync(tmp, { recursive: true, force: true });
  }
}
