// config.json checked against the schema: every problem at once, each with its key path and the
// expected value, in the order the keys appear in the file; unknown keys are warnings.
import * as v from "valibot";
import { describe, problemsOf } from "./issues.ts";
import { CONFIG_FIELDS } from "./schema/fields.ts";

export { CONFIG_FIELDS, type ConfigField } from "./schema/fields.ts";

export interface ConfigProblem {
  severity: "error" | "warning";
  /** Dotted key path, with [i] for array items. */
  path: string;
  message: string;
}

type Tree = { [key: string]: Tree | v.GenericSchema };

/** The file's shape as nested valibot objects; unknown keys pass here and are warned about apart. */
function fileSchema(): v.GenericSchema {
  const root: Tree = {};
  for (const field of CONFIG_FIELDS) {
    const parts = field.key.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
    node[parts.at(-1)!] = v.optional(field.schema);
  }
  const toSchema = (tree: Tree): v.GenericSchema =>
    v.looseObject(
      Object.fromEntries(
        Object.entries(tree).map(([key, child]) => [
          key,
          "kind" in child ? child : v.optional(v.nullable(toSchema(child as Tree))),
        ]),
      ) as v.ObjectEntries,
      "an object",
    );
  return toSchema(root);
}

export const FILE_SCHEMA = fileSchema();

const GROUPS = new Set<string>();
for (const { key } of CONFIG_FIELDS) {
  for (let i = key.indexOf("."); i > 0; i = key.indexOf(".", i + 1)) GROUPS.add(key.slice(0, i));
}
const KEYS = new Set(CONFIG_FIELDS.map((f) => f.key));
const IGNORED = new Set(["$schema", "_comment"]);

/** Every key path of the file in document order, for sorting problems as a reader meets them. */
function documentOrder(config: Record<string, unknown>): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (value: unknown, path: string) => {
    order.set(path, order.size);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value && typeof value === "object")
      for (const [key, child] of Object.entries(value)) visit(child, path ? `${path}.${key}` : key);
  };
  visit(config, "");
  return order;
}

function unknownKeys(value: Record<string, unknown>, prefix: string, out: ConfigProblem[]): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (KEYS.has(path) || IGNORED.has(path)) continue;
    if (GROUPS.has(path)) {
      if (child && typeof child === "object" && !Array.isArray(child))
        unknownKeys(child as Record<string, unknown>, path, out);
      continue;
    }
    const hint =
      path === "credentials_encryption_key" || path === "encryption_key"
        ? ": pass the key with -ek or GEMINI_PROXY_ENCRYPTION_KEY"
        : "";
    out.push({ severity: "warning", path, message: `unknown key, ignored${hint}` });
  }
}

/** Every problem of a parsed config.json, errors and unknown-key warnings. */
export function validateConfig(config: unknown): ConfigProblem[] {
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    return [{ severity: "error", path: "(root)", message: `expected a JSON object, got ${describe(config)}` }];
  }
  const problems: ConfigProblem[] = problemsOf(v.safeParse(FILE_SCHEMA, config).issues ?? []).map((p) => ({
    severity: "error",
    path: p.path,
    message: `expected ${p.expected}, got ${describe(p.got)}`,
  }));
  unknownKeys(config as Record<string, unknown>, "", problems);
  const order = documentOrder(config as Record<string, unknown>);
  const at = (path: string) => order.get(path) ?? order.get(path.replace(/(\.[^.[]+|\[\d+\])$/, "")) ?? order.size;
  problems.sort((a, b) => at(a.path) - at(b.path));
  const client = (config as { oauth_client?: Record<string, unknown> }).oauth_client;
  if (
    client &&
    typeof client === "object" &&
    (client.client_id === undefined) !== (client.client_secret === undefined)
  ) {
    problems.push({ severity: "error", path: "oauth_client", message: "client_id and client_secret go together" });
  }
  return problems;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.severity === "error" ? "error  " : "warning"} ${problem.path}: ${problem.message}`;
}

/** One value from outside the file (a flag, a variable) checked against a key's kind: the message, or nothing. */
export function checkKey(key: string, value: unknown): string | undefined {
  const field = CONFIG_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no config key ${key}`);
  return v.is(field.schema, value) ? undefined : `expected ${field.expected}, got ${describe(value)}`;
}
