// Neutral finish reason → OpenAI finish_reason (docs/openai-mapping.md#finish-reasons).

import type { FinishReason } from "../../chat/types.ts";

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export function toOpenAIFinish(reason: FinishReason, legacyFunctions?: boolean): OpenAIFinishReason {
  switch (reason) {
    case "filtered":
      return "content_filter";
    case "tool_calls":
      return legacyFunctions ? "function_call" : "tool_calls";
    case "length":
      return "length";
    default:
      return "stop";
  }
}
