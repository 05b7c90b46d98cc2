// JSON Schema light cleanup for Gemini's `parametersJsonSchema` / `responseJsonSchema`
// (docs/openai-mapping.md#json-schema-cleanup, docs/openai-mapping.md#response-format). It walks schema positions only — never property *names* or data —
// so a property called "const" or "title" survives (CLIProxyAPI's post-mortem rule).

import { isRecord } from "./values.ts";

type Schema = Record<string, unknown>;

/** Keywords whose value is a single sub-schema. */
export const SCHEMA_KEYS = [
  "items",
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "additionalItems",
] as const;
/** Keywords whose value is an array of sub-schemas. */
export const SCHEMA_ARRAY_KEYS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
/** Keywords whose value is a map of name → sub-schema. */
export const SCHEMA_MAP_KEYS = ["properties", "$defs", "definitions", "patternProperties", "dependentSchemas"] as const;

const DROP_LIGHT = new Set(["$schema", "$comment", "strict"]);

/** Apply `fn` to every direct sub-schema of `node`, returning a new node. */
export function mapSubschemas(node: Schema, fn: (s: unknown) => unknown): Schema {
  const out: Schema = { ...node };
  for (const k of SCHEMA_KEYS)
    if (k in node && (isRecord(node[k]) || typeof node[k] === "boolean")) out[k] = fn(node[k]);
  for (const k of SCHEMA_ARRAY_KEYS) {
    const v = node[k];
    if (Array.isArray(v)) out[k] = v.map(fn);
  }
  for (const k of SCHEMA_MAP_KEYS) {
    const v = node[k];
    if (isRecord(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, fn(s)]));
  }
  return out;
}

/** Light cleanup: drop `$schema`/`$comment`/`strict`, `const` → `enum`, recursively. */
export function cleanJsonSchema(schema: unknown): unknown {
  if (!isRecord(schema)) return schema;
  const node = mapSubschemas(schema, cleanJsonSchema);
  for (const k of Object.keys(node)) if (DROP_LIGHT.has(k)) delete node[k];
  if ("const" in node) {
    if (!("enum" in node)) node.enum = [node.const];
    delete node.const;
  }
  return node;
}

/** True for schemas that declare no parameters at all: absent, `{}`, `{type:"object"}`, `{type:"object", properties:{}}`. */
export function isEmptyObjectSchema(schema: unknown): boolean {
  if (schema === undefined || schema === null) return true;
  if (!isRecord(schema)) return false;
  const type = schema.type;
  if (type !== undefined && type !== "object") return false;
  const props = schema.properties;
  if (props !== undefined && !(isRecord(props) && Object.keys(props).length === 0)) return false;
  for (const k of ["anyOf", "oneOf", "allOf", "$ref", "items", "enum", "patternProperties"])
    if (k in schema) return false;
  return true;
}
