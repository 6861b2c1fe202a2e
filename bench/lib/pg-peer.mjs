// The Postgres peer (../shared/pg-peer, or PEER_DIR) copied to a temp dir with its packages, and
// its load generator (load.mjs), which bench:peer and bench:profile drive both sides with.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "./harness.mjs";

export const PEER = join(os.tmpdir(), "bench-pg-peer");
const SOURCE = resolve(process.env.PEER_DIR ?? join(ROOT, "../shared/pg-peer"));
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function peerRun(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: PEER, encoding: "utf8", ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Copies the peer (its code, never into this repository) and installs its packages once. */
export function preparePeer() {
  if (!existsSync(join(SOURCE, "server.mjs"))) throw new Error(`no peer at ${SOURCE} (set PEER_DIR)`);
  cpSync(SOURCE, PEER, { recursive: true, filter: (p) => !p.includes("node_modules") });
  if (!existsSync(join(PEER, "node_modules/pg"))) peerRun("npm", ["ci", "--no-audit", "--no-fund"]);
}

/** One load with the peer's generator on `map` ({sections, rows, seatsPerRow}); resolves to its JSON line. */
export function generate(url, secret, map, { seconds, connections }) {
  return new Promise((done, reject) => {
    const sections = [...LETTERS.slice(0, map.sections)].join(",");
    const args = [url, secret, seconds, connections, sections, map.rows, map.seatsPerRow].map(String);
    const child = spawn(process.execPath, [join(PEER, "load.mjs"), ...args], {
      cwd: PEER,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        done(JSON.parse(out.trim().split("\n").pop()));
      } catch (error) {
        reject(new Error(`load.mjs: ${error.message}: ${out.slice(-500)}`));
      }
    });
  });
}
