// POST /v1/messages (and count_tokens) body → a Chat Completions body for parseChatRequest, the one
// translation to Gemini (tools, schema cleanup, thinking clamp, signatures, media). Only fields this
// file knows are carried over; malformed ones are 400s naming the Anthropic field.

import { invalidParam } from "../openai/errors.ts";
import { isAbsent, isRecord, optBool, optInt, optRecord, type JsonObject } from "../../chat/values.ts";
import { assistantMessage, blocksText, userMessages } from "./content.ts";

export interface AnthropicRequest {
  /** The Chat Completions body (model: the Gemini id). */
  chat: JsonObject;
  stream: boolean;
  /** `thinking` is enabled (or adaptive): signatures travel in thinking blocks. */
  thinking: boolean;
}

function systemText(system: unknown): string | undefined {
  if (isAbsent(system)) return undefined;
  if (typeof system === "string") return system;
  if (!Array.isArray(system))
    throw invalidParam("system", "system: expected a string or an array of text blocks.", "invalid_type");
  system.forEach((b, i) => {
    if (!isRecord(b) || b.type !== "text" || typeof b.text !== "string")
      throw invalidParam(`system[${i}]`, `system[${i}]: expected a text block {type:"text", text}.`, "invalid_type");
  });
  return blocksText(system);
}

function tools(list: unknown): JsonObject[] | undefined {
  if (isAbsent(list)) return undefined;
  if (!Array.isArray(list)) throw invalidParam("tools", "tools: expected an array.", "invalid_type");
  const out: JsonObject[] = [];
  list.forEach((t, i) => {
    const p = `tools[${i}]`;
    if (!isRecord(t)) throw invalidParam(p, `${p}: expected an object.`, "invalid_type");
    if (typeof t.type === "string" && t.type.startsWith("web_search")) {
      out.push({ type: "web_search" }); // Anthropic's server-side search → Google Search grounding
      return;
    }
    // Anthropic-defined client tools (bash, text_editor, computer…) carry no schema Gemini could use.
    if (t.type !== undefined && t.type !== null && t.type !== "custom") return;
    if (typeof t.name !== "string" || t.name.length === 0)
      throw invalidParam(`${p}.name`, `${p}.name: Field required.`, "missing_required_parameter");
    if (!isRecord(t.input_schema))
      throw invalidParam(
        `${p}.input_schema`,
        `${p}.input_schema: Field required (a JSON Schema object).`,
        "missing_required_parameter",
      );
    const fn: JsonObject = { name: t.name, parameters: t.input_schema };
    if (typeof t.description === "string") fn.description = t.description;
    out.push({ type: "function", function: fn });
  });
  return out;
}

function toolChoice(choice: unknown): unknown {
  const c = optRecord(choice, "tool_choice");
  if (!c) return undefined;
  switch (c.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      if (typeof c.name !== "string" || !c.name)
        throw invalidParam("tool_choice.name", "tool_choice.name: Field required.", "missing_required_parameter");
      return { type: "function", function: { name: c.name } };
  }
  throw invalidParam(
    "tool_choice.type",
    `tool_choice.type: expected auto, any, tool or none (got ${JSON.stringify(c.type)}).`,
  );
}

function thinking(value: unknown): { chat?: JsonObject; enabled: boolean } {
  const t = optRecord(value, "thinking");
  if (!t) return { enabled: false };
  if (t.type === "disabled") return { chat: { type: "disabled" }, enabled: false };
  if (t.type !== "enabled" && t.type !== "adaptive")
    throw invalidParam(
      "thinking.type",
      `thinking.type: expected enabled, adaptive or disabled (got ${JSON.stringify(t.type)}).`,
    );
  const budget = optInt(t.budget_tokens, "thinking.budget_tokens", 0);
  if (t.type === "enabled" && budget === undefined)
    throw invalidParam(
      "thinking.budget_tokens",
      "thinking.budget_tokens: Field required.",
      "missing_required_parameter",
    );
  return {
    chat: budget === undefined ? { type: "enabled" } : { type: "enabled", budget_tokens: budget },
    enabled: true,
  };
}

export function parseAnthropicRequest(
  body: JsonObject,
  geminiModel: string,
  options: { countOnly?: boolean } = {},
): AnthropicRequest {
  const messages = body.messages;
  if (!Array.isArray(messages))
    throw invalidParam("messages", "messages: Field required (an array).", "missing_required_parameter");
  if (messages.length === 0) throw invalidParam("messages", "messages: at least one message is required.");
  const chatMessages: JsonObject[] = [];
  const system = systemText(body.system);
  if (system) chatMessages.push({ role: "system", content: system });
  messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isRecord(m)) throw invalidParam(p, `${p}: expected an object.`, "invalid_type");
    if (m.role === "user") chatMessages.push(...userMessages(m.content, p));
    else if (m.role === "assistant") chatMessages.push(assistantMessage(m.content, p));
    else throw invalidParam(`${p}.role`, `${p}.role: expected "user" or "assistant" (got ${JSON.stringify(m.role)}).`);
  });

  const chat: JsonObject = { model: geminiModel, messages: chatMessages };
  const max = optInt(body.max_tokens, "max_tokens", 1);
  if (max === undefined && !options.countOnly)
    throw invalidParam("max_tokens", "max_tokens: Field required.", "missing_required_parameter");
  if (max !== undefined) chat.max_tokens = max;
  for (const k of ["temperature", "top_p", "top_k"] as const) if (!isAbsent(body[k])) chat[k] = body[k];
  if (!isAbsent(body.stop_sequences)) {
    const s = body.stop_sequences;
    if (!Array.isArray(s) || !s.every((x) => typeof x === "string"))
      throw invalidParam("stop_sequences", "stop_sequences: expected an array of strings.", "invalid_type");
    if (s.length) chat.stop = s;
  }
  const t = tools(body.tools);
  if (t?.length) chat.tools = t;
  const choice = toolChoice(body.tool_choice);
  if (choice !== undefined && (t?.length || choice === "required" || typeof choice === "object"))
    chat.tool_choice = choice;
  const th = thinking(body.thinking);
  if (th.chat) chat.thinking = th.chat;
  const stream = options.countOnly ? false : (optBool(body.stream, "stream") ?? false);
  if (stream) chat.stream = true;
  return { chat, stream, thinking: th.enabled };
}
