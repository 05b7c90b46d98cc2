// The schemas flattened into config.json keys: one row per key with its option, kind, default and
// description. The file validator, the file → options mapping, the README table and the JSON Schema
// are all built from this list.
import type * as v from "valibot";
import { cliSchema } from "./cli.ts";
import { metaOf } from "./meta.ts";
import { optionsSchema } from "./options.ts";

export interface ConfigField {
  /** Dotted path in config.json. */
  key: string;
  /** The createGeminiProxy() option path; none for keys only the CLI reads. */
  option?: string;
  /** What config.json accepts there. */
  schema: v.GenericSchema;
  /** That, in words ("a positive integer"). */
  expected: string;
  /** The default, as the README shows it. */
  default?: string;
  /** The default value, when it is one (the JSON Schema's `default`). */
  value?: unknown;
  doc: string;
  /** A key of the predecessor's config.json. */
  predecessor: boolean;
}

/** An option only code can set (functions, stores…), with no config.json key. */
export interface CodeOnlyOption {
  option: string;
  expected: string;
  default?: string;
  doc: string;
}

/** The predecessor's config.json keys, in its template's order: each still means the same. */
export const PREDECESSOR_KEYS: readonly string[] = [
  "server.host",
  "server.port",
  "auth_keys",
  "credentials_file",
  "project_id_map",
  "log_level",
  "request_timeouts.connect",
  "request_timeouts.read",
  "usage_logging.enabled",
  "usage_logging.interval_sec",
  "public_url",
  "min_credentials",
  "admin_username",
  "admin_password",
];

export const snakeCase = (path: string) => path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Node = v.GenericSchema & {
  type: string;
  wrapped?: Node;
  entries?: Record<string, Node>;
  default?: unknown;
  pipe?: readonly Node[];
};

function showDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === "") return '""';
  return typeof value === "string" ? value : JSON.stringify(value);
}

type Row = Omit<ConfigField, "predecessor">;

function walk(schema: Node, prefix: string, cli: boolean, rows: Row[], code: CodeOnlyOption[]): void {
  for (const [name, entry] of Object.entries(schema.entries ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const inner = entry.type === "optional" ? entry.wrapped! : entry;
    const meta = metaOf(inner);
    if (!meta) {
      if (inner.type === "object") walk(inner, path, cli, rows, code);
      continue;
    }
    const shown = meta.defaultText ?? showDefault(entry.default);
    if (meta.file === false) {
      code.push({ option: path, expected: meta.phrase, default: shown, doc: meta.description });
      continue;
    }
    const key = meta.file ?? snakeCase(path);
    const option = cli ? undefined : path;
    const fileSchema = meta.fileKind?.of() ?? inner.pipe![0]!;
    const expected = meta.fileKind?.phrase ?? meta.phrase;
    const common = { option, schema: fileSchema, expected, default: shown, value: entry.default };
    for (const alias of meta.aliases ?? []) rows.push({ ...common, key: alias, doc: `Same as ${key}` });
    rows.push({ ...common, key, doc: meta.description });
  }
}

function build(): { fields: ConfigField[]; code: CodeOnlyOption[] } {
  const rows: Row[] = [];
  const code: CodeOnlyOption[] = [];
  walk(cliSchema as unknown as Node, "", true, rows, code);
  walk(optionsSchema as unknown as Node, "", false, rows, code);
  const rank = (key: string) => {
    const i = PREDECESSOR_KEYS.indexOf(key);
    return i < 0 ? PREDECESSOR_KEYS.length : i;
  };
  // Stable: the predecessor's keys first (their aliases before ours, so ours win when both are set).
  const fields = rows
    .map((row) => ({ ...row, predecessor: PREDECESSOR_KEYS.includes(row.key) }))
    .sort((a, b) => rank(a.key) - rank(b.key));
  return { fields, code };
}

const built = build();

/** Every config.json key. The predecessor's come first, then ours. */
export const CONFIG_FIELDS: readonly ConfigField[] = built.fields;

/** Options with no config.json key. */
export const CODE_ONLY_OPTIONS: readonly CodeOnlyOption[] = built.code;
