// Streaming Gemini chunks → chat.completion.chunk objects (docs/openai-mapping.md#streaming). Rules: the first
// chunk of a choice carries role "assistant"; every tool call is one complete delta with its own
// index, id, type, name and string arguments (streamed partialArgs are assembled first);
// finish_reason appears exactly once, in finish(), tool_calls when any call was made; with
// include_usage every chunk has usage:null and a final choices:[] chunk carries usage. A stream
// without a finish reason, or ending in MALFORMED_FUNCTION_CALL & co, makes finish() throw.

import type { GeminiCandidate, GeminiPart, GeminiUsageMetadata, GenerateContentResponse } from "../../gemini/types.ts";
import { toAnnotations } from "./citations.ts";
import { openAIErrorBody, type OpenAIError } from "./errors.ts";
import { FAILED_FINISH, failedFinishError, incompleteStreamError, mapFinishReason } from "./finish-reason.ts";
import { toOpenAILogprobs } from "./logprobs.ts";
import { feedCall, type PendingCall, type StreamedCall } from "./partial-args.ts";
import { codeText, THINK_CLOSE, THINK_OPEN, toToolCall } from "./render.ts";
import type { ResponseContext } from "./response.ts";
import { latestUsage, toOpenAIUsage } from "./usage.ts";

export interface ChunkTranslator {
  /** A role-only first chunk for choice 0 (optional: lets the route send something before Gemini answers). */
  start(): object[];
  push(chunk: GenerateContentResponse): object[];
  finish(): object[];
  signatures(): [toolCallId: string, signature: string][];
  usage(): GeminiUsageMetadata | undefined;
}

interface ChoiceState {
  index: number;
  roleSent: boolean;
  toolCalls: number;
  thinkOpen: boolean;
  text: string; // visible answer text, for citation offsets
  shift: number; // length of <think> blocks before the answer text
  finishReason?: string;
  finishMessage?: string;
  grounding?: GeminiCandidate["groundingMetadata"];
  pending?: PendingCall;
  looseSignature?: string;
}

type Delta = Record<string, unknown>;

