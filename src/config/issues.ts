// valibot issues in our words: a key path (`auth_keys[1]`, `pool.maxAttempts`), what was expected,
// and what came. Every kind's message is its expected phrase (see schema/kinds.ts).
import type * as v from "valibot";

export interface Problem {
  /** Dotted path, with [i] for array items; "(root)" for the whole value. */
  path: string;
  /** The kind's phrase: "a positive integer". */
  expected: string;
  got: unknown;
}

/** A short, secret-safe picture of a wrong value (long strings are cut). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

function joinPath(prefix: string, path: readonly v.IssuePathItem[] | undefined): string {
  let out = prefix;
  for (const item of path ?? []) {
    out += item.type === "array" ? `[${String(item.key)}]` : `${out ? "." : ""}${String(item.key)}`;
  }
  return out;
}

/**
 * One problem per issue. A union that failed only inside one of its options (an array with a bad item)
 * is reported at that item, not as "expected a string or an array of strings".
 */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[], prefix = ""): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = joinPath(prefix, issue.path);
    const deeper = issue.issues?.filter((sub) => sub.path?.length);
    if (deeper?.length) out.push(...problemsOf(deeper, path));
    else out.push({ path: path || "(root)", expected: issue.message, got: issue.input });
  }
  return out;
}
