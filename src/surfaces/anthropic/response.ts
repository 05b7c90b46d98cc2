// Neutral blocks → the Anthropic Messages response: content blocks, stop_reason from the neutral
// finish reason, usage (docs/openai-mapping.md#anthropic-messages).

import type { GeminiUsageMetadata } from "../../gemini/types.ts";
import type { Block, BlockSummary } from "../../chat/blocks.ts";
import type { FinishReason } from "../../chat/types.ts";
import { toChatUsage } from "../../chat/usage.ts";

export type AnthropicStopReason = "end_turn" | "max_tokens" | "tool_use" | "refusal" | "stop_sequence";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

const STOP: Record<FinishReason, AnthropicStopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  filtered: "refusal",
  stop_sequence: "stop_sequence",
};

export function toStopReason(finish: FinishReason): AnthropicStopReason {
  return STOP[finish];
}

/** Anthropic counts cache reads apart from input_tokens; output includes thoughts (billed as output). */
export function toAnthropicUsage(u: GeminiUsageMetadata | undefined): AnthropicUsage {
  const c = toChatUsage(u);
  return {
    input_tokens: Math.max(0, c.input - c.cachedInput),
    output_tokens: c.output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: c.cachedInput,
  };
}

export function toContentBlock(block: Block): Record<string, unknown> {
  switch (block.kind) {
    case "thinking":
      return { type: "thinking", thinking: block.text, signature: block.signature ?? "" };
    case "text":
      return { type: "text", text: block.text };
    case "tool":
      return { type: "tool_use", id: block.id, name: block.name, input: block.args };
    case "image":
      return { type: "image", source: { type: "base64", media_type: block.mimeType, data: block.data } };
  }
}

export function toAnthropicMessage(summary: BlockSummary, ctx: { id: string; model: string }): Record<string, unknown> {
  return {
    id: ctx.id,
    type: "message",
    role: "assistant",
    model: ctx.model,
    content: summary.blocks.map(toContentBlock),
    stop_reason: toStopReason(summary.finish),
    stop_sequence: summary.stopSequence ?? null,
    usage: toAnthropicUsage(summary.usage),
  };
}
