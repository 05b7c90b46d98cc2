// OpenAI messages → neutral turns (docs/openai-mapping.md#messages-and-roles): system/developer →
// system turns; user → text and media blocks; assistant → text and tool calls (arguments parsed,
// the client's copy of each thought signature read); tool and legacy function results → tool result
// blocks in a user turn. Where they go in Gemini's contents is the core's business (chat/contents.ts).

import { invalidParam } from "../../chat/errors.ts";
import type { ChatTurn, ContentBlock, ToolCallBlock } from "../../chat/types.ts";
import { isAbsent, isRecord } from "../../chat/values.ts";
import { contentPart, textOf } from "./parts.ts";

function parseArgs(raw: unknown): Record<string, unknown> {
  if (isRecord(raw)) return raw;
  if (typeof raw !== "string" || raw.trim() === "") return {};
  try {
    const v: unknown = JSON.parse(raw);
    return isRecord(v) ? v : { _raw: raw };
  } catch {
    return { _raw: raw };
  }
}

function googleSig(o: unknown): string | undefined {
  if (!isRecord(o) || !isRecord(o.extra_content) || !isRecord(o.extra_content.google)) return undefined;
  const s = o.extra_content.google.thought_signature;
  return typeof s === "string" && s.length > 0 ? s : undefined;
}

/** The client's copy of a thought signature on a tool call (or on an assistant message). */
export function clientSignature(o: Record<string, unknown>): string | undefined {
  return (
    googleSig(o) ??
    googleSig(o.function) ??
    (typeof o.thought_signature === "string" && o.thought_signature ? o.thought_signature : undefined) ??
    (typeof o.thoughtSignature === "string" && o.thoughtSignature ? o.thoughtSignature : undefined)
  );
}

function contentOrThrow(m: Record<string, unknown>, p: string, allowNull: boolean): unknown {
  const c = m.content;
  if (typeof c === "string" || Array.isArray(c) || (allowNull && isAbsent(c))) return c;
  throw invalidParam(
    `${p}.content`,
    `Invalid type for '${p}.content': expected a string or an array of parts.`,
    "invalid_type",
  );
}

const missing = (param: string) =>
  invalidParam(param, `Missing required parameter: '${param}'.`, "missing_required_parameter");

function toolCalls(m: Record<string, unknown>, p: string): ToolCallBlock[] {
  if (!isAbsent(m.tool_calls)) {
    if (!Array.isArray(m.tool_calls))
      throw invalidParam(`${p}.tool_calls`, `Invalid type for '${p}.tool_calls': expected an array.`, "invalid_type");
    return m.tool_calls.map((tc, k) => {
      const tp = `${p}.tool_calls[${k}]`;
      if (!isRecord(tc) || !isRecord(tc.function)) throw missing(`${tp}.function`);
      const fn = tc.function;
      if (typeof fn.name !== "string" || fn.name.length === 0) throw missing(`${tp}.function.name`);
      const block: ToolCallBlock = { type: "tool_call", name: fn.name, args: parseArgs(fn.arguments) };
      if (typeof tc.id === "string" && tc.id.length > 0) block.id = tc.id;
      const sig = clientSignature(tc);
      if (sig) block.signature = sig;
      return block;
    });
  }
  if (isRecord(m.function_call)) {
    const fc = m.function_call;
    if (typeof fc.name !== "string" || fc.name.length === 0) throw missing(`${p}.function_call.name`);
    return [{ type: "tool_call", name: fc.name, args: parseArgs(fc.arguments) }];
  }
  return [];
}

export function toTurns(messages: unknown): ChatTurn[] {
  if (!Array.isArray(messages))
    throw invalidParam("messages", "Missing required parameter: 'messages' (an array).", "missing_required_parameter");
  if (messages.length === 0) throw invalidParam("messages", "'messages' must contain at least one message.");
  return messages.map((m, i): ChatTurn => {
    const p = `messages[${i}]`;
    if (!isRecord(m)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
    switch (m.role) {
      case "tool": {
        const content = textOf(contentOrThrow(m, p, true));
        if (typeof m.tool_call_id !== "string" || m.tool_call_id.length === 0) throw missing(`${p}.tool_call_id`);
        const block: ContentBlock = { type: "tool_result", callId: m.tool_call_id, content };
        if (typeof m.name === "string") block.name = m.name;
        return { role: "user", blocks: [block] };
      }
      case "function": {
        const content = textOf(contentOrThrow(m, p, true));
        if (typeof m.name !== "string" || m.name.length === 0) throw missing(`${p}.name`);
        return { role: "user", blocks: [{ type: "tool_result", name: m.name, content }] };
      }
      case "system":
      case "developer":
        return { role: "system", blocks: [{ type: "text", text: textOf(contentOrThrow(m, p, false)) }] };
      case "user": {
        const c = contentOrThrow(m, p, false);
        const blocks: ContentBlock[] =
          typeof c === "string"
            ? c
              ? [{ type: "text", text: c }]
              : []
            : (c as unknown[]).flatMap((part, j) => contentPart(part, `${p}.content[${j}]`) ?? []);
        return { role: "user", blocks };
      }
      case "assistant": {
        const text = textOf(contentOrThrow(m, p, true)) || (typeof m.refusal === "string" ? m.refusal : "");
        const calls = toolCalls(m, p);
        const turn: ChatTurn = {
          role: "assistant",
          blocks: [...(text ? [{ type: "text", text } as const] : []), ...calls],
        };
        const own = calls.length === 0 ? clientSignature(m) : undefined;
        if (own) turn.signature = own;
        return turn;
      }
    }
    throw invalidParam(
      `${p}.role`,
      `Invalid value for '${p}.role': ${JSON.stringify(m.role)}. Supported: system, developer, user, assistant, tool, function.`,
    );
  });
}
