// bench:fanout's subscribers: live seat-map sockets that keep every message, and the check that
// each one's map (snapshot + deltas, applied in order) equals GET .../seats.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { api, round, sleep } from "./harness.mjs";

export const OPEN_BATCH = 50;
const OPEN_TIMEOUT_MS = 20_000;

// ------------------------------------------------------------------------------------ subscribers

/**
 * Opens `count` subscribers in batches of OPEN_BATCH, each counted as open once its first message
 * (the snapshot) has arrived. Every message is kept with its arrival time for the convergence
 * check; `watch` (set per hold) is told about each one as it arrives.
 */
export async function openSubscribers(url, count, deflate) {
  const group = { subs: [], failures: [], watch: undefined };
  const openOne = (index) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { perMessageDeflate: deflate, handshakeTimeout: OPEN_TIMEOUT_MS });
      const sub = { index, ws, messages: [], closed: false };
      const timer = setTimeout(() => {
        ws.terminate();
        resolve({ error: "no snapshot within timeout" });
      }, OPEN_TIMEOUT_MS);
      ws.on("message", (data, isBinary) => {
        const at = performance.now();
        sub.messages.push([at, data, isBinary]);
        if (sub.messages.length === 1) {
          clearTimeout(timer);
          resolve({ sub });
        } else if (group.watch) {
          group.watch(sub, at, data);
        }
      });
      ws.on("error", (error) => {
        clearTimeout(timer);
        resolve({ error: error?.message ?? String(error) });
      });
      ws.on("close", () => {
        sub.closed = true;
        clearTimeout(timer);
        resolve({ error: "closed before the snapshot" });
      });
    });
  const started = performance.now();
  for (let start = 0; start < count; start += OPEN_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + OPEN_BATCH); i++) batch.push(openOne(i));
    for (const outcome of await Promise.all(batch)) {
      if (outcome.sub) group.subs.push(outcome.sub);
      else group.failures.push(outcome.error);
    }
  }
  group.openSeconds = round((performance.now() - started) / 1000, 2);
  // The first message must be a snapshot; the socket index is its place in `subs` from here on.
  group.subs.forEach((sub, i) => {
    sub.index = i;
  });
  group.snapshots = group.subs.filter((s) => parse(s.messages[0][1])?.type === "snapshot").length;
  group.extensions = group.subs[0]?.ws.extensions ?? "";
  return group;
}

export async function closeSubscribers(group) {
  for (const sub of group.subs) {
    try {
      sub.ws.close(1000, "bench done");
    } catch {}
  }
  for (let i = 0; i < 30 && group.subs.some((s) => !s.closed); i++) await sleep(100);
  for (const sub of group.subs) if (!sub.closed) sub.ws.terminate();
}

function parse(buffer) {
  try {
    return JSON.parse(buffer.toString());
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------ convergence

/** Applies each subscriber's snapshot and deltas in order and compares with GET .../seats. */
export async function converge(base, token, eventId, group) {
  const res = await api(base, "GET", `/api/v1/events/${eventId}/seats`, { token, timeoutMs: 30_000 });
  if (res.status !== 200) throw new Error(`GET seats: ${res.status} ${res.text.slice(0, 300)}`);
  const truth = { version: res.json.version, seats: new Map(), sections: new Map() };
  for (const section of res.json.sections) {
    truth.sections.set(section.id, section.available);
    for (const seat of section.seats ?? []) truth.seats.set(seat.id, seat.status);
  }
  const problems = { versionMismatch: 0, seatMismatch: 0, sectionMismatch: 0, gaps: 0, errors: 0, unparsed: 0 };
  let samples = [];
  let deltas = 0;
  let converged = 0;
  for (const sub of group.subs) {
    let seats;
    let sections;
    let version;
    let gap = false;
    for (const [, data, isBinary] of sub.messages) {
      const msg = isBinary ? undefined : parse(data);
      if (!msg) {
        problems.unparsed++;
        continue;
      }
      if (msg.type === "snapshot") {
        seats = new Map();
        sections = new Map();
        version = msg.version;
        for (const section of msg.sections) {
          sections.set(section.id, section.available);
          for (const seat of section.seats ?? []) seats.set(seat.id, seat.status);
        }
      } else if (msg.type === "delta") {
        deltas++;
        if (!seats || msg.version <= version) continue; // already applied
        if (msg.from !== version + 1) gap = true;
        for (const seat of msg.seats) seats.set(seat.id, seat.status);
        for (const section of msg.sections) sections.set(section.id, section.available);
        version = msg.version;
      } else if (msg.type === "error") {
        problems.errors++;
        if (samples.length < 5) samples.push({ subscriber: sub.index, error: msg });
      }
    }
    if (gap) problems.gaps++;
    let ok = !gap && seats !== undefined;
    if (version !== truth.version) {
      problems.versionMismatch++;
      ok = false;
    }
    const seatDiff = seats ? [...truth.seats].filter(([id, status]) => seats.get(id) !== status) : [];
    if (!seats || seatDiff.length || seats.size !== truth.seats.size) {
      problems.seatMismatch++;
      ok = false;
    }
    const sectionDiff = sections ? [...truth.sections].filter(([id, available]) => sections.get(id) !== available) : [];
    if (!sections || sectionDiff.length) {
      problems.sectionMismatch++;
      ok = false;
    }
    if (ok) converged++;
    else if (samples.length < 5) {
      samples.push({ subscriber: sub.index, version, gap, seatDiff: seatDiff.slice(0, 5), sectionDiff });
    }
  }
  samples = samples.slice(0, 5);
  const held = [...truth.seats.values()].filter((s) => s === "held").length;
  return {
    subscribers: group.subs.length,
    converged,
    truthVersion: truth.version,
    heldSeats: held,
    deltasReceived: deltas,
    ...problems,
    ...(samples.length ? { samples } : {}),
    ok: converged === group.subs.length,
  };
}
