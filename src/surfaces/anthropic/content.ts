// Anthropic messages → neutral turns. User turns: text, image, document, search_result, tool_result
// (images in results follow the results). Assistant turns: text, tool_use, thinking (its signature
// signs the next call, or the turn when it made none). System messages (also in the middle of
// `messages`, as Claude Code and LangChain send them): text blocks. Errors name Anthropic paths.

import { invalidParam } from "../../chat/errors.ts";
import { inlineSource, urlSource } from "../../chat/media.ts";
import type { ChatTurn, ContentBlock, MediaBlock } from "../../chat/types.ts";
import { isAbsent, isRecord, type JsonObject } from "../../chat/values.ts";

/** Block types Gemini has no use for (server-side tool traffic, redacted thoughts): skipped. */
const IGNORED = new Set([
  "redacted_thinking",
  "server_tool_use",
  "web_search_tool_result",
  "web_fetch_tool_result",
  "code_execution_tool_result",
  "bash_code_execution_tool_result",
  "text_editor_code_execution_tool_result",
  "mcp_tool_use",
  "mcp_tool_result",
  "container_upload",
]);

function str(v: unknown, param: string): string {
  if (typeof v !== "string") throw invalidParam(param, `${param}: Field required (a string).`, "invalid_type");
  return v;
}

/** Plain text of a string or of text blocks (other blocks ignored). */
export function blocksText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isRecord(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** An image or document block → a media block, or text for text-sourced documents. */
function mediaBlock(block: JsonObject, param: string): MediaBlock | { type: "text"; text: string } {
  const s = block.source;
  const p = `${param}.source`;
  if (!isRecord(s)) throw invalidParam(p, `${p}: Field required.`, "missing_required_parameter");
  const image = block.type === "image";
  switch (s.type) {
    case "base64": {
      const mime = str(s.media_type, `${p}.media_type`);
      const data = str(s.data, `${p}.data`);
      return { type: "media", source: inlineSource(data, mime, `${p}.data`), param: `${p}.data` };
    }
    case "url":
      return { type: "media", source: urlSource(str(s.url, `${p}.url`), `${p}.url`), param: `${p}.url` };
    case "text":
      if (image) break;
      return {
        type: "text",
        text:
          typeof block.title === "string" && block.title
            ? `${block.title}\n\n${str(s.data, `${p}.data`)}`
            : str(s.data, `${p}.data`),
      };
    case "content":
      if (image) break;
      return { type: "text", text: blocksText(s.content) };
    case "file":
      throw invalidParam(
        `${p}.file_id`,
        `${p}: file sources (Files API) are not supported; send the data as base64 or a URL.`,
        "unsupported_parameter",
      );
  }
  throw invalidParam(`${p}.type`, `${p}.type: unsupported source type ${JSON.stringify(s.type)}.`);
}

/** tool_result content → its text and any images in it. */
function toolResult(block: JsonObject, param: string): { text: string; media: MediaBlock[] } {
  const c = block.content;
  if (isAbsent(c)) return { text: "", media: [] };
  if (typeof c === "string") return { text: c, media: [] };
  if (!Array.isArray(c))
    throw invalidParam(
      `${param}.content`,
      `${param}.content: expected a string or an array of blocks.`,
      "invalid_type",
    );
  const texts: string[] = [];
  const media: MediaBlock[] = [];
  c.forEach((b, k) => {
    const bp = `${param}.content[${k}]`;
    if (!isRecord(b)) throw invalidParam(bp, `${bp}: expected an object.`, "invalid_type");
    if (b.type === "text") texts.push(str(b.text, `${bp}.text`));
    else if (b.type === "image" || b.type === "document") {
      const part = mediaBlock(b, bp);
      if (part.type === "text") texts.push(part.text);
      else media.push(part);
    } else if (b.type === "search_result") texts.push(blocksText(b.content));
    else if (typeof b.type !== "string")
      throw invalidParam(`${bp}.type`, `${bp}.type: Field required.`, "missing_required_parameter");
  });
  return { text: texts.join("\n"), media };
}

const contentArray = (content: unknown, param: string): unknown[] => {
  if (!Array.isArray(content))
    throw invalidParam(
      `${param}.content`,
      `${param}.content: expected a string or an array of content blocks.`,
      "invalid_type",
    );
  return content;
};

export function userTurn(content: unknown, param: string): ChatTurn {
  if (typeof content === "string") return { role: "user", blocks: content ? [{ type: "text", text: content }] : [] };
  const results: ContentBlock[] = [];
  const resultMedia: MediaBlock[] = [];
  const parts: ContentBlock[] = [];
  contentArray(content, param).forEach((block, j) => {
    const p = `${param}.content[${j}]`;
    if (!isRecord(block)) throw invalidParam(p, `${p}: expected a content block object.`, "invalid_type");
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: str(block.text, `${p}.text`) });
        return;
      case "image":
      case "document":
        parts.push(mediaBlock(block, p));
        return;
      case "search_result":
        parts.push({ type: "text", text: blocksText(block.content) });
        return;
      case "tool_result": {
        const id = str(block.tool_use_id, `${p}.tool_use_id`);
        const { text, media } = toolResult(block, p);
        results.push({
          type: "tool_result",
          callId: id,
          content: text,
          ...(block.is_error === true ? { isError: true } : {}),
        });
        resultMedia.push(...media);
        return;
      }
      case "thinking":
        return;
    }
    if (typeof block.type === "string" && IGNORED.has(block.type)) return;
    throw invalidParam(`${p}.type`, `${p}.type: unsupported content block type ${JSON.stringify(block.type)}.`);
  });
  // Images returned by tools follow the results in the same user turn.
  return { role: "user", blocks: [...results, ...resultMedia, ...parts] };
}

