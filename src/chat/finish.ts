// Gemini finishReason → the neutral finish reason (docs/openai-mapping.md#finish-reasons), and the
// reasons that are failures rather than answers.

import { badReply, type ChatError } from "./errors.ts";
import type { FinishReason } from "./types.ts";

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

export function finishReasonOf(
  reason: string | undefined,
  opts: { toolCalls: number; stopSequence?: string },
): FinishReason {
  if (reason !== undefined && FILTERED.has(reason)) return "filtered";
  // Gemini says STOP after function calls; a complete call wins over MAX_TOKENS too.
  if (opts.toolCalls > 0) return "tool_calls";
  if (opts.stopSequence !== undefined) return "stop_sequence";
  if (reason === "MAX_TOKENS" || reason === "CONTINUATION") return "length";
  return "stop";
}

export function failedFinishError(reason: string, message?: string): ChatError {
  const detail = message ? `: ${message}` : "";
  return badReply(`Gemini ended the response with ${reason}${detail}`, reason.toLowerCase());
}

export function incompleteStreamError(): ChatError {
  return badReply("The upstream stream ended without a finish reason.", "stream_incomplete");
}

export function emptyResponseError(): ChatError {
  return badReply("Gemini returned no candidates.", "empty_response");
}
