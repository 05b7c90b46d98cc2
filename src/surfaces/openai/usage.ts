// Neutral usage → OpenAI usage (docs/openai-mapping.md#usage): completion includes thoughts, cached
// and reasoning tokens in the details.

import type { GeminiUsageMetadata } from "../../gemini/types.ts";
import { toChatUsage } from "../../chat/usage.ts";

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export function toOpenAIUsage(u: GeminiUsageMetadata | undefined): OpenAIUsage {
  const c = toChatUsage(u);
  return {
    prompt_tokens: c.input,
    completion_tokens: c.output,
    total_tokens: c.total,
    prompt_tokens_details: { cached_tokens: c.cachedInput },
    completion_tokens_details: { reasoning_tokens: c.reasoning },
  };
}
