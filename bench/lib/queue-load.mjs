// bench:queue's loads: joins or polls of the waiting room through autocannon, with what each
// connection was answered and what wrangler printed meanwhile.
import autocannon from "autocannon";
import { cpuSince, cpuSnapshot } from "./cpu.mjs";
import { connectionTally, latencyMs, round, sleep, unexpectedOutput } from "./harness.mjs";

// ------------------------------------------------------------------------------------ load

/**
 * One autocannon run of joins or polls. `amount` (joins only) replaces the duration, bounded by
 * `capSeconds`. Joins keep up to `tokenPool` queue tokens in `pool`; polls send tokens from it.
 */
export async function loadQueue({
  kind,
  server,
  port,
  eventId,
  seconds,
  amount,
  capSeconds,
  pool,
  connections,
  tokenPool,
}) {
  const path = `/api/v1/events/${eventId}/queue`;
  const statuses = {};
  const states = {};
  const samples = {};
  let next = 0;
  const sample = (status, body) => {
    samples[status] ??= [];
    if (samples[status].length < 3) samples[status].push(String(body).slice(0, 300));
  };
  const onResponse = (status, body) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    const expected = kind === "join" ? 201 : 200;
    if (status !== expected) {
      sample(status, body);
      return;
    }
    try {
      const answer = JSON.parse(body);
      states[answer.state] = (states[answer.state] ?? 0) + 1;
      if (kind === "join" && pool.length < tokenPool) pool.push(`Bearer ${answer.queueToken}`);
    } catch {
      sample(`unparsed${status}`, body);
    }
  };
  const setupRequest =
    kind === "poll"
      ? (req) => {
          req.headers.authorization = pool[next++ % pool.length];
          return req;
        }
      : undefined;
  const mark = server.outputMark();
  const before = cpuSnapshot(server.pgid);
  const tally = connectionTally();
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    timeout: 10,
    requests: [
      { method: kind === "join" ? "POST" : "GET", path, ...(setupRequest ? { setupRequest } : {}), onResponse },
    ],
    setupClient: tally.setupClient,
  });
  tally.watch(instance);
  const cap = capSeconds ? setTimeout(() => instance.stop(), capSeconds * 1000) : undefined;
  const result = await instance;
  clearTimeout(cap);
  const cpu = cpuSince(before, server.pgid);
  await sleep(300); // let workerd print what the cut connections caused
  const output = unexpectedOutput(server, mark);
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const ok = statuses[kind === "join" ? 201 : 200] ?? 0;
  return {
    kind,
    port,
    seconds: result.duration,
    connections,
    responses,
    ok,
    okPerSec: round(ok / result.duration),
    responsesPerSec: round(responses / result.duration),
    ...latencyMs(result),
    statusCounts: statuses,
    states,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(Object.keys(tally.errorCodes).length ? { errorCodes: tally.errorCodes } : {}),
    ...(Object.keys(samples).length ? { unexpectedBodies: samples } : {}),
    perConnection: tally.perConnection(),
    cpu,
    serverOutput: output,
  };
}
