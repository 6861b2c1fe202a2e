import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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
});
