// Non-streaming Gemini response → chat.completion (docs/openai-mapping.md#non-streaming-response, docs/openai-mapping.md#finish-reasons).

import type { GeminiCandidate, GenerateContentResponse } from "../../gemini/types.ts";
import { toAnnotations } from "./citations.ts";
import { OpenAIError } from "./errors.ts";
import { FAILED_FINISH, failedFinishError, mapFinishReason } from "./finish-reason.ts";
import { toOpenAILogprobs } from "./logprobs.ts";
import type { ReasoningOutput } from "./reasoning.ts";
import { codeText, THINK_CLOSE, THINK_OPEN, toToolCall, type OpenAIToolCall } from "./render.ts";
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

function toChoice(
  cand: GeminiCandidate,
  position: number,
  ctx: ResponseContext,
  signatures: Signatures,
): Record<string, unknown> {
  let text = "";
  let thoughts = "";
  const calls: OpenAIToolCall[] = [];
  let looseSignature: string | undefined;
  for (const part of cand.content?.parts ?? []) {
    if (part.functionCall) {
      const id = part.functionCall.id || ctx.newToolCallId();
      // A signature on an earlier thought/text part belongs to the step's first call.
      const sig = part.thoughtSignature ?? (calls.length === 0 ? looseSignature : undefined);
      calls.push(toToolCall(part.functionCall, id, ctx.toolNames, sig));
      if (sig) signatures.push([id, sig]);
      continue;
    }
    if (part.thoughtSignature) looseSignature = part.thoughtSignature;
    if (typeof part.text === "string") {
      if (part.thought) thoughts += part.text;
      else text += part.text;
    } else text += codeText(part) ?? "";
  }
  const finish = mapFinishReason(cand.finishReason, {
    hasToolCalls: calls.length > 0,
    legacyFunctions: ctx.legacyFunctions,
  });
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
    if (ctx.legacyFunctions) message.function_call = (calls[0] as OpenAIToolCall).function;
    else message.tool_calls = calls;
  }
  const annotations = cand.groundingMetadata ? toAnnotations(cand.groundingMetadata, text, shift) : [];
  if (annotations.length) message.annotations = annotations;
  return {
    index: cand.index ?? position,
    message,
    logprobs: toOpenAILogprobs(cand.logprobsResult),
    finish_reason: finish,
  };
}

export function toChatCompletion(
  resp: GenerateContentResponse,
  ctx: ResponseContext,
): { completion: object; signatures: Signatures } {
  const signatures: Signatures = [];
  const candidates = resp.candidates ?? [];
  let choices: Record<string, unknown>[];
  if (candidates.length === 0) {
    if (!resp.promptFeedback?.blockReason) {
      throw new OpenAIError(502, "Gemini returned no candidates.", { type: "server_error", code: "empty_response" });
    }
    choices = [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: null },
        logprobs: null,
        finish_reason: "content_filter",
      },
    ];
  } else {
    const failed = candidates.filter((c) => c.finishReason !== undefined && FAILED_FINISH.has(c.finishReason));
    if (failed.length === candidates.length)
      throw failedFinishError(failed[0]?.finishReason as string, failed[0]?.finishMessage);
    choices = candidates
      .map((c, i) => toChoice(c, i, ctx, signatures))
      .sort((a, b) => (a.index as number) - (b.index as number));
  }
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
