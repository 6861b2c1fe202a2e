#!/usr/bin/env node
// `npm run --silent try`: what the README's "Try" commands need, as shell exports, against a
// running `npm run dev`: EVENT (the demo event on sale now), TOKEN (a dev customer token signed
// with .dev.vars' AUTH_SECRET) and CLEARANCE (a solved proof-of-work challenge). curl scores as a
// bot (403 CHALLENGE_REQUIRED on POST /holds, as designed); a clearance is bound to the client's
// address and user agent, so this asks for it with curl's own user agent (or --user-agent "...").
//   eval "$(npm run --silent try)"
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { SignJWT } from "jose";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const base = option("--base", process.env.BASE ?? "http://localhost:8787");

function curlUserAgent() {
  try {
    const version = execFileSync("curl", ["--version"], { encoding: "utf8" }).split(/\s+/)[1];
    return `curl/${version}`;
  } catch {
    return "curl";
  }
}
const userAgent = option("--user-agent", curlUserAgent());

const vars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : readFileSync(".dev.vars.example", "utf8");
const authSecret = /^AUTH_SECRET=(.*)$/m.exec(vars)?.[1]?.trim();
if (!authSecret) throw new Error("no AUTH_SECRET in .dev.vars: run `npm run dev` first");

async function call(method, path, body) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { "user-agent": userAgent, ...(body && { "content-type": "application/json" }) },
    body: body && JSON.stringify(body),
  }).catch(() => {
    throw new Error(`nothing answers at ${base}: start it with \`npm run dev\` (another terminal)`);
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** SHA-256(`${nonce}:${solution}`) must start with `difficulty` zero bits (README, "Bot score and proof of work"). */
function solve(nonce, difficulty) {
  for (let n = 0; ; n++) {
    const digest = createHash("sha256").update(`${nonce}:${n}`).digest();
    let bits = 0;
    for (const byte of digest) {
      if (byte === 0) {
        bits += 8;
        continue;
      }
      bits += Math.clz32(byte) - 24;
      break;
    }
    if (bits >= difficulty) return String(n);
  }
}

const events = await call("GET", "/api/v1/events?limit=100");
const event = events.data.find((e) => e.status === "on_sale" && e.waitingRoom.mode === "off") ?? events.data[0];
if (!event) throw new Error("no published event: `npm run dev` seeds a demo on an empty catalog");
const token = await new SignJWT({ roles: ["customer"], name: "dev-customer" })
  .setProtectedHeader({ alg: "HS256" })
  .setSubject("dev-customer")
  .setIssuedAt()
  .setExpirationTime("12h")
  .sign(new TextEncoder().encode(authSecret));
const { challenge } = await call("GET", "/api/v1/challenge");
const solution = solve(challenge.nonce, challenge.difficulty);
const { clearance, expiresAt } = await call("POST", "/api/v1/challenge", { token: challenge.token, solution });

console.log(`# ${event.title}; the clearance is good for user agent "${userAgent}" until ${expiresAt}`);
console.log(`export EVENT=${event.eventId}`);
console.log(`export TOKEN=${token}`);
console.log(`export CLEARANCE=${clearance}`);
