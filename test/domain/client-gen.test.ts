import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateClientFiles } from "../../src/http/client-gen";

/**
 * Both files of the typed client, from docs/openapi.json (test/worker/route-table.test.ts keeps
 * that document in step with the routes). `--update` on this file rewrites them.
 */
describe("the generated client", () => {
  it("is in step with docs/openapi.json", async () => {
    const doc = JSON.parse(readFileSync(new URL("../../docs/openapi.json", import.meta.url), "utf8"));
    const files = generateClientFiles(doc);
    await expect(files.types).toMatchFileSnapshot("../../src/contract/client-types.gen.ts");
    await expect(files.client).toMatchFileSnapshot("../../src/contract/client.gen.ts");
  });
});
