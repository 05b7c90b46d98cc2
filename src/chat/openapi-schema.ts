// JSON Schema → Gemini's OpenAPI-3.0 `Schema` subset, for the `parameters` / `responseSchema`
// fields (docs/openai-mapping.md#openapi-schema-conversion). Whitelist rebuild: local $ref/$defs inlined (recursion cut with
// a described object), allOf merged, type arrays and null branches → `nullable`, `const` → `enum`,
// non-string enums → a description hint, unknown keywords dropped, `required` filtered.

import { isRecord } from "./values.ts";

type Schema = Record<string, unknown>;

const KEEP = [
  "description",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "minProperties",
  "maxProperties",
  "propertyOrdering",
];
const FORMATS: Record<string, readonly string[]> = {
  string: ["enum", "date-time"],
  integer: ["int32", "int64"],
  number: ["float", "double"],
};
const MAX_DEPTH = 32;

function resolveRef(ref: string, root: Schema): { name: string; schema: unknown } | undefined {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) return undefined;
  const defs = root[m[1] as string];
  const name = decodeURIComponent((m[2] as string).replace(/~1/g, "/").replace(/~0/g, "~"));
  return isRecord(defs) && name in defs ? { name, schema: defs[name] } : undefined;
}

function mergeAllOf(node: Schema): Schema {
  const parts = node.allOf;
  if (!Array.isArray(parts)) return node;
  const out: Schema = { ...node };
  delete out.allOf;
  const props: Schema = isRecord(node.properties) ? { ...node.properties } : {};
  const required = new Set<string>(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const p of parts) {
    if (!isRecord(p)) continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === "properties" && isRecord(v)) Object.assign(props, v);
      else if (k === "required" && Array.isArray(v)) for (const r of v) required.add(String(r));
      else if (!(k in out)) out[k] = v;
    }
  }
  if (Object.keys(props).length > 0) out.properties = props;
  if (required.size > 0) out.required = [...required];
  return out;
}

function isNullSchema(s: unknown): boolean {
  return isRecord(s) && s.type === "null" && Object.keys(s).length === 1;
}

export function toOpenAPISchema(schema: unknown, root?: Schema): Schema | undefined {
  const top = isRecord(schema) ? schema : {};
  const out = convert(schema, root ?? top, new Set(), 0);
  // Gemini rejects an OBJECT root with no properties: omit parameters instead.
  if (out.type === "object" && !isRecord(out.properties) && out.anyOf === undefined) return undefined;
  return out;
}

function convert(input: unknown, root: Schema, seen: Set<string>, depth: number): Schema {
  if (input === true || input === undefined) return {};
  if (!isRecord(input) || depth > MAX_DEPTH) return { type: "object" };
  let node: Schema = input;
  if (typeof node.$ref === "string") {
    const target = resolveRef(node.$ref, root);
    if (!target || seen.has(target.name)) {
      const label = target?.name ?? node.$ref;
      return { type: "object", description: `See ${label} (recursive or unresolved reference)` };
    }
    const next = new Set(seen).add(target.name);
    const { $ref: _ignored, ...siblings } = node;
    const resolved = convert(target.schema, root, next, depth + 1);
    return typeof siblings.description === "string"
      ? Object.assign({}, resolved, { description: siblings.description })
      : resolved;
  }
  node = mergeAllOf(node);
  const out: Schema = {};
  let nullable = node.nullable === true;

  // type: arrays with null → nullable; several non-null types → anyOf.
  let type = node.type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== "null");
    if (types.length < type.length) nullable = true;
    type = types.length === 1 ? types[0] : undefined;
    if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
  }
  if (type === "null") {
    nullable = true;
    type = undefined;
  }
  if (typeof type === "string") out.type = type;

  // anyOf / oneOf: drop null branches (→ nullable), flatten a single remaining branch.
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union) {
    const branches = union.filter((b) => {
      if (isNullSchema(b)) nullable = true;
      return !isNullSchema(b);
    });
    const converted = branches.map((b) => convert(b, root, seen, depth + 1));
    if (converted.length === 1) Object.assign(out, converted[0], out.type ? { type: out.type } : {});
    else if (converted.length > 1) out.anyOf = converted;
  }

  for (const k of KEEP) if (k in node && node[k] !== undefined) out[k] = node[k];

  // enum / const: Gemini enums are strings only.
  let values: unknown[] | undefined = Array.isArray(node.enum) ? node.enum : "const" in node ? [node.const] : undefined;
  if (values) {
    if (values.includes(null)) nullable = true;
    values = values.filter((v) => v !== null);
    if (values.length > 0 && values.every((v) => typeof v === "string")) {
      out.enum = values;
      if (!out.type) out.type = "string";
    } else if (values.length > 0) {
      const hint = `Allowed values: ${values.map((v) => JSON.stringify(v)).join(", ")}`;
      out.description = typeof out.description === "string" ? `${out.description} (${hint})` : hint;
    }
  }

  if (typeof node.format === "string" && typeof out.type === "string" && FORMATS[out.type]?.includes(node.format))
    out.format = node.format;

  if (isRecord(node.properties) && (out.type === undefined || out.type === "object")) {
    out.type = "object";
    const props: Schema = {};
    for (const [name, sub] of Object.entries(node.properties)) props[name] = convert(sub, root, seen, depth + 1);
    if (Object.keys(props).length > 0) {
      out.properties = props;
      if (Array.isArray(node.required)) {
        const required = node.required.filter((r): r is string => typeof r === "string" && r in props);
        if (required.length > 0) out.required = required;
      }
    }
  }
  if (out.type === "array")
    out.items = isRecord(node.items) ? convert(node.items, root, seen, depth + 1) : { type: "string" };
  if (nullable) out.nullable = true;
  return out;
}
