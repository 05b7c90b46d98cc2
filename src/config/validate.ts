// createGeminiProxy() options checked against the schema once, at construction: the result has
// every default filled in; a wrong value throws a TypeError naming each option that is wrong.
import * as v from "valibot";
import { describe, problemsOf } from "./issues.ts";
import type { GeminiProxyOptions } from "./options.ts";
import { optionsSchema } from "./schema/options.ts";

/** The options with their defaults (code-only values such as `storage` as given). */
export type ParsedOptions = v.InferOutput<typeof optionsSchema>;

export function parseOptions(options: GeminiProxyOptions): ParsedOptions {
  const result = v.safeParse(optionsSchema, options);
  if (result.success) return result.output;
  const problems = problemsOf(result.issues).map((p) => `${p.path} must be ${p.expected} (got ${describe(p.got)})`);
  throw new TypeError(`gemini-cli-proxy: ${problems.join("; ")}`);
}
