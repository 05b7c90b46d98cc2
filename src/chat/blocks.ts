// Gemini response parts → an ordered list of content blocks (thinking, text, tool call), produced as
// start / delta / signature / stop events with at most one block open at a time. This is the shared
// middle of the two block-shaped surfaces (Anthropic Messages, OpenAI Responses); Chat Completions
// keeps its own delta translator (src/surfaces/openai/stream.ts). Pure: chunks in, events out.
//
// Thought signatures: a signature on a thought part (or on the text part right after thoughts) signs
// the open thinking block; a function call's signature signs the open unsigned thinking block, or —
// with `signatureBlocks` — a signature-only thinking block opened just before the call, so clients
// that replay thinking blocks (Anthropic) or encrypted reasoning (Responses) give it back. Every call's
// signature is also listed by call id, for the server-side store.

import type { GeminiPart, GeminiUsageMetadata, GenerateContentResponse } from "../gemini/types.ts";
import { OpenAIError } from "../surfaces/openai/errors.ts";
import { FAILED_FINISH, failedFinishError, incompleteStreamError } from "../surfaces/openai/finish-reason.ts";
import { feedCall, type PendingCall, type StreamedCall } from "../surfaces/openai/partial-args.ts";
import { codeText } from "../surfaces/openai/render.ts";
import { restoreToolName } from "./tool-names.ts";
import { latestUsage } from "../surfaces/openai/usage.ts";

export interface ThinkingBlock {
  kind: "thinking";
  text: string;
  signature?: string;
}
export interface TextBlock {
  kind: "text";
  text: string;
}
export interface ToolBlock {
  kind: "tool";
  id: string;
  name: string;
  args: Record<string, unknown>;
  signature?: string;
}
export type Block = ThinkingBlock | TextBlock | ToolBlock;

export type BlockEvent =
  | { type: "start"; index: number; block: Block }
  | { type: "delta"; index: number; text: string }
  | { type: "signature"; index: number; signature: string }
  | { type: "stop"; index: number; block: Block };

export interface BlockOptions {
  /** sanitized Gemini name → the client's tool name (only renamed ones) */
  toolNames: ReadonlyMap<string, string>;
  /** id for a call Gemini returned without one */
  newToolId: () => string;
  /** Open a signature-only thinking block for a signed call when no thinking block can carry it. */
  signatureBlocks: boolean;
}

export interface BlockSummary {
  blocks: Block[];
  finishReason?: string;
  usage?: GeminiUsageMetadata;
  /** Signatures of the calls, by call id (for the server-side store). */
  signatures: [callId: string, signature: string][];
  toolCalls: number;
}

export interface BlockAssembler {
  push(chunk: GenerateContentResponse): BlockEvent[];
  /** Closes the open block. Throws (OpenAIError 502) for streams without a finish reason or with a failed one. */
  finish(): BlockEvent[];
  summary(): BlockSummary;
  usage(): GeminiUsageMetadata | undefined;
}

