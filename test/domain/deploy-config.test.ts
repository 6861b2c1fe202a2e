import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * wrangler.toml's `[env.production]` names every binding, trigger and var again (wrangler inherits
 * none of them into an environment): a binding added at the top and forgotten here would deploy a
 * Worker without it. Read as text: the top level is everything before `[env.production]`.
 */
const toml = readFileSync(resolve(import.meta.dirname, "../../wrangler.toml"), "utf8");
const at = toml.indexOf("\n[env.production]");
const top = toml.slice(0, at);
const production = toml.slice(at);

const bindings = (text: string) =>
  [...text.matchAll(/^(?:binding|name) = "([^"]+)"$/gm)].map((m) => m[1]).filter((name) => name !== "edge-tickets");
const varsOf = (text: string, header: string) => {
  const start = text.indexOf(`${header}\n`);
  if (start < 0) return [];
  const block = text.slice(start + header.length + 1).split(/^\[/m)[0]!;
  return [...block.matchAll(/^([A-Z][A-Z0-9_]*) = /gm)].map((m) => m[1]);
};

describe("the production environment in wrangler.toml", () => {
  it("exists, with every binding of the top level", () => {
    expect(at).toBeGreaterThan(0);
    expect(bindings(top).length).toBeGreaterThan(4);
    expect(bindings(production)).toEqual(expect.arrayContaining(bindings(top)));
  });

  it("sets every var of the top level, ENVIRONMENT=production, and the real mail provider", () => {
    const vars = varsOf(production, "[env.production.vars]");
    expect(vars).toEqual(expect.arrayContaining(varsOf(top, "[vars]")));
    expect(production).toMatch(/^ENVIRONMENT = "production"$/m);
    expect(production).toMatch(/^EMAIL_PROVIDER = "resend"$/m);
    expect(production).toMatch(/^PUBLIC_URL = "https:\/\//m);
  });

  it("keeps the cron and the queue consumers", () => {
    expect(production).toContain("[env.production.triggers]");
    expect(production.match(/\[\[env\.production\.queues\.consumers\]\]/g)).toHaveLength(2);
  });
});
