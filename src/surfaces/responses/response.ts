// Neutral blocks → Responses API output items and the `response` object (docs/openai-mapping.md#responses-api),
// plus the neutral turn of an answer that previous_response_id replays.

import type { GeminiUsageMetadata } from "../../gemini/types.ts";
import { toChatUsage } from "../../chat/usage.ts";
import type { ChatTurn, ContentBlock } from "../../chat/types.ts";
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
  const c = toChatUsage(u);
  return {
    input_tokens: c.input,
    input_tokens_details: { cached_tokens: c.cachedInput },
    output_tokens: c.output,
    output_tokens_details: { reasoning_tokens: c.reasoning },
    total_tokens: c.total,
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
export function itemId(kind: Exclude<Block["kind"], "image">, responseId: string, index: number): string {
  const prefix = kind === "thinking" ? "rs" : kind === "text" ? "msg" : "fc";
  return `${prefix}_${responseId.replace(/^resp_/, "")}${index.toString(16).padStart(2, "0")}`;
}

/** Output items of the blocks (images the model made have no item type here: left out). */
export function toOutputItems(blocks: readonly Block[], base: ResponseBase): JsonObject[] {
  return blocks.flatMap((b, i) => {
    if (b.kind === "image") return [];
    const id = itemId(b.kind, base.id, i);
    if (b.kind === "thinking") return [reasoningItem(id, b, base.encryptedReasoning)];
    if (b.kind === "text") return [messageItem(id, b.text, "completed")];
    return [functionCallItem(id, b, "completed")];
  });
}

/** Finished status and incomplete_details from the neutral finish reason. */
export function statusOf(summary: Pick<BlockSummary, "finish">): {
  status: ResponseStatus;
  incomplete: JsonObject | null;
} {
  if (summary.finish === "length") return { status: "incomplete", incomplete: { reason: "max_output_tokens" } };
  if (summary.finish === "filtered") return { status: "incomplete", incomplete: { reason: "content_filter" } };
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

/** The answer as a neutral assistant turn (calls keep their signatures), for the stored history. */
export function toHistoryTurn(blocks: readonly Block[]): ChatTurn | undefined {
  const text = blocks.flatMap((b) => (b.kind === "text" ? [b.text] : [])).join("");
  const calls = blocks.flatMap((b): ContentBlock[] =>
    b.kind === "tool"
      ? [
          {
            type: "tool_call",
            id: b.id,
            name: b.name,
            args: b.args,
            ...(b.signature ? { signature: b.signature } : {}),
          },
        ]
      : [],
  );
  if (!text && calls.length === 0) return undefined;
  return { role: "assistant", blocks: [...(text ? [{ type: "text", text } as const] : []), ...calls] };
}
