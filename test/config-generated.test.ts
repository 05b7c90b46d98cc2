// The files generated from the config schema are current: schema/config.schema.json (shipped in the
// package for editors) and the README's option table. Run `npm run gen:schema` when these fail.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configSchemaText, SCHEMA_FILE, TABLE_END, TABLE_START, withConfigTable } from "../scripts/config-docs.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("generated from the config schema", () => {
  it("schema/config.schema.json is current (npm run gen:schema)", async () => {
    expect(await readFile(ROOT + SCHEMA_FILE, "utf8")).toBe(await configSchemaText(ROOT));
  });

  it("the README's config table is current (npm run gen:schema)", async () => {
    const readme = await readFile(`${ROOT}README.md`, "utf8");
    expect(readme).toContain(TABLE_START);
    expect(readme).toContain(TABLE_END);
    expect(readme).toBe(await withConfigTable(readme, ROOT));
  });

  it("ships the JSON Schema as gemini-cli-proxy/config.schema.json", async () => {
    const pkg = JSON.parse(await readFile(`${ROOT}package.json`, "utf8")) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(pkg.exports["./config.schema.json"]).toBe(`./${SCHEMA_FILE}`);
    expect(pkg.files).toContain(SCHEMA_FILE.split("/")[0]);
  });
});
