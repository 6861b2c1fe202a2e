import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_STATUS } from "../../src/domain/error-codes";

const ROOT = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The one list of codes: the contract's table, the edge, the room and the document agree. */
describe("the error codes", () => {
  it("are the contract's, each with the contract's status", () => {
    // docs/API.md, "Conventions": | 409 | `SOLD_OUT` | ... (the 5xx row is INTERNAL's 500).
    const rows = [...read("docs/API.md").matchAll(/^\| (\d{3}|5xx) \| `([A-Z_]+)` \|/gm)].map((m) => ({
      status: m[1] === "5xx" ? 500 : Number(m[1]),
      code: m[2]!,
    }));
    expect(rows.length).toBeGreaterThan(20);
    for (const { code, status } of rows) {
      expect(ERROR_STATUS, `${code} is not in src/domain/error-codes.ts`).toHaveProperty(code);
      expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], code).toBe(status);
    }
  });

  it("are an enum in the published document's error body", () => {
    const doc = JSON.parse(read("docs/openapi.json"));
    expect(doc.components.schemas.ErrorBody.properties.error.properties.code.enum).toEqual(ERROR_CODES);
  });

  it('come with their words from the refusal table only: no fail("…") anywhere else', () => {
    const offenders = readdirSync(join(ROOT, "src"), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
      .filter((file) => file !== "src/domain/refusals.ts")
      .filter((file) => /\bfail\(\s*["'`]/.test(read(file)));
    expect(offenders).toEqual([]);
  });
});
