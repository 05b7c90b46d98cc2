// Gemini usageMetadata → OpenAI usage (docs/openai-mapping.md#usage): completion includes thoughts,
// tool-use prompt tokens count as input, cached and reasoning tokens in the details.

import type { GeminiUsageMetadata } from "../../gemini/types.ts";

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function toOpenAIUsage(u: GeminiUsageMetadata | undefined): OpenAIUsage {
  const prompt = n(u?.promptTokenCount) + n(u?.toolUsePromptTokenCount);
  const reasoning = n(u?.thoughtsTokenCount);
  const completion = n(u?.candidatesTokenCount) + reasoning;
  const total = n(u?.totalTokenCount) === prompt + completion ? n(u?.totalTokenCount) : prompt + completion;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    prompt_tokens_details: { cached_tokens: n(u?.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
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