export function createChunkTranslator(ctx: ResponseContext & { includeUsage: boolean }): ChunkTranslator {
  const states = new Map<number, ChoiceState>();
  const sigs: [string, string][] = [];
  let lastUsage: GeminiUsageMetadata | undefined;
  let done = false;

  const chunk = (choices: object[], usage?: object): object => {
    const c: Record<string, unknown> = {
      id: ctx.id,
      object: "chat.completion.chunk",
      created: ctx.created,
      model: ctx.model,
      choices,
    };
    if (ctx.includeUsage) c.usage = usage ?? null;
    return c;
  };
  const state = (index: number): ChoiceState => {
    let s = states.get(index);
    if (!s) states.set(index, (s = { index, roleSent: false, toolCalls: 0, thinkOpen: false, text: "", shift: 0 }));
    return s;
  };
  const emit = (
    out: object[],
    s: ChoiceState,
    delta: Delta,
    logprobs: unknown = null,
    finish: string | null = null,
  ): void => {
    const d = s.roleSent ? delta : { role: "assistant", ...delta };
    s.roleSent = true;
    out.push(chunk([{ index: s.index, delta: d, logprobs, finish_reason: finish }]));
  };
  /** Append a string delta, merging with the previous chunk of this push when it has the same single key. */
  const emitText = (out: object[], s: ChoiceState, key: "content" | "reasoning_content", text: string): void => {
    if (text === "") return;
    const prev = out[out.length - 1] as { choices: { index: number; delta: Delta; logprobs: unknown }[] } | undefined;
    const pc = prev?.choices[0];
    if (
      pc &&
      pc.index === s.index &&
      pc.logprobs === null &&
      typeof pc.delta[key] === "string" &&
      Object.keys(pc.delta).every((k) => k === key || k === "role")
    ) {
      pc.delta[key] = (pc.delta[key] as string) + text;
      return;
    }
    emit(out, s, { [key]: text });
  };
  const closeThink = (out: object[], s: ChoiceState): void => {
    if (!s.thinkOpen) return;
    s.thinkOpen = false;
    s.shift += THINK_CLOSE.length;
    emitText(out, s, "content", THINK_CLOSE);
  };
  const emitCall = (
    out: object[],
    s: ChoiceState,
    call: { name?: string; args?: unknown; id?: string },
    signature: string | undefined,
  ): void => {
    closeThink(out, s);
    const id = call.id || ctx.newToolCallId();
    const sig = signature ?? (s.toolCalls === 0 ? s.looseSignature : undefined);
    if (sig) sigs.push([id, sig]);
    const tc = toToolCall(call, id, ctx.toolNames, sig);
    if (ctx.legacyFunctions) {
      // Legacy `functions` requests get one function_call (the deprecated API has no parallel calls).
      if (s.toolCalls++ === 0) emit(out, s, { function_call: tc.function });
      return;
    }
    emit(out, s, { tool_calls: [{ index: s.toolCalls++, ...tc }] });
  };
  const flushPending = (out: object[], s: ChoiceState): void => {
    const p = s.pending;
    if (!p) return;
    s.pending = undefined;
    emitCall(out, s, p, p.signature);
  };

  const onPart = (out: object[], s: ChoiceState, part: GeminiPart): void => {
    const fc = part.functionCall as StreamedCall | undefined;
    if (fc) {
      s.pending = feedCall(s.pending, fc, part.thoughtSignature, (call, signature) =>
        emitCall(out, s, call, signature),
      );
      return;
    }
    flushPending(out, s);
    if (part.thoughtSignature) s.looseSignature = part.thoughtSignature;
    if (part.thought) {
      if (typeof part.text !== "string" || part.text === "") return;
      if (ctx.reasoning === "reasoning_content") emitText(out, s, "reasoning_content", part.text);
      else if (ctx.reasoning === "think_tags") {
        const open = s.thinkOpen ? "" : THINK_OPEN;
        s.thinkOpen = true;
        s.shift += open.length + part.text.length;
        emitText(out, s, "content", open + part.text);
      }
      return;
    }
    const text = typeof part.text === "string" ? part.text : codeText(part);
    if (!text) return;
    closeThink(out, s);
    s.text += text;
    emitText(out, s, "content", text);
  };

  return {
    start(): object[] {
      const s = state(0);
      if (s.roleSent || done) return [];
      const out: object[] = [];
      emit(out, s, { content: "" });
      return out;
    },
    push(resp: GenerateContentResponse): object[] {
      if (done) return [];
      const out: object[] = [];
      lastUsage = latestUsage(lastUsage, resp.usageMetadata);
      const candidates = resp.candidates ?? [];
      if (candidates.length === 0 && resp.promptFeedback?.blockReason) state(0).finishReason = "PROMPT_BLOCKED";
      candidates.forEach((cand, position) => {
        const s = state(cand.index ?? position);
        const before = out.length;
        for (const part of cand.content?.parts ?? []) onPart(out, s, part);
        const lp = toOpenAILogprobs(cand.logprobsResult);
        const first = out[before] as { choices: { logprobs: unknown }[] } | undefined;
        if (lp && first?.choices[0]) first.choices[0].logprobs = lp;
        if (cand.finishReason) {
          s.finishReason = cand.finishReason;
          s.finishMessage = cand.finishMessage;
        }
        if (cand.groundingMetadata) s.grounding = cand.groundingMetadata;
      });
      return out;
    },
    finish(): object[] {
      if (done) return [];
      done = true;
      const ordered = [...states.values()].sort((a, b) => a.index - b.index);
      if (ordered.length === 0) throw incompleteStreamError();
      for (const s of ordered) {
        if (s.finishReason === undefined) throw incompleteStreamError();
        if (FAILED_FINISH.has(s.finishReason)) throw failedFinishError(s.finishReason, s.finishMessage);
      }
      const out: object[] = [];
      for (const s of ordered) {
        flushPending(out, s);
        closeThink(out, s);
        const annotations = s.grounding ? toAnnotations(s.grounding, s.text, s.shift) : [];
        if (annotations.length) emit(out, s, { annotations });
        if (!s.roleSent) emit(out, s, { content: "" });
        const reason = mapFinishReason(s.finishReason, {
          hasToolCalls: s.toolCalls > 0,
          legacyFunctions: ctx.legacyFunctions,
        });
        emit(out, s, {}, null, reason);
      }
      if (ctx.includeUsage) out.push(chunk([], toOpenAIUsage(lastUsage)));
      return out;
    },
    signatures: () => [...sigs],
    usage: () => lastUsage,
  };
}

/** In-band SSE error payload for a failure after the stream started. */
export function streamErrorPayload(e: OpenAIError): object {
  return openAIErrorBody(e);
}
