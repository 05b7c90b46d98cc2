// Redaction of secrets in anything the CLI prints: Google token shapes by pattern, and the configured
// keys (client keys, admin password, API keys, encryption key) by value.
import { inspect } from "node:util";

const PATTERNS: readonly [RegExp, string][] = [
  [/ya29\.[\w.-]+/g, "ya29.***"],
  [/\b1\/\/[\w.-]+/g, "1//***"],
  [/AIza[\w-]{12,}/g, "AIza***"],
  [/GOCSPX-[\w-]+/g, "GOCSPX-***"],
  [/enc:v1:[\w=-]+/g, "enc:v1:***"],
  [/\bgAAAAA[\w-]{60,}={0,2}/g, "gAAAAA***"], // a whole Fernet token
];

export interface SecretMasker {
  /** Adds values to redact; values shorter than 6 characters are ignored (they would mangle ordinary words). */
  add(...values: (string | undefined | null)[]): void;
  mask(text: string): string;
  /** Any log argument: strings, errors (message and stack) and objects (inspected). */
  maskValue(value: unknown): unknown;
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function createSecretMasker(initial: readonly (string | undefined | null)[] = []): SecretMasker {
  const values = new Set<string>();
  let literal: RegExp | undefined;
  const masker: SecretMasker = {
    add(...more) {
      for (const value of more) if (typeof value === "string" && value.length >= 6) values.add(value);
      // Longest first, so a key that contains another is redacted whole.
      const sorted = [...values].sort((a, b) => b.length - a.length).map(escape);
      literal = sorted.length ? new RegExp(sorted.join("|"), "g") : undefined;
    },
    mask(text) {
      let out = literal ? text.replace(literal, "***") : text;
      for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
      return out;
    },
    maskValue(value) {
      if (typeof value === "string") return masker.mask(value);
      if (value instanceof Error) {
        const copy = new Error(masker.mask(value.message));
        copy.name = value.name;
        copy.stack = value.stack ? masker.mask(value.stack) : undefined;
        return copy;
      }
      if (value === null || typeof value !== "object") return value;
      return masker.mask(inspect(value, { depth: 4, breakLength: Infinity }));
    },
  };
  masker.add(...initial);
  return masker;
}
