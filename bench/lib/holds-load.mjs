// bench:holds' loads: two adjacent random seats per request through autocannon (holds, or the
// no-op ceiling), and the check for oversold seats against the 201 bodies and GET .../seats.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { cpuSince, cpuSnapshot } from "./cpu.mjs";
import { api, connectionTally, latencyMs, outputSummary, round } from "./harness.mjs";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const sectionIds = (map) => [...LETTERS.slice(0, map.sections)];
export const seatCount = (map) => map.sections * map.rows * map.seatsPerRow;

// ------------------------------------------------------------------------------------ load

let keyCounter = 0;
const keyPrefix = randomBytes(6).toString("hex");

/** One autocannon run: `kind` "holds" or "ping", same bodies, tokens and keys for both. */
export async function loadHolds({ kind, port, eventId, map, users, seconds, server, connections }) {
  const pgid = server.pgid;
  const ids = sectionIds(map);
  const path = kind === "ping" ? `/api/v1/bench/events/${eventId}/ping` : `/api/v1/events/${eventId}/holds`;
  const statuses = {};
  const samples = {};
  const seats201 = [];
  const setupRequest = (req) => {
    const section = ids[(Math.random() * ids.length) | 0];
    const row = 1 + ((Math.random() * map.rows) | 0);
    const n = 1 + ((Math.random() * (map.seatsPerRow - 1)) | 0);
    req.headers["content-type"] = "application/json";
    req.headers.authorization = users[(Math.random() * users.length) | 0];
    req.headers["idempotency-key"] = `${keyPrefix}-${++keyCounter}`;
    req.body = `{"seatIds":["${section}-${row}-${n}","${section}-${row}-${n + 1}"]}`;
    return req;
  };
  const sample = (label, body) => {
    if (!samples[label]) samples[label] = [];
    if (samples[label].length < 3) samples[label].push(String(body).slice(0, 500));
  };
  const onResponse = (status, body) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 201) {
      if (kind !== "holds") return;
      try {
        for (const item of JSON.parse(body).items) if (item.seatId) seats201.push(item.seatId);
      } catch {
        sample("unparsed201", body);
      }
    } else if (status !== 409 && status !== 422) {
      sample(status, body);
    }
  };
  const mark = server.outputMark();
  const cpuBefore = cpuSnapshot(pgid);
  const tally = connectionTally();
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{ method: "POST", path, setupRequest, onResponse }],
    setupClient: tally.setupClient,
  });
  tally.watch(instance);
  const result = await instance;
  const cpu = cpuSince(cpuBefore, pgid);
  // What wrangler printed while the load ran, and what it printed once autocannon had cut its
  // connections: workerd logs "Uncaught Error: Network connection lost." for every request still in
  // flight when its client goes away (even /healthz does it), so those are expected after a run.
  const endMark = server.outputMark();
  for (let waited = 0, quietFor = 0, last = endMark; waited < 2000 && quietFor < 300; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    const now = server.outputMark();
    quietFor = now === last ? quietFor + 100 : 0;
    last = now;
  }
  const during = outputSummary(server.outputSince(mark).slice(0, endMark - mark));
  const after = outputSummary(server.outputSince(endMark));
  const disconnectLines = after.all.filter((l) => l.includes("Network connection lost")).length;
  const otherAfter = after.all.filter(
    (l) => !l.includes("Network connection lost") && !l.includes("Logs were written"),
  );
  const serverOutput = {
    duringRun: during.lines ? { lines: during.lines, distinct: during.distinct } : undefined,
    afterStop: { disconnectErrors: disconnectLines, other: otherAfter.slice(0, 5) },
  };
  const count = (s) => statuses[s] ?? 0;
  const decisions = kind === "ping" ? count(201) : count(201) + count(409);
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    kind,
    port,
    eventId,
    seconds: result.duration,
    connections,
    responses: total,
    decisions,
    decisionsPerSec: round(decisions / result.duration),
    responsesPerSec: round(total / result.duration),
    ...latencyMs(result),
    meanMs: round(result.latency.average, 2),
    statusCounts: statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(Object.keys(tally.errorCodes).length ? { errorCodes: tally.errorCodes } : {}),
    perConnection: tally.perConnection(),
    cpu,
    serverOutput,
    ...(Object.keys(samples).length ? { unexpectedBodies: samples } : {}),
    seats201,
  };
}

// ------------------------------------------------------------------------------------ verify

/** `unanswered`: requests that may have been decided without us seeing the answer (in flight at stop, timed out). */
export async function verify(base, token, eventId, map, seats201, unanswered) {
  const seen = new Set();
  const duplicates = new Set();
  for (const id of seats201) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  const status = new Map();
  let version;
  for (const section of sectionIds(map)) {
    // With a user token the read goes to the room, never to the edge's (<= 1 s old) cached copy.
    const url = `/api/v1/events/${eventId}/seats?section=${section}`;
    const res = await api(base, "GET", url, { token, timeoutMs: 60_000 });
    if (res.status !== 200) throw new Error(`GET seats ${section}: ${res.status} ${res.text.slice(0, 300)}`);
    version = res.json.version;
    for (const s of res.json.sections) for (const seat of s.seats ?? []) status.set(seat.id, seat.status);
  }
  const counts = {};
  for (const st of status.values()) counts[st] = (counts[st] ?? 0) + 1;
  const notHeld = [...seen].filter((id) => status.get(id) !== "held");
  const heldSeats = counts.held ?? 0;
  const heldUnseen = heldSeats - seen.size; // holds whose 201 arrived after the run stopped
  const oversold = duplicates.size;
  return {
    seatsIn201: seats201.length,
    distinctSeatsIn201: seen.size,
    heldSeats,
    seatStatusCounts: counts,
    mapSeats: status.size,
    heldWithout201: heldUnseen,
    heldWithout201Bound: 2 * unanswered,
    seatsIn201NotHeld: notHeld.length,
    ...(notHeld.length ? { seatsIn201NotHeldSample: notHeld.slice(0, 10) } : {}),
    oversold,
    ...(oversold ? { oversoldSample: [...duplicates].slice(0, 10) } : {}),
    version,
    ok:
      oversold === 0 &&
      notHeld.length === 0 &&
      status.size === seatCount(map) &&
      heldUnseen >= 0 &&
      heldUnseen <= 2 * unanswered,
  };
}
