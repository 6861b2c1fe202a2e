import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The repository stands on its own: its documents link only to files inside it, and those exist. */
const ROOT = resolve(import.meta.dirname, "../..");
const DOCUMENTS = ["README.md", "CONTRIBUTING.md", "docs/API.md", "docs/ARCHITECTURE.md"];

describe("the repository's documents", () => {
  it.each(DOCUMENTS)("%s links only to files inside the repository", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^(https?:|#|mailto:)/.test(t));
    for (const target of targets) {
      const path = resolve(dirname(join(ROOT, file)), target.split("#")[0]!);
      expect(path.startsWith(`${ROOT}/`), `${file} → ${target} leaves the repository`).toBe(true);
      expect(existsSync(path), `${file} → ${target} does not exist`).toBe(true);
    }
    expect(text).not.toMatch(/\.\.\/shared\//);
  });

  it("README, CONTRIBUTING and the reference are all there", () => {
    for (const file of [...DOCUMENTS, "docs/API-REFERENCE.md", "docs/openapi.json", ".node-version"]) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
  });

  it("code comments cite neither files outside the repository nor issue numbers (both rot)", () => {
    const files = ["src", "test", "workers", "scripts", "bench"].flatMap((dir) =>
      readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs|mts)$/.test(entry.name) && !entry.name.endsWith(".gen.ts"))
        .map((entry) => relative(ROOT, join(entry.parentPath, entry.name))),
    );
    const offenders = files.filter((file) =>
      /VERSIONS\.md|\bissues? #?\d+\b/i.test(readFileSync(join(ROOT, file), "utf8").replace(/node_modules/g, "")),
    );
    expect(offenders, "say what the code does and why, not which ticket or outside note it came from").toEqual([]);
  });
});
