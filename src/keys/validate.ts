// Input checks for create and update: every field is checked before anything is written, and the
// first problem is reported with the field's name (the admin API answers it as a 400).
import { globProblem } from "./glob.ts";
import type { ClientKeyInput, ClientKeyPatch } from "./types.ts";

/** Bad input to `proxy.keys.create/update`; `field` names the offending field (`models[2]`, `rpm`...). */
export class KeyInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "KeyInputError";
    this.field = field;
  }
}

const LIMITS = ["rpm", "tpm", "daily_tokens", "monthly_tokens"] as const;
const FIELDS = new Set(["name", "models", "expires_at", "disabled", "metadata", ...LIMITS]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function checkLimit(field: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new KeyInputError(field, "must be a whole number or null");
  if (value < 0) throw new KeyInputError(field, "must not be negative");
  return value;
}

function checkExpiry(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw new KeyInputError("expires_at", "must be an ISO 8601 date-time string or null");
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at))
    throw new KeyInputError("expires_at", `"${value}" is not an ISO 8601 date-time`);
  return new Date(at).toISOString();
}

/** Checks a patch (every field optional); returns a copy holding only the given fields, normalized. */
export function checkPatch(input: unknown): ClientKeyPatch {
  if (!isPlainObject(input)) throw new KeyInputError("body", "must be a JSON object");
  for (const field of Object.keys(input)) if (!FIELDS.has(field)) throw new KeyInputError(field, "unknown field");
  const out: ClientKeyPatch = {};
  if ("name" in input) {
    const name = input.name;
    if (typeof name !== "string" || !name.trim()) throw new KeyInputError("name", "must be a non-empty string");
    if (name.length > 100) throw new KeyInputError("name", "must be at most 100 characters");
    if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
      throw new KeyInputError("name", "must not hold control characters");
    out.name = name.trim();
  }
  if ("models" in input) {
    const models = input.models;
    if (!Array.isArray(models)) throw new KeyInputError("models", "must be an array of model globs");
    if (models.length > 100) throw new KeyInputError("models", "holds more than 100 patterns");
    models.forEach((pattern, i) => {
      const problem = globProblem(pattern);
      if (problem) throw new KeyInputError(`models[${i}]`, problem);
    });
    out.models = [...new Set(models as string[])];
  }
  for (const field of LIMITS) if (field in input) out[field] = checkLimit(field, input[field]);
  if ("expires_at" in input) out.expires_at = checkExpiry(input.expires_at);
  if ("disabled" in input) {
    if (typeof input.disabled !== "boolean") throw new KeyInputError("disabled", "must be true or false");
    out.disabled = input.disabled;
  }
  if ("metadata" in input) {
    if (!isPlainObject(input.metadata)) throw new KeyInputError("metadata", "must be a JSON object");
    if (JSON.stringify(input.metadata).length > 8192) throw new KeyInputError("metadata", "is larger than 8 KiB");
    out.metadata = JSON.parse(JSON.stringify(input.metadata)) as Record<string, unknown>;
  }
  return out;
}

/** Checks a new key's input: a patch that must name the key. */
export function checkInput(input: unknown): ClientKeyInput {
  const patch = checkPatch(input);
  if (patch.name === undefined) throw new KeyInputError("name", "is required");
  return patch as ClientKeyInput;
}
