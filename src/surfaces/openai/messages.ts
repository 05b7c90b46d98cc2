// OpenAI messages → Gemini systemInstruction + contents (docs/openai-mapping.md#conversation-to-contents):
// leading system/developer → systemInstruction; later ones → user text; assistant → model turn with
// functionCall parts (thought signatures restored); tool/function results grouped into ONE user
// turn per assistant call turn, in call order, missing ones synthesized, orphans turned into text;
// adjacent same-role turns merged; history starts with a user turn and does not end on a model text turn.

import type { GeminiContent, GeminiPart } from "../../gemini/types.ts";
import { invalidParam } from "./errors.ts";
import { contentPart, textOf, type MediaMap } from "./parts.ts";
import { callSignature, ensureCurrentTurnSignatures } from "./signatures.ts";
import type { ToolNameMap } from "../../chat/tool-names.ts";
import { isAbsent, isRecord } from "../../chat/values.ts";

export interface MessageContext {
  names: ToolNameMap;
  media?: MediaMap;
  signatures?: ReadonlyMap<string, string>;
}

export interface ConvertedMessages {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

/** Ids Gemini itself produced are echoed upstream; ids we minted (`call_…`, Anthropic-style `toolu_…`) are not. */
export function isUpstreamCallId(id: string | undefined): id is string {
  return typeof id === "string" && id.length > 0 && !id.startsWith("call_") && !id.startsWith("toolu_");
}

interface PendingCall {
  id?: string;
  name: string; // Gemini-side name
  result?: GeminiPart;
}

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

function toolResponse(content: unknown): Record<string, unknown> {
  const text = textOf(content);
  try {
    const v: unknown = JSON.parse(text);
    if (isRecord(v)) return v;
  } catch {
    // plain text
  }
  return { output: text };
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

export function convertMessages(messages: unknown, ctx: MessageContext): ConvertedMessages {
  if (!Array.isArray(messages))
    throw invalidParam("messages", "Missing required parameter: 'messages' (an array).", "missing_required_parameter");
  if (messages.length === 0) throw invalidParam("messages", "'messages' must contain at least one message.");
  const system: string[] = [];
  const out: GeminiContent[] = [];
  let group: PendingCall[] | undefined;
  let orphans: GeminiPart[] = [];
  let seenConversation = false;
  const knownIds = new Set<string>();
  for (const m of messages) {
    if (isRecord(m) && m.role === "assistant" && Array.isArray(m.tool_calls)) {
      for (const tc of m.tool_calls) if (isRecord(tc) && typeof tc.id === "string") knownIds.add(tc.id);
    }
  }

  const flush = (): void => {
    const parts: GeminiPart[] = (group ?? []).map(
      (c) =>
        c.result ?? {
          functionResponse: {
            ...(isUpstreamCallId(c.id) ? { id: c.id } : {}),
            name: c.name,
            response: { error: "no result" },
          },
        },
    );
    parts.push(...orphans);
    if (parts.length) out.push({ role: "user", parts });
    group = undefined;
    orphans = [];
  };

  messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isRecord(m)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
    const role = m.role;
    if (role === "tool" || role === "function") {
      const content = contentOrThrow(m, p, true);
      let call: PendingCall | undefined;
      if (role === "tool") {
        if (typeof m.tool_call_id !== "string" || m.tool_call_id.length === 0)
          throw invalidParam(
            `${p}.tool_call_id`,
            `Missing required parameter: '${p}.tool_call_id'.`,
            "missing_required_parameter",
          );
        const id = m.tool_call_id;
        const open = (group ?? []).filter((c) => !c.result);
        call = group?.find((c) => c.id === id && !c.result);
        // Positional fallback for clients that rewrite ids (an id no assistant message in the request
        // carries): prefer an open call with the message's `name`, else the first open call.
        if (!call && !knownIds.has(id))
          call = open.find((c) => typeof m.name === "string" && c.name === ctx.names.toGemini(m.name)) ?? open[0];
      } else {
        if (typeof m.name !== "string" || m.name.length === 0)
          throw invalidParam(`${p}.name`, `Missing required parameter: '${p}.name'.`, "missing_required_parameter");
        const name = ctx.names.toGemini(m.name);
        call = group?.find((c) => c.name === name && !c.result);
      }
      if (call) {
        call.result = {
          functionResponse: {
            ...(isUpstreamCallId(call.id) ? { id: call.id } : {}),
            name: call.name,
            response: toolResponse(content),
          },
        };
      } else {
        const label = typeof m.name === "string" ? m.name : String(m.tool_call_id ?? "tool");
        orphans.push({ text: `[${label} result] ${textOf(content)}` });
        if (!group) flush();
      }
      return;
    }
    if (group || orphans.length) flush();
    if (role === "system" || role === "developer") {
      const text = textOf(contentOrThrow(m, p, false));
      if (!seenConversation) system.push(text);
      else if (text) out.push({ role: "user", parts: [{ text }] });
      return;
    }
    seenConversation = true;
    if (role === "user") {
      const c = contentOrThrow(m, p, false);
      const parts: GeminiPart[] =
        typeof c === "string"
          ? c
            ? [{ text: c }]
            : []
          : (c as unknown[]).flatMap((part, j): GeminiPart[] => {
              const g = contentPart(part, `${p}.content[${j}]`, ctx.media);
              return g ? [g] : [];
            });
      if (parts.length && parts.every((x) => x.text === undefined)) parts.push({ text: "" });
      if (parts.length) out.push({ role: "user", parts });
      return;
    }
    if (role === "assistant") {
      const text = textOf(contentOrThrow(m, p, true)) || (typeof m.refusal === "string" ? m.refusal : "");
      const parts: GeminiPart[] = text ? [{ text }] : [];
      const calls: PendingCall[] = [];
      if (!isAbsent(m.tool_calls)) {
        if (!Array.isArray(m.tool_calls))
          throw invalidParam(
            `${p}.tool_calls`,
            `Invalid type for '${p}.tool_calls': expected an array.`,
            "invalid_type",
          );
        m.tool_calls.forEach((tc, k) => {
          const tp = `${p}.tool_calls[${k}]`;
          if (!isRecord(tc) || !isRecord(tc.function))
            throw invalidParam(
              `${tp}.function`,
              `Missing required parameter: '${tp}.function'.`,
              "missing_required_parameter",
            );
          const fn = tc.function;
          if (typeof fn.name !== "string" || fn.name.length === 0)
            throw invalidParam(
              `${tp}.function.name`,
              `Missing required parameter: '${tp}.function.name'.`,
              "missing_required_parameter",
            );
          const id = typeof tc.id === "string" && tc.id.length > 0 ? tc.id : undefined;
          calls.push({ id, name: ctx.names.toGemini(fn.name) });
          const part: GeminiPart = {
            functionCall: {
              ...(isUpstreamCallId(id) ? { id } : {}),
              name: ctx.names.toGemini(fn.name),
              args: parseArgs(fn.arguments),
            },
          };
          const sig = callSignature(tc, id, ctx.signatures);
          if (sig) part.thoughtSignature = sig;
          parts.push(part);
        });
      } else if (isRecord(m.function_call)) {
        const fc = m.function_call;
        if (typeof fc.name !== "string" || fc.name.length === 0)
          throw invalidParam(
            `${p}.function_call.name`,
            `Missing required parameter: '${p}.function_call.name'.`,
            "missing_required_parameter",
          );
        calls.push({ name: ctx.names.toGemini(fc.name) });
        parts.push({ functionCall: { name: ctx.names.toGemini(fc.name), args: parseArgs(fc.arguments) } });
      }
      if (calls.length === 0 && parts.length > 0) {
        const sig = callSignature(m, undefined, undefined);
        if (sig) (parts[parts.length - 1] as GeminiPart).thoughtSignature = sig;
      }
      if (parts.length) out.push({ role: "model", parts });
      if (calls.length) group = calls;
      return;
    }
    throw invalidParam(
      `${p}.role`,
      `Invalid value for '${p}.role': ${JSON.stringify(role)}. Supported: system, developer, user, assistant, tool, function.`,
    );
  });
  flush();

  // Merge adjacent turns with the same role (Gemini wants user/model alternation).
  const contents: GeminiContent[] = [];
  for (const c of out) {
    const last = contents[contents.length - 1];
    if (last && last.role === c.role) last.parts.push(...c.parts);
    else contents.push({ role: c.role, parts: [...c.parts] });
  }
  const systemText = system.filter((s) => s.length > 0).join("\n\n");
  let systemInstruction: GeminiContent | undefined = systemText ? { parts: [{ text: systemText }] } : undefined;
  if (contents.length === 0) {
    if (!systemInstruction)
      throw invalidParam("messages", "'messages' must contain at least one message with content.");
    contents.push({ role: "user", parts: systemInstruction.parts });
    systemInstruction = undefined;
  }
  if (contents[0]?.role === "model") contents.unshift({ role: "user", parts: [{ text: " " }] });
  const last = contents[contents.length - 1];
  if (last?.role === "model" && !last.parts.some((x) => x.functionCall))
    contents.push({ role: "user", parts: [{ text: "Continue." }] });
  ensureCurrentTurnSignatures(contents);
  return systemInstruction ? { systemInstruction, contents } : { contents };
}
