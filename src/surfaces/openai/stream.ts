// Streaming Gemini chunks → chat.completion.chunk objects (docs/openai-mapping.md#streaming), by
// rendering the core's block events. Rules: the first chunk carries role "assistant"; every tool call
// is one complete delta with its own index, id, type, name and string arguments; finish_reason appears
// exactly once, in finish(); with include_usage every chunk has usage:null and a final choices:[]
// chunk carries usage. A stream without a finish reason, or ending in MALFORMED_FUNCTION_CALL & co,
// makes finish() throw (a ChatError the route turns into the in-band error).

import type { GeminiUsageMetadata, GenerateContentResponse } from "../../gemini/types.ts";
import { createBlockAssembler, type BlockEvent } from "../../chat/blocks.ts";
import { createCitationText, toAnnotations } from "./citations.ts";
import { toOpenAIFinish } from "./finish-reason.ts";
import { toOpenAILogprobs } from "./logprobs.ts";
import { THINK_CLOSE, THINK_OPEN, toImage, toToolCall } from "./render.ts";
import type { ResponseContext } from "./response.ts";
import { toOpenAIUsage } from "./usage.ts";

export interface ChunkTranslator {
  /** A role-only first chunk (lets the route send something before Gemini answers). */
  start(): object[];
  push(chunk: GenerateContentResponse): object[];
  finish(): object[];
  signatures(): [toolCallId: string, signature: string][];
  usage(): GeminiUsageMetadata | undefined;
}

type Delta = Record<string, unknown>;
type Chunk = { choices: { index: number; delta: Delta; logprobs: unknown }[] };

export function createChunkTranslator(ctx: ResponseContext & { includeUsage: boolean }): ChunkTranslator {
  const assembler = createBlockAssembler({
    toolNames: ctx.toolNames,
    newToolId: ctx.newToolCallId,
    signatureBlocks: false,
    keepText: false, // rendered from the deltas; citations read `answer` below
  });
  const answer = createCitationText();
  let roleSent = false;
  let thinkOpen = false;
  let toolCalls = 0;
  let images = 0;
  let shift = 0; // length of <think> blocks before the answer text
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
  const emit = (out: object[], delta: Delta, finish: string | null = null): void => {
    const d = roleSent ? delta : { role: "assistant", ...delta };
    roleSent = true;
    out.push(chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]));
  };
  /** Append a string delta, merging with the previous chunk of this push when it has the same single key. */
  const emitText = (out: object[], key: "content" | "reasoning_content", piece: string): void => {
    if (piece === "") return;
    const pc = (out[out.length - 1] as Chunk | undefined)?.choices[0];
    if (
      pc &&
      pc.logprobs === null &&
      typeof pc.delta[key] === "string" &&
      Object.keys(pc.delta).every((k) => k === key || k === "role")
    ) {
      pc.delta[key] = (pc.delta[key] as string) + piece;
      return;
    }
    emit(out, { [key]: piece });
  };
  const closeThink = (out: object[]): void => {
    if (!thinkOpen) return;
    thinkOpen = false;
    shift += THINK_CLOSE.length;
    emitText(out, "content", THINK_CLOSE);
  };
  // Deltas only ever extend the block started last: its kind is all render needs (no map per stream).
  let openKind: string | undefined;

  const render = (out: object[], events: BlockEvent[]): void => {
    for (const e of events) {
      if (e.type === "start") {
        openKind = e.block.kind;
        const b = e.block;
        if (b.kind === "tool") {
          closeThink(out);
          const tc = toToolCall(b);
          // Legacy `functions` requests get one function_call (the deprecated API has no parallel calls).
          if (ctx.legacyFunctions) {
            if (toolCalls++ === 0) emit(out, { function_call: tc.function });
          } else emit(out, { tool_calls: [{ index: toolCalls++, ...tc }] });
        } else if (b.kind === "image") {
          closeThink(out);
          emit(out, { images: [{ index: images++, ...toImage(b) }] });
        }
      } else if (e.type === "delta") {
        if (openKind === "thinking") {
          if (ctx.reasoning === "reasoning_content") emitText(out, "reasoning_content", e.text);
          else if (ctx.reasoning === "think_tags") {
            const open = thinkOpen ? "" : THINK_OPEN;
            thinkOpen = true;
            shift += open.length + e.text.length;
            emitText(out, "content", open + e.text);
          }
        } else {
          closeThink(out);
          answer.push(e.text);
          emitText(out, "content", e.text);
        }
      }
    }
  };

  return {
    start() {
      if (roleSent || done) return [];
      const out: object[] = [];
      emit(out, { content: "" });
      return out;
    },
    push(resp) {
      if (done) return [];
      const out: object[] = [];
      render(out, assembler.push(resp));
      const cand = resp.candidates?.find((c, i) => (c.index ?? i) === 0) ?? resp.candidates?.[0];
      const lp = toOpenAILogprobs(cand?.logprobsResult);
      const first = out[0] as Chunk | undefined;
      if (lp && first?.choices[0]) first.choices[0].logprobs = lp;
      return out;
    },
    finish() {
      if (done) return [];
      done = true;
      const out: object[] = [];
      render(out, assembler.finish()); // throws for a stream without a finish reason or with a failed one
      closeThink(out);
      const s = assembler.summary();
      const annotations = s.grounding ? toAnnotations(s.grounding, answer.index, shift) : [];
      if (annotations.length) emit(out, { annotations });
      if (!roleSent) emit(out, { content: "" });
      emit(out, {}, toOpenAIFinish(s.finish, ctx.legacyFunctions));
      if (ctx.includeUsage) out.push(chunk([], toOpenAIUsage(s.usage)));
      return out;
    },
    signatures: () => assembler.summary().signatures,
    usage: () => assembler.usage(),
  };
}
