// Non-streaming Gemini response → chat.completion (docs/openai-mapping.md#non-streaming-response),
// one choice per candidate, each read through the core's block assembler.

import type { GenerateContentResponse } from "../../gemini/types.ts";
import { collectBlocks, type BlockSummary } from "../../chat/blocks.ts";
import { emptyResponseError, FAILED_FINISH, failedFinishError } from "../../chat/finish.ts";
import { toAnnotations } from "./citations.ts";
import { toOpenAIFinish } from "./finish-reason.ts";
import { toOpenAILogprobs } from "./logprobs.ts";
import type { ReasoningOutput } from "./reasoning.ts";
import { THINK_CLOSE, THINK_OPEN, toImage, toToolCall } from "./render.ts";
import { toOpenAIUsage } from "./usage.ts";

export interface ResponseContext {
  id: string;
  created: number;
  /** client-facing model id */
  model: string;
  toolNames: ReadonlyMap<string, string>;
  reasoning: ReasoningOutput;
  /** tool-call id for calls Gemini returned without one (ids should start with "call_") */
  newToolCallId: () => string;
  /** the request used legacy `functions`: answer with message.function_call */
  legacyFunctions?: boolean;
}

type Signatures = [toolCallId: string, signature: string][];

/** The assistant message of one candidate's blocks (shared with nothing else: chat's own shape). */
function toMessage(s: BlockSummary, ctx: ResponseContext): Record<string, unknown> {
  let text = "";
  let thoughts = "";
  const calls = [];
  const images = [];
  for (const b of s.blocks) {
    if (b.kind === "text") text += b.text;
    else if (b.kind === "thinking") thoughts += b.text;
    else if (b.kind === "tool") calls.push(toToolCall(b));
    else images.push(toImage(b));
  }
  const finish = toOpenAIFinish(s.finish, ctx.legacyFunctions);
  let content = text;
  let shift = 0;
  if (ctx.reasoning === "think_tags" && thoughts) {
    content = THINK_OPEN + thoughts + THINK_CLOSE + text;
    shift = THINK_OPEN.length + thoughts.length + THINK_CLOSE.length;
  }
  const message: Record<string, unknown> = {
    role: "assistant",
    content: content === "" && (calls.length > 0 || finish === "content_filter") ? null : content,
    refusal: null,
  };
  if (ctx.reasoning === "reasoning_content" && thoughts) message.reasoning_content = thoughts;
  if (calls.length) {
    if (ctx.legacyFunctions) message.function_call = calls[0]!.function;
    else message.tool_calls = calls;
  }
  if (images.length) message.images = images;
  const annotations = s.grounding ? toAnnotations(s.grounding, text, shift) : [];
  if (annotations.length) message.annotations = annotations;
  return message;
}

export function toChatCompletion(
  resp: GenerateContentResponse,
  ctx: ResponseContext,
): { completion: object; signatures: Signatures } {
  const signatures: Signatures = [];
  const candidates = resp.candidates ?? [];
  if (candidates.length === 0 && !resp.promptFeedback?.blockReason) throw emptyResponseError();
  const failed = candidates.filter((c) => c.finishReason !== undefined && FAILED_FINISH.has(c.finishReason));
  if (candidates.length && failed.length === candidates.length)
    throw failedFinishError(failed[0]?.finishReason as string, failed[0]?.finishMessage);
  const indexes = candidates.length ? candidates.map((c, i) => c.index ?? i) : [0];
  const choices = indexes
    .map((index, i) => {
      const s = collectBlocks(
        resp,
        { toolNames: ctx.toolNames, newToolId: ctx.newToolCallId, signatureBlocks: false, candidate: index },
        { tolerateFailure: true },
      );
      signatures.push(...s.signatures);
      return {
        index,
        message: toMessage(s, ctx),
        logprobs: toOpenAILogprobs(candidates[i]?.logprobsResult),
        finish_reason: toOpenAIFinish(s.finish, ctx.legacyFunctions),
      };
    })
    .sort((a, b) => a.index - b.index);
  return {
    completion: {
      id: ctx.id,
      object: "chat.completion",
      created: ctx.created,
      model: ctx.model,
      system_fingerprint: null,
      choices,
      usage: toOpenAIUsage(resp.usageMetadata),
    },
    signatures,
  };
}
