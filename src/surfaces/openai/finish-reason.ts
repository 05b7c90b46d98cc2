// Gemini finishReason → OpenAI finish_reason (docs/openai-mapping.md#finish-reasons).

import { OpenAIError } from "./errors.ts";

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
  "LANGUAGE",
  "PROMPT_BLOCKED", // synthetic: promptFeedback.blockReason with no candidates
]);

/** Reasons that mean the model failed to produce a usable answer: reported as an error, never as success. */
export const FAILED_FINISH = new Set(["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS"]);

export function mapFinishReason(
  reason: string | undefined,
  opts: { hasToolCalls: boolean; legacyFunctions?: boolean },
): OpenAIFinishReason {
  if (reason !== undefined && FILTERED.has(reason)) return "content_filter";
  // Gemini says STOP after function calls; a complete call wins over MAX_TOKENS too (CLIProxyAPI priority).
  if (opts.hasToolCalls) return opts.legacyFunctions ? "function_call" : "tool_calls";
  if (reason === "MAX_TOKENS" || reason === "CONTINUATION") return "length";
  return "stop";
}

export function failedFinishError(reason: string, message?: string): OpenAIError {
  const detail = message ? `: ${message}` : "";
  return new OpenAIError(502, `Gemini ended the response with ${reason}${detail}`, {
    type: "server_error",
    code: reason.toLowerCase(),
  });
}

export function incompleteStreamError(): OpenAIError {
  return new OpenAIError(502, "The upstream stream ended without a finish reason.", {
    type: "server_error",
    code: "stream_incomplete",
  });
}
