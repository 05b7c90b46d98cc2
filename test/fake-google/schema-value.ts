// Deterministic sample values for JSON Schema / OpenAPI (Gemini `responseSchema`) schemas.
import { isObject } from "./http-util.ts";

function typeOf(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  const first = Array.isArray(t) ? t.find((x) => x !== "null") : t;
  if (typeof first === "string") return first.toLowerCase();
  if (isObject(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

/**
 * A value satisfying simple schemas: objects get their required properties (all properties when
 * `required` is absent and `allRequired`), enums their first value, arrays one item.
 */
export function sampleFromSchema(schema: unknown, hint = "value", depth = 0, allRequired = true): unknown {
  if (!isObject(schema) || depth > 6) return hint;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0)
    return sampleFromSchema(variants[0], hint, depth + 1, allRequired);
  switch (typeOf(schema)) {
    case "string":
      return schema.format === "date-time" ? "2026-01-01T00:00:00Z" : `${hint}`;
    case "integer":
      return typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : 1;
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1.5;
    case "boolean":
      return true;
    case "array": {
      const min = typeof schema.minItems === "number" ? Math.max(1, schema.minItems) : 1;
      return Array.from({ length: min }, () => sampleFromSchema(schema.items, hint, depth + 1, allRequired));
    }
    case "object": {
      const props = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((k): k is string => typeof k === "string")
        : allRequired
          ? Object.keys(props)
          : [];
      const out: Record<string, unknown> = {};
      for (const key of required) out[key] = sampleFromSchema(props[key], key, depth + 1, allRequired);
      return out;
    }
    case "null":
      return null;
    default:
      return hint;
  }
}
