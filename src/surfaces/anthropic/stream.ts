// Neutral block events → Anthropic Messages SSE events (docs/openai-mapping.md#anthropic-messages), in
// the order Claude Code relies on: message_start (then a ping), per block content_block_start →
// content_block_delta* (text_delta | thinking_delta | signature_delta | input_json_delta) →
// content_block_stop, then message_delta (stop_reason, stop_sequence, usage) and message_stop.
// message_start waits for Google's first chunk so it can carry the real input token count; while
// Google is silent only pings go out.

import type { GenerateContentResponse } from "../../gemini/types.ts";
import { createBlockAssembler, type BlockEvent, type BlockOptions } from "../../chat/blocks.ts";
import type { AnthropicWireError } from "./errors.ts";
import { toAnthropicUsage, toContentBlock, toStopReason } from "./response.ts";

export const sseEvent = (name: string, data: Record<string, unknown> = {}): string =>
  `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
export const PING = sseEvent("ping");

export interface AnthropicStreamWriter {
  /** What may go out before Google's first chunk (the response must start). */
  opening(): string;
  push(chunk: GenerateContentResponse): string;
  /** A stop sequence matched: nothing more is needed from Google. */
  stopped(): boolean;
  /** The closing events; throws when the stream failed or never finished. */
  finish(): string;
  /** An in-band error event. */
  error(body: AnthropicWireError["body"]): string;
  signatures(): [callId: string, signature: string][];
}

export function createAnthropicStream(ctx: { id: string; model: string; blocks: BlockOptions }): AnthropicStreamWriter {
  const assembler = createBlockAssembler(ctx.blocks);
  const kinds = new Map<number, string>();
  let started = false;

  const start = (chunk?: GenerateContentResponse): string => {
    if (started) return "";
    started = true;
    const message = {
      id: ctx.id,
      type: "message",
      role: "assistant",
      model: ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(chunk?.usageMetadata ?? assembler.usage()),
    };
    return sseEvent("message_start", { message }) + PING;
  };

  const onStart = (index: number, b: Parameters<typeof toContentBlock>[0]): string => {
    kinds.set(index, b.kind);
    switch (b.kind) {
      case "thinking":
        return sseEvent("content_block_start", {
          index,
          content_block: { type: "thinking", thinking: "", signature: "" },
        });
      case "text":
        return sseEvent("content_block_start", { index, content_block: { type: "text", text: "" } });
      case "image":
        // An image arrives whole: its block starts complete, as Anthropic streams non-text blocks.
        return sseEvent("content_block_start", { index, content_block: toContentBlock(b) });
      case "tool":
        return (
          sseEvent("content_block_start", {
            index,
            content_block: { type: "tool_use", id: b.id, name: b.name, input: {} },
          }) +
          sseEvent("content_block_delta", {
            index,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(b.args) },
          })
        );
    }
  };

  const render = (events: BlockEvent[]): string =>
    events
      .map((e) => {
        const index = e.index;
        switch (e.type) {
          case "start":
            return onStart(index, e.block);
          case "delta":
            return kinds.get(index) === "thinking"
              ? sseEvent("content_block_delta", { index, delta: { type: "thinking_delta", thinking: e.text } })
              : sseEvent("content_block_delta", { index, delta: { type: "text_delta", text: e.text } });
          case "signature":
            return sseEvent("content_block_delta", {
              index,
              delta: { type: "signature_delta", signature: e.signature },
            });
          case "stop":
            return sseEvent("content_block_stop", { index });
        }
      })
      .join("");

  return {
    opening: () => (started ? "" : PING),
    push: (chunk) => {
      const events = assembler.push(chunk);
      return start(chunk) + render(events);
    },
    stopped: () => assembler.stopped(),
    finish: () => {
      const head = start();
      const events = assembler.finish();
      const s = assembler.summary();
      return (
        head +
        render(events) +
        sseEvent("message_delta", {
          delta: { stop_reason: toStopReason(s.finish), stop_sequence: s.stopSequence ?? null },
          usage: toAnthropicUsage(s.usage),
        }) +
        sseEvent("message_stop")
      );
    },
    error: (body) => sseEvent("error", { error: body.error }),
    signatures: () => assembler.summary().signatures,
  };
}
