// `npm run gen:schema`: writes schema/config.schema.json and the README's option table from the
// config schema (src/config/schema/). A test fails while either is stale.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { configSchemaText, SCHEMA_FILE, withConfigTable } from "./config-docs.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
await writeFile(root + SCHEMA_FILE, await configSchemaText(root));
const readme = `${root}README.md`;
await writeFile(readme, await withConfigTable(await readFile(readme, "utf8"), root));
process.stdout.write(`wrote ${SCHEMA_FILE} and the README's config table\n`);
