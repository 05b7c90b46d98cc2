// Anthropic message content blocks → the Chat Completions message shape that src/surfaces/openai/messages.ts
// turns into Gemini contents (the shared internal representation). User turns: text, image,
// document, tool_result (→ tool messages, images in results → a user turn right after them).
// Assistant turns: text, tool_use (→ tool_calls), thinking (its signature → the next tool call's
// thought signature, or the turn's own when it made no call). Errors name Anthropic paths.

import { invalidParam } from "../openai/errors.ts";
import { isAbsent, isRecord, type JsonObject } from "../../chat/values.ts";

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** Block types Gemini has no use for (server-side tool traffic, redacted thoughts): skipped. */
const IGNORED = new Set([
  "thinking",
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

function base64(data: unknown, mediaType: unknown, param: string): string {
  const mime = str(mediaType, `${param}.media_type`);
  const clean = str(data, `${param}.data`).replace(/\s+/g, "");
  if (clean.length === 0 || !BASE64.test(clean))
    throw invalidParam(`${param}.data`, `${param}.data: invalid base64 data.`);
  return `data:${mime};base64,${clean}`;
}

/** Plain text of a string or of text blocks (other blocks ignored). */
export function blocksText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isRecord(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** An image or document block → a chat content part. */
function mediaPart(block: JsonObject, param: string): JsonObject {
  const s = block.source;
  const p = `${param}.source`;
  if (!isRecord(s)) throw invalidParam(p, `${p}: Field required.`, "missing_required_parameter");
  const image = block.type === "image";
  const asPart = (url: string): JsonObject =>
    image ? { type: "image_url", image_url: { url } } : { type: "file", file: { file_data: url } };
  switch (s.type) {
    case "base64":
      return asPart(base64(s.data, s.media_type, p));
    case "url":
      return asPart(str(s.url, `${p}.url`));
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
function toolResult(block: JsonObject, param: string): { text: string; media: JsonObject[] } {
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
  const media: JsonObject[] = [];
  c.forEach((b, k) => {
    const bp = `${param}.content[${k}]`;
    if (!isRecord(b)) throw invalidParam(bp, `${bp}: expected an object.`, "invalid_type");
    if (b.type === "text") texts.push(str(b.text, `${bp}.text`));
    else if (b.type === "image" || b.type === "document") {
      const part = mediaPart(b, bp);
      if (part.type === "text") texts.push(part.text as string);
      else media.push(part);
    } else if (b.type === "search_result") texts.push(blocksText(b.content));
    else if (typeof b.type !== "string")
      throw invalidParam(`${bp}.type`, `${bp}.type: Field required.`, "missing_required_parameter");
  });
  return { text: texts.join("\n"), media };
}

export function userMessages(content: unknown, param: string): JsonObject[] {
  if (typeof content === "string") return [{ role: "user", content }];
  if (!Array.isArray(content))
    throw invalidParam(
      `${param}.content`,
      `${param}.content: expected a string or an array of content blocks.`,
      "invalid_type",
    );
  const tools: JsonObject[] = [];
  const toolMedia: JsonObject[] = [];
  const parts: JsonObject[] = [];
  content.forEach((block, j) => {
    const p = `${param}.content[${j}]`;
    if (!isRecord(block)) throw invalidParam(p, `${p}: expected a content block object.`, "invalid_type");
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: str(block.text, `${p}.text`) });
        return;
      case "image":
      case "document":
        parts.push(mediaPart(block, p));
        return;
      case "search_result":
        parts.push({ type: "text", text: blocksText(block.content) });
        return;
      case "tool_result": {
        const id = str(block.tool_use_id, `${p}.tool_use_id`);
        const { text, media } = toolResult(block, p);
        // Gemini reads {error} in a function response as a failed call.
        const out = block.is_error === true ? JSON.stringify({ error: text || "The tool failed." }) : text;
        tools.push({ role: "tool", tool_call_id: id, content: out });
        toolMedia.push(...media);
        return;
      }
    }
    if (typeof block.type === "string" && IGNORED.has(block.type)) return;
    throw invalidParam(`${p}.type`, `${p}.type: unsupported content block type ${JSON.stringify(block.type)}.`);
  });
  // Images returned by tools follow the results in the same (merged) user turn.
  const user = [...toolMedia, ...parts];
  return user.length ? [...tools, { role: "user", content: user }] : tools;
}

export function assistantMessage(content: unknown, param: string): JsonObject {
  if (typeof content === "string") return { role: "assistant", content };
  if (!Array.isArray(content))
    throw invalidParam(
      `${param}.content`,
      `${param}.content: expected a string or an array of content blocks.`,
      "invalid_type",
    );
  let text = "";
  const calls: JsonObject[] = [];
  let signature: string | undefined;
  content.forEach((block, j) => {
    const p = `${param}.content[${j}]`;
    if (!isRecord(block)) throw invalidParam(p, `${p}: expected a content block object.`, "invalid_type");
    switch (block.type) {
      case "text":
        text += str(block.text, `${p}.text`);
        return;
      case "thinking":
        if (typeof block.signature === "string" && block.signature.length > 0) signature = block.signature;
        return;
      case "tool_use": {
        const input = block.input;
        if (!isAbsent(input) && !isRecord(input))
          throw invalidParam(`${p}.input`, `${p}.input: expected an object.`, "invalid_type");
        const call: JsonObject = {
          id: str(block.id, `${p}.id`),
          type: "function",
          function: { name: str(block.name, `${p}.name`), arguments: JSON.stringify(input ?? {}) },
        };
        if (signature) call.extra_content = { google: { thought_signature: signature } };
        signature = undefined;
        calls.push(call);
        return;
      }
    }
    if (typeof block.type === "string" && IGNORED.has(block.type)) return;
    throw invalidParam(
      `${p}.type`,
      `${p}.type: unsupported content block type ${JSON.stringify(block.type)} in an assistant turn.`,
    );
  });
  const message: JsonObject = { role: "assistant", content: text };
  if (calls.length) message.tool_calls = calls;
  else if (signature) message.thought_signature = signature;
  return message;
}