export function assistantTurn(content: unknown, param: string): ChatTurn {
  if (typeof content === "string")
    return { role: "assistant", blocks: content ? [{ type: "text", text: content }] : [] };
  const blocks: ContentBlock[] = [];
  contentArray(content, param).forEach((block, j) => {
    const p = `${param}.content[${j}]`;
    if (!isRecord(block)) throw invalidParam(p, `${p}: expected a content block object.`, "invalid_type");
    switch (block.type) {
      case "text":
        blocks.push({ type: "text", text: str(block.text, `${p}.text`) });
        return;
      case "thinking":
        // The thought text is Gemini's own summary: only its signature matters upstream.
        if (typeof block.signature === "string" && block.signature.length > 0)
          blocks.push({ type: "thinking", text: "", signature: block.signature });
        return;
      case "tool_use": {
        const input = block.input;
        if (!isAbsent(input) && !isRecord(input))
          throw invalidParam(`${p}.input`, `${p}.input: expected an object.`, "invalid_type");
        blocks.push({
          type: "tool_call",
          id: str(block.id, `${p}.id`),
          name: str(block.name, `${p}.name`),
          args: input ?? {},
        });
        return;
      }
    }
    if (typeof block.type === "string" && IGNORED.has(block.type)) return;
    throw invalidParam(
      `${p}.type`,
      `${p}.type: unsupported content block type ${JSON.stringify(block.type)} in an assistant turn.`,
    );
  });
  return { role: "assistant", blocks };
}

/** A system prompt: a string or text blocks (cache_control and other block keys are ignored). */
export function systemTurn(content: unknown, param: string): ChatTurn {
  if (typeof content === "string") return { role: "system", blocks: [{ type: "text", text: content }] };
  if (!Array.isArray(content))
    throw invalidParam(param, `${param}: expected a string or an array of text blocks.`, "invalid_type");
  const blocks = content.map((b, i): ContentBlock => {
    const p = `${param}[${i}]`;
    if (!isRecord(b)) throw invalidParam(p, `${p}: expected a text block {type:"text", text}.`, "invalid_type");
    if (b.type !== "text")
      throw invalidParam(
        `${p}.type`,
        `${p}.type: a system prompt takes text blocks only (got ${JSON.stringify(b.type)}).`,
      );
    return { type: "text", text: str(b.text, `${p}.text`) };
  });
  return { role: "system", blocks };
}
