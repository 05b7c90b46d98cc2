// Gemini answer → an ordered list of neutral content blocks (thinking, text, tool call, image),
// produced as start / delta / signature / stop events with at most one block open at a time. Every
// surface renders these events in its own dialect (chat deltas, Anthropic events, Responses items).
// Pure: chunks in, events out.
//
// Thought signatures: a signature on a thought part (or on the text part right after thoughts) signs
// the open thinking block; a function call's signature signs the open unsigned thinking block, or —
// with `signatureBlocks` — a signature-only thinking block opened just before the call, so clients
// that replay thinking blocks (Anthropic) or encrypted reasoning (Responses) give it back. The first
// call of a step also carries the signature seen before it, and every call's signature is listed by
// call id for the server-side store.

import type { GeminiCandidate, GeminiPart, GeminiUsageMetadata, GenerateContentResponse } from "../gemini/types.ts";
import { codeText } from "./code-text.ts";
import {
  emptyResponseError,
  FAILED_FINISH,
  failedFinishError,
  finishReasonOf,
  incompleteStreamError,
} from "./finish.ts";
import { feedCall, type PendingCall, type StreamedCall } from "./partial-args.ts";
import { createStopScanner } from "./stop-sequences.ts";
import { restoreToolName } from "./tool-names.ts";
import type { FinishReason } from "./types.ts";
import { latestUsage } from "./usage.ts";

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
/** An image the model produced (inlineData in Gemini's answer). */
export interface ImageBlock {
  kind: "image";
  mimeType: string;
  data: string;
}
export type Block = ThinkingBlock | TextBlock | ToolBlock | ImageBlock;

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
  /** Which candidate to read (default 0: the streaming surfaces have no `n`). */
  candidate?: number;
  /** Sequences the proxy cuts the answer text at itself (see stop-sequences.ts). */
  stopSequences?: readonly string[];
  /**
   * Keep the text of thinking and text blocks in the summary (default true). A stream whose
   * renderer needs only the deltas sets false: the text then lived as long as the stream.
   */
  keepText?: boolean;
}

export interface BlockSummary {
  blocks: Block[];
  /** Gemini's own finish reason, as sent. */
  geminiFinish?: string;
  finish: FinishReason;
  /** The stop sequence the text was cut at, when one matched. */
  stopSequence?: string;
  usage?: GeminiUsageMetadata;
  grounding?: GeminiCandidate["groundingMetadata"];
  /** Signatures of the calls, by call id (for the server-side store). */
  signatures: [callId: string, signature: string][];
  toolCalls: number;
}

export interface BlockAssembler {
  push(chunk: GenerateContentResponse): BlockEvent[];
  /**
   * Closes the open block. Throws a ChatError (bad_reply) for a failure finish reason, and for a
   * missing one unless the reply arrived whole (`complete`: a unary answer, see finish reasons doc).
   */
  finish(options?: { complete?: boolean; tolerateFailure?: boolean }): BlockEvent[];
  /** True once a stop sequence matched: nothing more will be read. */
  stopped(): boolean;
  summary(): BlockSummary;
  usage(): GeminiUsageMetadata | undefined;
}

