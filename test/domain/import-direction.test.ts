import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports point downward: domain ← db/payments/tickets/waiting-room ← rooms ← http ← pages.
 * Nothing below the edge may reach up into src/http or src/pages, and the domain imports only the
 * domain (no package, no `cloudflare:*`), so it stays plain TypeScript that Node tests in milliseconds.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const BELOW_THE_EDGE = [
  "src/domain",
  "src/user-ledger",
  "src/db",
  "src/payments",
  "src/tickets",
  "src/rooms",
  "src/waiting-room",
  "src/notify",
  "src/protection",
  "src/live",
  "src/contract",
];
const ABOVE = ["src/http", "src/pages"];
/** domain ← db/payments/tickets/waiting-room ← rooms: the middle layer may call a room, not import it. */
const BELOW_THE_ROOMS = [
  "src/domain",
  "src/db",
  "src/payments",
  "src/tickets",
  "src/user-ledger",
  "src/waiting-room",
  "src/notify",
  "src/protection",
];

/**
 * Upward imports that remain in files other engineers are editing right now: each names its owner and
 * its fix. The list may only shrink — an entry that no longer occurs fails the test, so remove it.
 */
const KNOWN: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every module specifier of static imports, re-exports and dynamic `import()`, comments ignored. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const found = [
    ...text.matchAll(/\b(?:import|export)\s[^;"'`]*?\bfrom\s*["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\s*["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** A relative specifier as a repository path with its extension (`../http/schemas` → src/http/schemas.ts). */
function target(file: string, specifier: string): string {
  const path = relative(ROOT, resolve(ROOT, dirname(file), specifier));
  return /\.(ts|tsx|js|mjs|json)$/.test(path) ? path : `${path}.ts`;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

function upwardImports(): string[] {
  const found: string[] = [];
  for (const dir of BELOW_THE_EDGE) {
    for (const file of sourceFiles(dir)) {
      for (const specifier of specifiers(file)) {
        if (!specifier.startsWith(".")) continue;
        const to = target(file, specifier);
        if (ABOVE.some((above) => inside(to, above))) found.push(`${file} -> ${to}`);
      }
    }
  }
  return found.sort();
}

describe("import direction", () => {
  it("finds the imports it is looking for (the scanner reads multi-line, type and dynamic imports)", () => {
    expect(specifiers("src/domain/inventory.ts")).toContain("./types");
    expect(sourceFiles("src/domain").length).toBeGreaterThan(5);
    expect(target("src/db/events.ts", "../http/schemas")).toBe("src/http/schemas.ts");
  });

  it("no file below the edge imports from src/http or src/pages, beyond the listed remainder", () => {
    const found = upwardImports();
    const unknown = found.filter((edge) => !(edge in KNOWN));
    expect(unknown, "upward imports: move the shared piece down instead").toEqual([]);
    const fixed = Object.keys(KNOWN).filter((edge) => !found.includes(edge));
    expect(fixed, "fixed upward imports: remove them from KNOWN").toEqual([]);
  });

  it("src/http imports src/pages only where the app is composed (src/http/app.ts mounts the pages)", () => {
    const found: string[] = [];
    for (const file of sourceFiles("src/http")) {
      if (file === "src/http/app.ts") continue;
      for (const specifier of specifiers(file)) {
        if (specifier.startsWith(".") && inside(target(file, specifier), "src/pages"))
          found.push(`${file} -> ${specifier}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("the layers below the rooms reach a room through its binding (src/bindings.ts), never by importing src/rooms", () => {
    const found: string[] = [];
    for (const dir of BELOW_THE_ROOMS) {
      for (const file of sourceFiles(dir)) {
        for (const specifier of specifiers(file)) {
          if (specifier.startsWith(".") && inside(target(file, specifier), "src/rooms"))
            found.push(`${file} -> ${specifier}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it("the domain imports nothing but the domain", () => {
    const outside: string[] = [];
    for (const file of sourceFiles("src/domain")) {
      for (const specifier of specifiers(file)) {
        if (!specifier.startsWith(".") || !inside(target(file, specifier), "src/domain")) {
          outside.push(`${file} -> ${specifier}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });
});
