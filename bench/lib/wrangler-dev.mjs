// Starts and stops `wrangler dev` for benchmarks: a detached process group that is always killed
// as a whole, a bounded readiness poll, and discovery of the worker's own port behind the proxy.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { groupPids } from "./cpu.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export const quietEnv = () => ({
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
});

/**
 * A copy of wrangler.toml in `dir` with its paths made absolute: `wrangler dev` watches its config
 * and reloads (or dies, on a half-written file) when someone edits it during a run; a copy no one
 * edits keeps the run on the configuration it started with.
 */
export function snapshotConfig(dir) {
  const text = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^(\s*main\s*=\s*)"([^"]+)"/m, (_, key, path) => `${key}${JSON.stringify(resolve(ROOT, path))}`)
    .replace(
      /^(\s*migrations_dir\s*=\s*)"([^"]+)"/gm,
      (_, key, path) => `${key}${JSON.stringify(resolve(ROOT, path))}`,
    );
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, text);
  return path;
}

/** Runs a short wrangler command to completion (bounded) without blocking the event loop. */
export function wranglerAsync(args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: quietEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`wrangler ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${out}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answersHealthz(port, timeoutMs = 1_000) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return false;
    const body = await response.json();
    return body?.ok === true;
  } catch {
    return false;
  }
}

/** Listening TCP ports on 127.0.0.1 owned by `workerd` processes of the given pids (via `ss -ltnp`). */
function workerdPorts(pids) {
  const ss = spawnSync("ss", ["-ltnpH"], { encoding: "utf8" });
  if (ss.status !== 0) throw new Error(`ss -ltnp failed: ${ss.stderr || ss.error?.message}`);
  const ports = [];
  for (const line of ss.stdout.split("\n")) {
    const local = /\s(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):(\d+)\s/.exec(line);
    const owner = /\("workerd",pid=(\d+),/.exec(line);
    if (local && owner && pids.includes(Number(owner[1]))) ports.push(Number(local[2]));
  }
  return [...new Set(ports)];
}

/**
 * Starts `wrangler dev` in its own process group. Returns { port, workerPort, pgid, stop, stopSync,
 * logPath, alive, outputMark, outputSince }. `stop()` kills the whole group (SIGTERM, then SIGKILL)
 * and is safe to call more than once; `outputSince(outputMark())` is what wrangler printed since.
 */
export async function startWranglerDev({
  config = join(ROOT, "wrangler.toml"),
  script,
  persistTo,
  vars,
  envFile,
  logPath,
  readyTimeoutMs = 60_000,
}) {
  const port = await freePort();
  let inspectorPort = await freePort();
  while (inspectorPort === port) inspectorPort = await freePort();
  const args = [
    WRANGLER,
    "dev",
    // With an explicit script wrangler would look for its config next to that script.
    "--config",
    config,
    ...(script ? [script, "--no-bundle"] : []),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--log-level=warn",
    "--show-interactive-dev-session=false",
    ...(envFile ? ["--env-file", envFile] : []),
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: quietEnv(),
    detached: true, // setsid: a new process group we can kill as a whole
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  // The same output in memory (bounded), so that a caller can tell what was printed during a load.
  const MAX_OUTPUT = 4 * 1024 * 1024;
  let output = "";
  let dropped = 0;
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > MAX_OUTPUT) {
      dropped += output.length - MAX_OUTPUT / 2;
      output = output.slice(output.length - MAX_OUTPUT / 2);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const outputMark = () => dropped + output.length;
  const outputSince = (mark) => output.slice(Math.max(0, mark - dropped));
  const pgid = child.pid;
  let exited = false;
  let exitInfo = "";
  child.on("exit", (code, signal) => {
    exited = true;
    exitInfo = signal ?? `exit ${code}`;
  });

  let stopped = false;
  const killGroup = (signal) => {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false; // group already gone
    }
  };
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    killGroup("SIGKILL");
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (killGroup("SIGTERM")) {
      for (let i = 0; i < 30 && groupPids(pgid).length > 0; i++) await sleep(100);
      killGroup("SIGKILL");
    }
    log.end();
  };

  try {
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await answersHealthz(port))) {
      if (exited) throw new Error(`wrangler dev exited early (${exitInfo}); see ${logPath}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer /healthz within ${readyTimeoutMs} ms`);
      await sleep(200);
    }
    // The worker's own port: a workerd-owned loopback port of our group, other than the proxy's
    // port and the inspector, that answers /healthz with {"ok":true}.
    let workerPort;
    for (let attempt = 0; attempt < 20 && workerPort === undefined; attempt++) {
      const candidates = workerdPorts(groupPids(pgid)).filter((p) => p !== port && p !== inspectorPort);
      for (const candidate of candidates) {
        if (await answersHealthz(candidate, 500)) {
          workerPort = candidate;
          break;
        }
      }
      if (workerPort === undefined) await sleep(250);
    }
    if (workerPort === undefined) throw new Error("could not find the worker's own port (ss -ltnp)");
    return {
      port,
      workerPort,
      inspectorPort,
      pgid,
      stop,
      stopSync,
      logPath,
      alive: () => !exited,
      outputMark,
      outputSince,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
