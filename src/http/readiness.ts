import { roomFor } from "../bindings";
import { type Settings, settingsFrom } from "../config";

/** The parts `/readyz` checks, named as the contract names them. */
export type ReadinessPart = "d1" | "room" | "queue" | "settings";

export type Readiness = { ok: true } | { ok: false; failing: ReadinessPart[] };

/** A probe that has not answered by then counts as failing: a readiness check must answer, not hang. */
const PROBE_TIMEOUT_MS = 2_000;

/** The room the probe asks: a name no event id can take (ids are generated), so no event's room pays for it. */
export const READINESS_ROOM = "readyz-probe";

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** True when the probe resolves in time; a thrown error or a timeout is a failing part. */
async function passes(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await withinTimeout(probe());
    return true;
  } catch {
    return false;
  }
}

/** The settings parse, and what signing a user or a queue token needs is there. */
function settingsReady(env: Env): boolean {
  let settings: Settings;
  try {
    settings = settingsFrom(env);
  } catch {
    return false;
  }
  return Boolean((settings.authSecret || settings.authJwksUrl) && settings.tokenSecret);
}

/**
 * Whether this Worker can serve a sale: D1 answers a read of the tables every sale writes, one
 * EventRoom answers a ping, the notifications queue producer is bound, and the settings are valid.
 * The probes run side by side; each failing one is named.
 */
export async function readiness(env: Env): Promise<Readiness> {
  const [d1, room] = await Promise.all([
    passes(() =>
      env.DB.prepare(
        "SELECT (SELECT 1 FROM events LIMIT 1), (SELECT 1 FROM orders LIMIT 1), (SELECT 1 FROM tickets LIMIT 1)",
      ).first(),
    ),
    passes(() => roomFor(env, READINESS_ROOM).ping()),
  ]);
  const failing: ReadinessPart[] = [];
  if (!d1) failing.push("d1");
  if (!room) failing.push("room");
  if (typeof env.NOTIFICATIONS?.send !== "function") failing.push("queue");
  if (!settingsReady(env)) failing.push("settings");
  return failing.length === 0 ? { ok: true } : { ok: false, failing };
}
