// Redaction of secrets in anything the CLI prints: Google token shapes by pattern, and the configured
// keys (client keys, admin password, API keys, encryption key) by value. One regular expression does
// it in a single pass over the text: every log line goes through here.
import { inspect } from "node:util";

/** Token shapes and what is left of them: the prefix tells which kind of secret was there. */
const PATTERNS: readonly [source: string, kept: string][] = [
  [String.raw`ya29\.[\w.-]+`, "ya29."],
  [String.raw`\b1\/\/[\w.-]+`, "1//"],
  [String.raw`AIza[\w-]{12,}`, "AIza"],
  [String.raw`GOCSPX-[\w-]+`, "GOCSPX-"],
  [String.raw`enc:v1:[\w=-]+`, "enc:v1:"],
  [String.raw`\bgAAAAA[\w-]{60,}={0,2}`, "gAAAAA"], // a whole Fernet token
];
const SHAPES = PATTERNS.map(([source]) => new RegExp(`^(?:${source})$`));

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
  let combined: RegExp;
  const replace = (match: string): string => {
    if (values.has(match)) return "***";
    const shape = PATTERNS.find((_, i) => SHAPES[i]!.test(match));
    return shape ? `${shape[1]}***` : "***";
  };
  const build = () => {
    // A value a pattern already covers (an API key) needs no alternative of its own: with thousands
    // of pooled keys the expression stays small. Longest first, so a key inside another is redacted whole.
    const literals = [...values]
      .filter((v) => !SHAPES.some((shape) => shape.test(v)))
      .sort((a, b) => b.length - a.length)
      .map(escape);
    combined = new RegExp([...literals, ...PATTERNS.map(([source]) => source)].join("|"), "g");
  };
  const masker: SecretMasker = {
    add(...more) {
      for (const value of more) {
        if (typeof value !== "string" || value.length < 6) continue;
        values.add(value);
        // As a JSON string shows it (JSON log lines are masked whole, after serialization).
        const quoted = JSON.stringify(value).slice(1, -1);
        if (quoted !== value) values.add(quoted);
      }
      build();
    },
    mask: (text) => text.replace(combined, replace),
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
  build();
  masker.add(...initial);
  return masker;
}
