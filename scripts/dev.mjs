#!/usr/bin/env node
// `npm run dev`: local settings, local D1 migrations, `wrangler dev`, a seeded demo, dev tokens.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { seedDemo } from "./seed.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `http://localhost:${PORT}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local development defaults).");
}
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
);

console.log("Applying D1 migrations to the local database...");
const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
  env: { ...env, CI: "true" },
  stdio: ["ignore", "inherit", "inherit"],
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// The pages' scripts and styles (src/client), rebuilt on change; wrangler dev reloads with them.
const assets = spawn(process.execPath, ["scripts/build-client.mjs", "--watch"], {
  env,
  stdio: ["ignore", "inherit", "inherit"],
});
const server = spawn("wrangler", ["dev", "--port", String(PORT), "--ip", "127.0.0.1", ...process.argv.slice(2)], {
  env,
  stdio: ["inherit", "inherit", "inherit"],
});
const stop = () => {
  assets.kill("SIGTERM");
  server.kill("SIGINT");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  assets.kill("SIGTERM");
  process.exit(code ?? 0);
});

async function waitUntilUp() {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${BASE}/healthz`);
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not answer /healthz within 90 s");
}

const token = (sub, roles) =>
  new SignJWT({ roles, name: sub })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime("30d")
    .sign(new TextEncoder().encode(vars.AUTH_SECRET));

try {
  await waitUntilUp();
  const organizer = await token("dev-organizer", ["organizer"]);
  const customer = await token("dev-customer", ["customer"]);
  const seeded = await seedDemo(BASE, organizer);
  console.log(`
──────────────────────────────────────────────────────────────────────────────
 Edge tickets is running at ${BASE}
 ${seeded.created ? "Seeded" : "Found"} the demo: ${seeded.events.map((e) => `${e.title} (${e.eventId})`).join(", ")}

 AUTH_SECRET (dev value, from .dev.vars): ${vars.AUTH_SECRET}
 Organizer token: ${organizer}
 Customer token:  ${customer}

 Pages: ${BASE}/  (sign in: ${BASE}/dev/login?name=dev-customer&role=customer,
        organizer dashboard: ${BASE}/dev/login?name=dev-organizer&role=organizer&next=/organizer)

 Try:  curl "${BASE}/api/v1/events?q=aurora"
       eval "$(npm run --silent try)"   # EVENT, TOKEN and a CLEARANCE for curl (it scores as a bot)
       curl -X POST "${BASE}/api/v1/events/$EVENT/holds" -H "authorization: Bearer $TOKEN" \\
         -H "x-clearance: $CLEARANCE" -H "content-type: application/json" -d '{"seatIds":["A-1-1","A-1-2"]}'
 Reference: ${BASE}/docs
──────────────────────────────────────────────────────────────────────────────
`);
} catch (error) {
  console.error(`Could not start: ${error.message}`);
  stop();
}
