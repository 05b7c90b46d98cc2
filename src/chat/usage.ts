// Gemini usageMetadata → neutral usage (docs/openai-mapping.md#usage): output includes thoughts,
// tool-use prompt tokens count as input; each surface spells it its own way.

import type { GeminiUsageMetadata } from "../gemini/types.ts";

export interface ChatUsage {
  /** Prompt tokens, tool-use prompt tokens and cached ones included. */
  input: number;
  /** The part of `input` read from Gemini's context cache. */
  cachedInput: number;
  /** Answer tokens, thoughts included. */
  output: number;
  /** The part of `output` spent thinking. */
  reasoning: number;
  total: number;
}

const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function toChatUsage(u: GeminiUsageMetadata | undefined): ChatUsage {
  const input = n(u?.promptTokenCount) + n(u?.toolUsePromptTokenCount);
  const reasoning = n(u?.thoughtsTokenCount);
  const output = n(u?.candidatesTokenCount) + reasoning;
  const total = n(u?.totalTokenCount) === input + output ? n(u?.totalTokenCount) : input + output;
  return { input, cachedInput: n(u?.cachedContentTokenCount), output, reasoning, total };
}

/** Streams repeat cumulative usage; some chunks carry only trafficType. Keep the latest one with counts. */
export function latestUsage(
  previous: GeminiUsageMetadata | undefined,
  next: GeminiUsageMetadata | undefined,
): GeminiUsageMetadata | undefined {
  if (!next) return previous;
  const hasCounts = ["promptTokenCount", "candidatesTokenCount", "totalTokenCount", "thoughtsTokenCount"].some(
    (k) => typeof next[k] === "number",
  );
  return hasCounts || !previous ? next : previous;
}
