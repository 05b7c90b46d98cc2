// Pieces of a chat answer shared by the non-streaming and streaming writers.

import type { ImageBlock, ToolBlock } from "../../chat/blocks.ts";

export const THINK_OPEN = "<think>\n";
export const THINK_CLOSE = "\n</think>\n\n";

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  extra_content?: { google: { thought_signature: string } };
}

export function toToolCall(block: ToolBlock): OpenAIToolCall {
  const out: OpenAIToolCall = {
    id: block.id,
    type: "function",
    function: { name: block.name, arguments: JSON.stringify(block.args ?? {}) },
  };
  if (block.signature) out.extra_content = { google: { thought_signature: block.signature } };
  return out;
}

/** An image the model made, as gateways return them: `images: [{type: "image_url", image_url: {url}}]`. */
export function toImage(block: ImageBlock): { type: "image_url"; image_url: { url: string } } {
  return { type: "image_url", image_url: { url: `data:${block.mimeType};base64,${block.data}` } };
}
