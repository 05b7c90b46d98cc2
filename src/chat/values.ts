// Small type guards for untrusted JSON, throwing neutral 400s (ChatError) that name the parameter.

import { invalidParam } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** undefined and null both mean "absent" (OpenAI accepts null for optional fields). */
export function isAbsent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

export function optNumber(v: unknown, param: string, min = -Infinity, max = Infinity): number | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw invalidParam(param, `Invalid type for '${param}': expected a number.`, "invalid_type");
  if (v < min || v > max) throw invalidParam(param, `Invalid '${param}': ${v} is out of range [${min}, ${max}].`);
  return v;
}

export function optInt(v: unknown, param: string, min = -Infinity, max = Infinity): number | undefined {
  const n = optNumber(v, param, min, max);
  if (n !== undefined && !Number.isInteger(n))
    throw invalidParam(param, `Invalid '${param}': expected an integer.`, "invalid_type");
  return n;
}

export function optBool(v: unknown, param: string): boolean | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== "boolean")
    throw invalidParam(param, `Invalid type for '${param}': expected a boolean.`, "invalid_type");
  return v;
}

export function optString(v: unknown, param: string): string | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== "string")
    throw invalidParam(param, `Invalid type for '${param}': expected a string.`, "invalid_type");
  return v;
}

export function optRecord(v: unknown, param: string): JsonObject | undefined {
  if (isAbsent(v)) return undefined;
  if (!isRecord(v)) throw invalidParam(param, `Invalid type for '${param}': expected an object.`, "invalid_type");
  return v;
}

/** First present key among aliases (snake_case and camelCase spellings). */
export function pick(o: JsonObject | undefined, ...keys: string[]): [key: string, value: unknown] | undefined {
  if (!o) return undefined;
  for (const k of keys) if (!isAbsent(o[k])) return [k, o[k]];
  return undefined;
}
