// Reads the SQLite files in which `wrangler dev --persist-to <dir>` keeps Durable Object storage:
// <dir>/v3/do/<script>-<Class>/<object id>.sqlite (plus -wal / -shm next to it while in use).
// Files are copied before they are opened, so the running workerd is never disturbed.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

/** Every Durable Object SQLite file under `persistTo`: { className, dir, file, path, bytes: {db, wal, shm, total} }. */
export function durableObjectFiles(persistTo) {
  const root = join(persistTo, "v3", "do");
  if (!existsSync(root)) return [];
  const files = [];
  for (const dir of readdirSync(root)) {
    const className = dir.slice(dir.lastIndexOf("-") + 1);
    for (const name of readdirSync(join(root, dir))) {
      if (!name.endsWith(".sqlite")) continue;
      const path = join(root, dir, name);
      const size = (p) => (existsSync(p) ? statSync(p).size : 0);
      const db = size(path);
      const wal = size(`${path}-wal`);
      const shm = size(`${path}-shm`);
      files.push({ className, dir, file: name, path, bytes: { db, wal, shm, total: db + wal + shm } });
    }
  }
  return files;
}

let nodeSqlite;
async function loadNodeSqlite() {
  if (nodeSqlite !== undefined) return nodeSqlite;
  try {
    // Node >= 22.13 has it without a flag (with an ExperimentalWarning); Node 20 does not.
    const emit = process.emitWarning;
    process.emitWarning = (warning, ...rest) =>
      String(warning).includes("SQLite") ? undefined : emit.call(process, warning, ...rest);
    try {
      nodeSqlite = await import("node:sqlite");
    } finally {
      process.emitWarning = emit;
    }
  } catch {
    nodeSqlite = null;
  }
  return nodeSqlite;
}

/**
 * Runs read-only `queries` ({ name: sql }) against a copy of the database at `path` (with its WAL).
 * Returns { name: rows[] } (a query on a missing table gives { error }). Uses node:sqlite, else
 * the sqlite3 command-line tool, else returns null.
 */
export async function queryCopy(path, queries) {
  const tmp = mkdtempSync(join(os.tmpdir(), "bench-do-"));
  try {
    const copy = join(tmp, "db.sqlite");
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const sqlite = await loadNodeSqlite();
    const out = {};
    if (sqlite) {
      const db = new sqlite.DatabaseSync(copy);
      try {
        for (const [name, sql] of Object.entries(queries)) {
          try {
            out[name] = db.prepare(sql).all();
          } catch (error) {
            out[name] = { error: error.message };
          }
        }
      } finally {
        db.close();
      }
      return out;
    }
    for (const [name, sql] of Object.entries(queries)) {
      const res = spawnSync("sqlite3", ["-json", copy, sql], { encoding: "utf8" });
      if (res.error) return null;
      if (res.status !== 0) out[name] = { error: res.stderr.trim() };
      else out[name] = res.stdout.trim() ? JSON.parse(res.stdout) : [];
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
