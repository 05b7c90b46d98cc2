// Blocks → the Anthropic Messages response: content blocks, stop_reason, usage (docs/openai-mapping.md#anthropic-messages).

import type { GeminiUsageMetadata } from "../../gemini/types.ts";
import { mapFinishReason } from "../openai/finish-reason.ts";
import { toOpenAIUsage } from "../openai/usage.ts";
import type { Block, BlockSummary } from "../../chat/blocks.ts";

export type AnthropicStopReason = "end_turn" | "max_tokens" | "tool_use" | "refusal";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

const STOP: Record<string, AnthropicStopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

export function toStopReason(finishReason: string | undefined, toolCalls: number): AnthropicStopReason {
  return STOP[mapFinishReason(finishReason, { hasToolCalls: toolCalls > 0 })] ?? "end_turn";
}

/** Anthropic counts cache reads apart from input_tokens; output includes thoughts (billed as output). */
export function toAnthropicUsage(u: GeminiUsageMetadata | undefined): AnthropicUsage {
  const o = toOpenAIUsage(u);
  const cached = o.prompt_tokens_details.cached_tokens;
  return {
    input_tokens: Math.max(0, o.prompt_tokens - cached),
    output_tokens: o.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
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
  }
}

export function toAnthropicMessage(summary: BlockSummary, ctx: { id: string; model: string }): Record<string, unknown> {
  return {
    id: ctx.id,
    type: "message",
    role: "assistant",
    model: ctx.model,
    content: summary.blocks.map(toContentBlock),
    stop_reason: toStopReason(summary.finishReason, summary.toolCalls),
    stop_sequence: null,
    usage: toAnthropicUsage(summary.usage),
  };
}
