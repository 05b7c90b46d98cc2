// Blocks → Responses API output items and the `response` object (docs/openai-mapping.md#responses-api), plus the
// chat-message form of an answer that previous_response_id replays.

import type { GeminiUsageMetadata } from "../../gemini/types.ts";
import { mapFinishReason } from "../openai/finish-reason.ts";
import { toOpenAIUsage } from "../openai/usage.ts";
import type { JsonObject } from "../../chat/values.ts";
import type { Block, BlockSummary, ThinkingBlock, ToolBlock } from "../../chat/blocks.ts";

export interface ResponseBase {
  id: string;
  created_at: number;
  /** client-facing model id */
  model: string;
  echo: JsonObject;
  /** reasoning items carry the thought signature as encrypted_content */
  encryptedReasoning: boolean;
}

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export function toResponsesUsage(u: GeminiUsageMetadata | undefined): JsonObject {
  const o = toOpenAIUsage(u);
  return {
    input_tokens: o.prompt_tokens,
    input_tokens_details: { cached_tokens: o.prompt_tokens_details.cached_tokens },
    output_tokens: o.completion_tokens,
    output_tokens_details: { reasoning_tokens: o.completion_tokens_details.reasoning_tokens },
    total_tokens: o.total_tokens,
  };
}

export function reasoningItem(id: string, b: ThinkingBlock, encrypted: boolean): JsonObject {
  const item: JsonObject = { type: "reasoning", id, summary: b.text ? [{ type: "summary_text", text: b.text }] : [] };
  if (encrypted && b.signature) item.encrypted_content = b.signature;
  return item;
}

export const outputText = (text: string): JsonObject => ({ type: "output_text", text, annotations: [], logprobs: [] });

export function messageItem(id: string, text: string, status: "in_progress" | "completed"): JsonObject {
  return { type: "message", id, status, role: "assistant", content: status === "completed" ? [outputText(text)] : [] };
}

export function functionCallItem(id: string, b: ToolBlock, status: "in_progress" | "completed"): JsonObject {
  return {
    type: "function_call",
    id,
    call_id: b.id,
    name: b.name,
    arguments: status === "completed" ? JSON.stringify(b.args) : "",
    status,
  };
}

/** Item id prefixes as OpenAI uses them; `suffix` keeps them unique within the response. */
export function itemId(kind: Block["kind"], responseId: string, index: number): string {
  const prefix = kind === "thinking" ? "rs" : kind === "text" ? "msg" : "fc";
  return `${prefix}_${responseId.replace(/^resp_/, "")}${index.toString(16).padStart(2, "0")}`;
}

export function toOutputItems(blocks: readonly Block[], base: ResponseBase): JsonObject[] {
  return blocks.map((b, i) => {
    const id = itemId(b.kind, base.id, i);
    if (b.kind === "thinking") return reasoningItem(id, b, base.encryptedReasoning);
    if (b.kind === "text") return messageItem(id, b.text, "completed");
    return functionCallItem(id, b, "completed");
  });
}

/** Finished status and incomplete_details from Gemini's finish reason. */
export function statusOf(summary: Pick<BlockSummary, "finishReason" | "toolCalls">): {
  status: ResponseStatus;
  incomplete: JsonObject | null;
} {
  const r = mapFinishReason(summary.finishReason, { hasToolCalls: summary.toolCalls > 0 });
  if (r === "length") return { status: "incomplete", incomplete: { reason: "max_output_tokens" } };
  if (r === "content_filter") return { status: "incomplete", incomplete: { reason: "content_filter" } };
  return { status: "completed", incomplete: null };
}

export function responseObject(
  base: ResponseBase,
  fields: {
    status: ResponseStatus;
    output: JsonObject[];
    usage: JsonObject | null;
    error?: JsonObject | null;
    incomplete?: JsonObject | null;
  },
): JsonObject {
  const text = fields.output
    .filter((i) => i.type === "message")
    .flatMap((i) => (i.content as JsonObject[]).map((c) => (typeof c.text === "string" ? c.text : "")))
    .join("");
  return {
    id: base.id,
    object: "response",
    created_at: base.created_at,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete ?? null,
    model: base.model,
    output: fields.output,
    output_text: text,
    usage: fields.usage,
    ...base.echo,
  };
}

export function toResponse(summary: BlockSummary, base: ResponseBase): JsonObject {
  const { status, incomplete } = statusOf(summary);
  return responseObject(base, {
    status,
    incomplete,
    output: toOutputItems(summary.blocks, base),
    usage: toResponsesUsage(summary.usage),
  });
}

/** The answer as a chat assistant message (tool calls keep their signatures), for the stored history. */
export function toHistoryMessage(blocks: readonly Block[]): JsonObject | undefined {
  const text = blocks.flatMap((b) => (b.kind === "text" ? [b.text] : [])).join("");
  const calls = blocks.flatMap((b) =>
    b.kind === "tool"
      ? [
          {
            id: b.id,
            type: "function",
            function: { name: b.name, arguments: JSON.stringify(b.args) },
            ...(b.signature ? { extra_content: { google: { thought_signature: b.signature } } } : {}),
          },
        ]
      : [],
  );
  if (!text && calls.length === 0) return undefined;
  return calls.length ? { role: "assistant", content: text, tool_calls: calls } : { role: "assistant", content: text };
}
