// What the schema generates for people and editors: the JSON Schema of config.json and the README's
// option table. Pure: gen-config.ts writes them, test/config-generated.test.ts checks they are current.
import { toJsonSchema } from "@valibot/to-json-schema";
import { format, resolveConfig } from "prettier";
import { CODE_ONLY_OPTIONS, CONFIG_FIELDS } from "../src/config/schema/fields.ts";

export const SCHEMA_FILE = "schema/config.schema.json";
export const TABLE_START = "<!-- config-table:start -->";
export const TABLE_END = "<!-- config-table:end -->";

type JsonObject = { [key: string]: unknown };

/** config.json's JSON Schema (draft-07): every key with its type, default and description. */
export function configJsonSchema(): JsonObject {
  const root: JsonObject = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "gemini-cli-proxy config.json",
    description: "Configuration of the gemini-cli-proxy server (gemini-cli-proxy -c config.json).",
    type: "object",
    properties: { $schema: { type: "string", description: "This schema, for editors" } },
  };
  for (const field of CONFIG_FIELDS) {
    const parts = field.key.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const properties = node.properties as JsonObject;
      properties[part] ??= { type: ["object", "null"], properties: {} };
      node = properties[part] as JsonObject;
    }
    // Valibot's finite() has no JSON Schema twin; JSON has no infinite numbers anyway.
    const { $schema: _, ...leaf } = toJsonSchema(field.schema, { ignoreActions: ["finite"] }) as JsonObject;
    const extra = field.value === undefined ? {} : { default: field.value };
    (node.properties as JsonObject)[parts.at(-1)!] = { description: field.doc, ...leaf, ...extra };
  }
  return root;
}

/** Both files are formatted as the repo's prettier would, so `prettier --check` and the test agree. */
async function pretty(text: string, filepath: string): Promise<string> {
  return format(text, { ...(await resolveConfig(filepath)), filepath });
}

export async function configSchemaText(root: string): Promise<string> {
  return pretty(JSON.stringify(configJsonSchema()), `${root}${SCHEMA_FILE}`);
}

// Markdown: pipes end a cell anywhere; * and _ would emphasise outside `code` spans.
const cell = (text: string) =>
  text
    .split("`")
    .map((part, i) => (i % 2 ? part : part.replace(/[*_]/g, (c) => `\\${c}`)).replace(/\|/g, "\\|"))
    .join("`");
const code = (text: string) => `\`${text}\``;

/** The README's table: every config.json key, then the options only code can set. */
export function configTable(): string {
  const rows = ["| config.json key | library option | default | expected, meaning |", "| --- | --- | --- | --- |"];
  for (const f of CONFIG_FIELDS) {
    rows.push(
      `| ${code(f.key)} | ${f.option ? code(f.option) : "(CLI)"} | ${cell(f.default ?? "—")} | ${cell(`${f.expected}. ${f.doc}`)} |`,
    );
  }
  for (const o of CODE_ONLY_OPTIONS) {
    rows.push(`| — | ${code(o.option)} | ${cell(o.default ?? "—")} | ${cell(`${o.expected}. ${o.doc}`)} |`);
  }
  return rows.join("\n");
}

/** The README with the text between the table markers replaced by the current table. */
export async function withConfigTable(readme: string, root: string): Promise<string> {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  const text = `${readme.slice(0, start + TABLE_START.length)}\n\n${configTable()}\n\n${readme.slice(end)}`;
  return pretty(text, `${root}README.md`);
}
