// Gemini chunks → Anthropic Messages SSE events (docs/openai-mapping.md#anthropic-messages), in the order Claude Code
// relies on: message_start (then a ping), per block content_block_start → content_block_delta*
// (text_delta | thinking_delta | signature_delta | input_json_delta) → content_block_stop, then
// message_delta (stop_reason, usage) and message_stop. message_start waits for Google's first chunk
// so it can carry the real input token count; while Google is silent only pings go out.

import type { GenerateContentResponse } from "../../gemini/types.ts";
import { createBlockAssembler, type BlockEvent, type BlockOptions } from "../../chat/blocks.ts";
import { toAnthropicUsage, toStopReason } from "./response.ts";

export const sseEvent = (name: string, data: Record<string, unknown> = {}): string =>
  `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
export const PING = sseEvent("ping");

export interface AnthropicStreamWriter {
  /** What may go out before Google's first chunk (the response must start). */
  opening(): string;
  push(chunk: GenerateContentResponse): string;
  /** The closing events; throws when the stream failed or never finished. */
  finish(): string;
  /** An in-band error event. */
  error(body: { type: "error"; error: { type: string; message: string } }): string;
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

  const render = (events: BlockEvent[]): string =>
    events
      .map((e) => {
        const index = e.index;
        switch (e.type) {
          case "start": {
            const b = e.block;
            kinds.set(index, b.kind);
            if (b.kind === "thinking")
              return sseEvent("content_block_start", {
                index,
                content_block: { type: "thinking", thinking: "", signature: "" },
              });
            if (b.kind === "text")
              return sseEvent("content_block_start", { index, content_block: { type: "text", text: "" } });
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
    finish: () => {
      const head = start();
      const events = assembler.finish();
      const s = assembler.summary();
      const usage = toAnthropicUsage(s.usage);
      return (
        head +
        render(events) +
        sseEvent("message_delta", {
          delta: { stop_reason: toStopReason(s.finishReason, s.toolCalls), stop_sequence: null },
          usage,
        }) +
        sseEvent("message_stop")
      );
    },
    error: (body) => sseEvent("error", { error: body.error }),
    signatures: () => assembler.summary().signatures,
  };
}