export function createBlockAssembler(options: BlockOptions): BlockAssembler {
  const blocks: Block[] = [];
  const signatures: [string, string][] = [];
  let open: { index: number; block: Block } | undefined;
  let loose: string | undefined;
  let pending: PendingCall | undefined;
  let toolCalls = 0;
  let finishReason: string | undefined;
  let finishMessage: string | undefined;
  let usage: GeminiUsageMetadata | undefined;
  let done = false;

  const close = (out: BlockEvent[]): void => {
    if (!open) return;
    out.push({ type: "stop", index: open.index, block: open.block });
    open = undefined;
  };
  const begin = <B extends Block>(out: BlockEvent[], block: B): B => {
    close(out);
    const index = blocks.length;
    blocks.push(block);
    open = { index, block };
    out.push({ type: "start", index, block: { ...block } });
    return block;
  };
  const signThinking = (out: BlockEvent[], signature: string): boolean => {
    if (open?.block.kind !== "thinking" || open.block.signature) return false;
    open.block.signature = signature;
    out.push({ type: "signature", index: open.index, signature });
    return true;
  };
  const appendText = (out: BlockEvent[], kind: "thinking" | "text", text: string): void => {
    const block =
      open?.block.kind === kind ? (open.block as ThinkingBlock | TextBlock) : begin(out, { kind, text: "" });
    block.text += text;
    out.push({ type: "delta", index: open!.index, text });
  };

  const emitCall = (
    out: BlockEvent[],
    call: { name: string; id?: string; args: Record<string, unknown> },
    own: string | undefined,
  ): void => {
    // A signature on an earlier text/thought part belongs to the step's first call.
    const signature = own ?? (toolCalls === 0 ? loose : undefined);
    if (signature && !signThinking(out, signature) && options.signatureBlocks) {
      begin(out, { kind: "thinking", text: "" });
      signThinking(out, signature);
    }
    const id = call.id || options.newToolId();
    const block: ToolBlock = { kind: "tool", id, name: restoreToolName(options.toolNames, call.name), args: call.args };
    if (signature) {
      block.signature = signature;
      signatures.push([id, signature]);
    }
    begin(out, block);
    close(out); // a call arrives complete
    toolCalls++;
  };
  const flushPending = (out: BlockEvent[]): void => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    emitCall(out, p, p.signature);
  };

  const onPart = (out: BlockEvent[], part: GeminiPart): void => {
    const fc = part.functionCall as StreamedCall | undefined;
    if (fc) {
      pending = feedCall(pending, fc, part.thoughtSignature, (call, signature) => emitCall(out, call, signature));
      return;
    }
    flushPending(out);
    if (part.thought) {
      if (typeof part.text === "string" && part.text !== "") appendText(out, "thinking", part.text);
      if (part.thoughtSignature && !signThinking(out, part.thoughtSignature)) loose = part.thoughtSignature;
      return;
    }
    // Before the text closes the thinking block: a text part's signature signs the thoughts before it.
    if (part.thoughtSignature && !signThinking(out, part.thoughtSignature)) loose = part.thoughtSignature;
    const text = typeof part.text === "string" ? part.text : codeText(part);
    if (text) appendText(out, "text", text);
  };

  return {
    push(chunk) {
      if (done) return [];
      const out: BlockEvent[] = [];
      usage = latestUsage(usage, chunk.usageMetadata);
      const candidates = chunk.candidates ?? [];
      if (candidates.length === 0 && chunk.promptFeedback?.blockReason) finishReason = "PROMPT_BLOCKED";
      // These surfaces have no `n`: only the first candidate is read.
      const cand = candidates.find((c) => (c.index ?? 0) === 0) ?? candidates[0];
      if (cand) {
        for (const part of cand.content?.parts ?? []) onPart(out, part);
        if (cand.finishReason) {
          finishReason = cand.finishReason;
          finishMessage = cand.finishMessage;
        }
      }
      return out;
    },
    finish() {
      if (done) return [];
      done = true;
      const out: BlockEvent[] = [];
      flushPending(out);
      close(out);
      if (finishReason === undefined) throw incompleteStreamError();
      if (FAILED_FINISH.has(finishReason)) throw failedFinishError(finishReason, finishMessage);
      return out;
    },
    summary: () => ({ blocks, finishReason, usage, signatures: [...signatures], toolCalls }),
    usage: () => usage,
  };
}

/** A whole (non-streamed) Gemini response as blocks. */
export function collectBlocks(response: GenerateContentResponse, options: BlockOptions): BlockSummary {
  if (!response.candidates?.length && !response.promptFeedback?.blockReason) {
    throw new OpenAIError(502, "Gemini returned no candidates.", { type: "server_error", code: "empty_response" });
  }
  const assembler = createBlockAssembler(options);
  assembler.push(response);
  assembler.finish();
  return assembler.summary();
}
