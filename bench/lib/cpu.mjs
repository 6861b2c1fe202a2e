// CPU accounting from /proc, to tell whether a measurement shared the machine with other work.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Fields after `pid (comm) ` of /proc/<pid>/stat; comm may hold spaces, so split after the last ')'. */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Process ids whose process group is `pgid`. */
export function groupPids(pgid) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[2]) === pgid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** user + system ticks of a process (fields 14 and 15 of /proc/<pid>/stat). */
function processTicks(pid) {
  try {
    const f = statFields(pid);
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Busy ticks of the whole machine, all cores (everything but idle and iowait). */
function machineBusyTicks() {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/**
 * A snapshot; `cpuSince(before, pgid)` turns two into cores used by the server (process group
 * `pgid`), by this process (the load generator) and by everything else on the machine.
 */
export function cpuSnapshot(pgid) {
  const server = groupPids(pgid).reduce((sum, pid) => sum + processTicks(pid), 0);
  return { at: Date.now(), busy: machineBusyTicks(), loadGen: processTicks(process.pid), server };
}

export function cpuSince(before, pgid) {
  const after = cpuSnapshot(pgid);
  const seconds = (after.at - before.at) / 1000;
  const cores = (ticks) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
  const loadGen = Math.max(0, after.loadGen - before.loadGen);
  const server = Math.max(0, after.server - before.server);
  const busy = Math.max(0, after.busy - before.busy);
  return {
    serverCores: cores(server),
    loadGenCores: cores(loadGen),
    otherCores: cores(Math.max(0, busy - server - loadGen)),
    machineCores: cores(busy),
  };
}