export function createBlockAssembler(options: BlockOptions): BlockAssembler {
  const blocks: Block[] = [];
  const signatures: [string, string][] = [];
  const scanner = options.stopSequences?.length ? createStopScanner(options.stopSequences) : undefined;
  const candidateIndex = options.candidate ?? 0;
  const keepText = options.keepText !== false;
  let open: { index: number; block: Block } | undefined;
  let loose: string | undefined; // a step signature no thinking block carries yet
  let stepSignature: string | undefined; // the latest signature before the step's first call
  let pending: PendingCall | undefined;
  let toolCalls = 0;
  let geminiFinish: string | undefined;
  let finishMessage: string | undefined;
  let stopSequence: string | undefined;
  let usage: GeminiUsageMetadata | undefined;
  let grounding: GeminiCandidate["groundingMetadata"];
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
    if (!text) return;
    const block =
      open?.block.kind === kind ? (open.block as ThinkingBlock | TextBlock) : begin(out, { kind, text: "" });
    if (keepText) block.text += text;
    out.push({ type: "delta", index: open!.index, text });
  };
  const flushHeld = (out: BlockEvent[]): void => {
    if (scanner) appendText(out, "text", scanner.flush());
  };
  const answerText = (out: BlockEvent[], text: string): void => {
    if (!scanner) return appendText(out, "text", text);
    const scan = scanner.push(text);
    appendText(out, "text", scan.emit);
    if (scan.matched !== undefined) stopSequence = scan.matched;
  };
  const noteSignature = (out: BlockEvent[], signature: string): void => {
    stepSignature = signature;
    if (!signThinking(out, signature)) loose = signature;
  };

  const emitCall = (
    out: BlockEvent[],
    call: { name: string; id?: string; args: Record<string, unknown> },
    own: string | undefined,
  ): void => {
    flushHeld(out);
    // A signature on an earlier text/thought part belongs to the step's first call.
    const first = toolCalls === 0;
    const unplaced = own ?? (first ? loose : undefined);
    if (unplaced && !signThinking(out, unplaced) && options.signatureBlocks) {
      begin(out, { kind: "thinking", text: "" });
      signThinking(out, unplaced);
    }
    if (first) loose = undefined;
    const signature = own ?? (first ? stepSignature : undefined);
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
      if (typeof part.text === "string" && part.text !== "") {
        flushHeld(out);
        appendText(out, "thinking", part.text);
      }
      if (part.thoughtSignature) noteSignature(out, part.thoughtSignature);
      return;
    }
    // Before the text closes the thinking block: a text part's signature signs the thoughts before it.
    if (part.thoughtSignature) noteSignature(out, part.thoughtSignature);
    if (part.inlineData?.data) {
      flushHeld(out);
      begin(out, {
        kind: "image",
        mimeType: part.inlineData.mimeType || "application/octet-stream",
        data: part.inlineData.data,
      });
      close(out);
      return;
    }
    const text = typeof part.text === "string" ? part.text : codeText(part);
    if (text) answerText(out, text);
  };

  const summary = (): BlockSummary => {
    const out: BlockSummary = {
      blocks,
      finish: finishReasonOf(geminiFinish, { toolCalls, stopSequence }),
      usage,
      signatures: [...signatures],
      toolCalls,
    };
    if (geminiFinish !== undefined) out.geminiFinish = geminiFinish;
    if (stopSequence !== undefined) out.stopSequence = stopSequence;
    if (grounding) out.grounding = grounding;
    return out;
  };

  return {
    push(chunk) {
      if (done) return [];
      const out: BlockEvent[] = [];
      usage = latestUsage(usage, chunk.usageMetadata);
      if (stopSequence !== undefined) return out; // cut: the rest of the answer is not shown
      const candidates = chunk.candidates ?? [];
      if (candidates.length === 0 && chunk.promptFeedback?.blockReason) geminiFinish = "PROMPT_BLOCKED";
      const cand =
        candidates.find((c, i) => (c.index ?? i) === candidateIndex) ??
        (candidateIndex === 0 ? candidates[0] : undefined);
      if (cand) {
        for (const part of cand.content?.parts ?? []) {
          onPart(out, part);
          if (stopSequence !== undefined) break;
        }
        if (cand.finishReason) {
          geminiFinish = cand.finishReason;
          finishMessage = cand.finishMessage;
        }
        if (cand.groundingMetadata) grounding = cand.groundingMetadata;
      }
      return out;
    },
    finish(finishOptions = {}) {
      if (done) return [];
      done = true;
      const out: BlockEvent[] = [];
      if (stopSequence === undefined) {
        flushPending(out);
        flushHeld(out);
      }
      close(out);
      if (stopSequence !== undefined) return out;
      if (geminiFinish === undefined && !finishOptions.complete) throw incompleteStreamError();
      if (geminiFinish !== undefined && FAILED_FINISH.has(geminiFinish) && !finishOptions.tolerateFailure)
        throw failedFinishError(geminiFinish, finishMessage);
      return out;
    },
    stopped: () => stopSequence !== undefined,
    summary,
    usage: () => usage,
  };
}

/** A whole (non-streamed) Gemini response as blocks (a missing finish reason counts as a normal end). */
export function collectBlocks(
  response: GenerateContentResponse,
  options: BlockOptions,
  finish: { tolerateFailure?: boolean } = {},
): BlockSummary {
  if (!response.candidates?.length && !response.promptFeedback?.blockReason) throw emptyResponseError();
  const assembler = createBlockAssembler(options);
  assembler.push(response);
  assembler.finish({ complete: true, ...finish });
  return assembler.summary();
}
