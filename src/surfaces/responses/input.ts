// Responses API `input` (a string or items) → neutral turns. function_call items join the assistant
// turn before them as tool calls; function_call_output items become tool results; a reasoning item's
// encrypted_content (where we put Gemini's thought signature) is a signed thinking block, which signs
// the next call (docs/openai-mapping.md#responses-api).

import { invalidParam } from "../../chat/errors.ts";
import { urlSource } from "../../chat/media.ts";
import type { ChatTurn, ContentBlock } from "../../chat/types.ts";
import { isAbsent, isRecord } from "../../chat/values.ts";

/** Items produced by hosted tools we do not run: skipped, as a replay of them means nothing to Gemini. */
const IGNORED = new Set([
  "web_search_call",
  "file_search_call",
  "computer_call",
  "computer_call_output",
  "code_interpreter_call",
  "image_generation_call",
  "local_shell_call",
  "local_shell_call_output",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "mcp_call",
  "custom_tool_call",
  "custom_tool_call_output",
]);
const ROLES = new Set(["user", "assistant", "system", "developer"]);

const str = (v: unknown, param: string): string => {
  if (typeof v !== "string")
    throw invalidParam(param, `Missing required parameter: '${param}' (a string).`, "missing_required_parameter");
  return v;
};

const MIME_BY_EXT: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

function part(p: unknown, param: string): ContentBlock {
  if (!isRecord(p)) throw invalidParam(param, `Invalid type for '${param}': expected an object.`, "invalid_type");
  switch (p.type) {
    case "input_text":
    case "output_text":
    case "text":
      return { type: "text", text: str(p.text, `${param}.text`) };
    case "refusal":
      return { type: "text", text: str(p.refusal, `${param}.refusal`) };
    case "input_image": {
      if (isAbsent(p.image_url) && !isAbsent(p.file_id))
        throw invalidParam(
          `${param}.file_id`,
          "file_id is not supported; send image_url (a data URI or an http(s) URL).",
          "unsupported_parameter",
        );
      const url = str(p.image_url, `${param}.image_url`);
      return { type: "media", source: urlSource(url, `${param}.image_url`), param: `${param}.image_url` };
    }
    case "input_file": {
      if (typeof p.file_url === "string")
        return { type: "media", source: urlSource(p.file_url, `${param}.file_url`), param: `${param}.file_url` };
      if (isAbsent(p.file_data))
        throw invalidParam(
          `${param}.file_data`,
          "input_file needs file_data (file_id is not supported).",
          "unsupported_parameter",
        );
      let data = str(p.file_data, `${param}.file_data`);
      if (!data.startsWith("data:")) {
        const ext = typeof p.filename === "string" ? (p.filename.split(".").pop() ?? "").toLowerCase() : "";
        data = `data:${MIME_BY_EXT[ext] ?? "application/pdf"};base64,${data}`;
      }
      return { type: "media", source: urlSource(data, `${param}.file_data`), param: `${param}.file_data` };
    }
  }
  throw invalidParam(`${param}.type`, `Invalid value for '${param}.type': ${JSON.stringify(p.type)}.`);
}

function content(c: unknown, param: string): ContentBlock[] {
  if (typeof c === "string") return c ? [{ type: "text", text: c }] : [];
  if (!Array.isArray(c))
    throw invalidParam(
      param,
      `Invalid type for '${param}': expected a string or an array of content parts.`,
      "invalid_type",
    );
  return c.map((p, i) => part(p, `${param}[${i}]`));
}

const textOf = (blocks: ContentBlock[]): string => blocks.map((b) => (b.type === "text" ? b.text : "")).join("");

export function inputToTurns(input: unknown): ChatTurn[] {
  if (typeof input === "string") return [{ role: "user", blocks: input ? [{ type: "text", text: input }] : [] }];
  if (!Array.isArray(input))
    throw invalidParam("input", "Invalid type for 'input': expected a string or an array of items.", "invalid_type");
  const out: ChatTurn[] = [];
  let assistant: { text: string; blocks: ContentBlock[]; calls: number } | undefined;
  let signature: string | undefined;
  const flush = (): void => {
    if (assistant) {
      const blocks: ContentBlock[] = assistant.text ? [{ type: "text", text: assistant.text }] : [];
      const turn: ChatTurn = { role: "assistant", blocks: [...blocks, ...assistant.blocks] };
      if (assistant.calls === 0 && signature) turn.signature = signature;
      out.push(turn);
      assistant = undefined;
    }
    signature = undefined; // a signature never crosses into another turn
  };
  input.forEach((item, i) => {
    const p = `input[${i}]`;
    if (!isRecord(item)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
    const type = isAbsent(item.type) && typeof item.role === "string" ? "message" : item.type;
    switch (type) {
      case "message": {
        if (typeof item.role !== "string" || !ROLES.has(item.role))
          throw invalidParam(
            `${p}.role`,
            `Invalid value for '${p}.role': ${JSON.stringify(item.role)}. Expected user, assistant, system or developer.`,
          );
        const c = content(item.content, `${p}.content`);
        if (item.role === "assistant") {
          if (assistant?.calls) flush();
          assistant ??= { text: "", blocks: [], calls: 0 };
          assistant.text += textOf(c);
          return;
        }
        flush();
        out.push({
          role: item.role === "user" ? "user" : "system",
          blocks: item.role === "user" ? c : [{ type: "text", text: textOf(c) }],
        });
        return;
      }
      case "function_call": {
        assistant ??= { text: "", blocks: [], calls: 0 };
        let args: Record<string, unknown>;
        try {
          const parsed: unknown =
            typeof item.arguments === "string" && item.arguments.trim() ? JSON.parse(item.arguments) : {};
          args = isRecord(parsed) ? parsed : { _raw: item.arguments };
        } catch {
          args = { _raw: item.arguments };
        }
        const call: ContentBlock = {
          type: "tool_call",
          id: str(item.call_id, `${p}.call_id`),
          name: str(item.name, `${p}.name`),
          args,
        };
        if (signature) call.signature = signature;
        signature = undefined;
        assistant.blocks.push(call);
        assistant.calls++;
        return;
      }
      case "function_call_output": {
        flush();
        const id = str(item.call_id, `${p}.call_id`);
        const o = item.output;
        const text =
          typeof o === "string"
            ? o
            : Array.isArray(o)
              ? textOf(content(o, `${p}.output`))
              : o === undefined
                ? ""
                : JSON.stringify(o);
        out.push({ role: "user", blocks: [{ type: "tool_result", callId: id, content: text }] });
        return;
      }
      case "reasoning":
        if (typeof item.encrypted_content === "string" && item.encrypted_content.length > 0)
          signature = item.encrypted_content;
        return;
      case "item_reference":
        throw invalidParam(
          `${p}.type`,
          "item_reference is not supported: send the items themselves, or use previous_response_id.",
          "unsupported_parameter",
        );
    }
    if (typeof type === "string" && IGNORED.has(type)) return;
    throw invalidParam(`${p}.type`, `Invalid value for '${p}.type': ${JSON.stringify(item.type)}.`);
  });
  flush();
  return out;
}
