// Gemini chunks → Responses API SSE events (docs/openai-mapping.md#responses-api): response.created →
// response.in_progress → per output item output_item.added → its part/delta/done events →
// output_item.done, ending with response.completed (or response.incomplete); a failure after the
// start is response.failed, never a silent end (Codex-style clients wait for the terminal event).

import type { GenerateContentResponse } from "../../gemini/types.ts";
import type { JsonObject } from "../../chat/values.ts";
import { createBlockAssembler, type Block, type BlockEvent, type BlockOptions } from "../../chat/blocks.ts";
import {
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  statusOf,
  toResponsesUsage,
  type ResponseBase,
} from "./response.ts";

export interface ResponsesStreamWriter {
  /** response.created + response.in_progress (once). */
  opening(): string;
  push(chunk: GenerateContentResponse): string;
  /** The closing events; throws when the stream failed or never finished. */
  finish(): string;
  /** response.failed with what went wrong. */
  failed(error: { code: string; message: string }): string;
  /** The finished response object (after finish()). */
  final(): JsonObject | undefined;
  blocks(): readonly Block[];
  signatures(): [callId: string, signature: string][];
}

interface OpenItem {
  kind: Exclude<Block["kind"], "image">;
  outputIndex: number;
  id: string;
  summaryPart: boolean;
}

export function createResponsesStream(base: ResponseBase, blockOptions: BlockOptions): ResponsesStreamWriter {
  const assembler = createBlockAssembler(blockOptions);
  const output: JsonObject[] = [];
  const items = new Map<number, OpenItem>();
  let seq = 0;
  let begun = false;
  let final: JsonObject | undefined;

  const ev = (type: string, data: JsonObject): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const opening = (): string => {
    if (begun) return "";
    begun = true;
    const response = responseObject(base, { status: "in_progress", output: [], usage: null });
    return ev("response.created", { response }) + ev("response.in_progress", { response });
  };

  const onStart = (index: number, b: Block): string => {
    if (b.kind === "image") return ""; // no output item type for a generated image
    const outputIndex = output.length;
    const id = itemId(b.kind, base.id, index);
    items.set(index, { kind: b.kind, outputIndex, id, summaryPart: false });
    const ref = (fields: JsonObject) => ({ output_index: outputIndex, item_id: id, ...fields });
    if (b.kind === "thinking") {
      const item = reasoningItem(id, { kind: "thinking", text: "" }, false);
      output.push(item);
      return ev("response.output_item.added", { output_index: outputIndex, item });
    }
    if (b.kind === "text") {
      const item = messageItem(id, "", "in_progress");
      output.push(item);
      return (
        ev("response.output_item.added", { output_index: outputIndex, item }) +
        ev("response.content_part.added", ref({ content_index: 0, part: outputText("") }))
      );
    }
    const item = functionCallItem(id, b, "in_progress");
    output.push(item);
    return (
      ev("response.output_item.added", { output_index: outputIndex, item }) +
      ev("response.function_call_arguments.delta", ref({ delta: JSON.stringify(b.args) }))
    );
  };

  const onDelta = (index: number, text: string): string => {
    const it = items.get(index);
    if (!it) return "";
    const ref = (fields: JsonObject) => ({ output_index: it.outputIndex, item_id: it.id, ...fields });
    if (it.kind === "text")
      return ev("response.output_text.delta", ref({ content_index: 0, delta: text, logprobs: [] }));
    let head = "";
    if (!it.summaryPart) {
      it.summaryPart = true;
      head = ev(
        "response.reasoning_summary_part.added",
        ref({ summary_index: 0, part: { type: "summary_text", text: "" } }),
      );
    }
    return head + ev("response.reasoning_summary_text.delta", ref({ summary_index: 0, delta: text }));
  };

  const onStop = (index: number, b: Block): string => {
    const it = items.get(index);
    if (!it || b.kind === "image") return "";
    const ref = (fields: JsonObject) => ({ output_index: it.outputIndex, item_id: it.id, ...fields });
    let text = "";
    let item: JsonObject;
    if (b.kind === "thinking") {
      if (it.summaryPart) {
        const part = { type: "summary_text", text: b.text };
        text +=
          ev("response.reasoning_summary_text.done", ref({ summary_index: 0, text: b.text })) +
          ev("response.reasoning_summary_part.done", ref({ summary_index: 0, part }));
      }
      item = reasoningItem(it.id, b, base.encryptedReasoning);
    } else if (b.kind === "text") {
      text +=
        ev("response.output_text.done", ref({ content_index: 0, text: b.text, logprobs: [] })) +
        ev("response.content_part.done", ref({ content_index: 0, part: outputText(b.text) }));
      item = messageItem(it.id, b.text, "completed");
    } else {
      item = functionCallItem(it.id, b, "completed");
      text += ev("response.function_call_arguments.done", ref({ name: b.name, arguments: item.arguments }));
    }
    output[it.outputIndex] = item;
    return text + ev("response.output_item.done", { output_index: it.outputIndex, item });
  };

  const render = (events: BlockEvent[]): string =>
    events
      .map((e) => {
        if (e.type === "start") return onStart(e.index, e.block);
        if (e.type === "delta") return onDelta(e.index, e.text);
        if (e.type === "stop") return onStop(e.index, e.block);
        return ""; // signatures are written with the finished reasoning item
      })
      .join("");

  return {
    opening,
    push: (chunk) => opening() + render(assembler.push(chunk)),
    finish: () => {
      const head = opening();
      const tail = render(assembler.finish());
      const s = assembler.summary();
      const { status, incomplete } = statusOf(s);
      final = responseObject(base, { status, incomplete, output: [...output], usage: toResponsesUsage(s.usage) });
      return (
        head + tail + ev(status === "completed" ? "response.completed" : "response.incomplete", { response: final })
      );
    },
    failed: (error) => {
      const response = responseObject(base, {
        status: "failed",
        output: [...output],
        usage: toResponsesUsage(assembler.usage()),
        error,
      });
      return opening() + ev("response.failed", { response });
    },
    final: () => final,
    blocks: () => assembler.summary().blocks,
    signatures: () => assembler.summary().signatures,
  };
}
