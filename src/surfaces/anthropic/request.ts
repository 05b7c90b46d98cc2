// POST /v1/messages (and count_tokens) body → the neutral chat request. Only fields this file knows
// are read; malformed ones are 400s naming the Anthropic field (docs/openai-mapping.md#anthropic-messages).

import type { ResolvedModel } from "../../gemini/models.ts";
import type { ThinkingWish } from "../../gemini/thinking.ts";
import { invalidParam } from "../../chat/errors.ts";
import type { ChatRequest, ChatTool, ChatTurn, ResponseFormat, ToolChoice } from "../../chat/types.ts";
import { isAbsent, isRecord, optBool, optInt, optNumber, optRecord, type JsonObject } from "../../chat/values.ts";
import { assistantTurn, systemTurn, userTurn } from "./content.ts";

export interface AnthropicRequest {
  chat: ChatRequest;
  /** `thinking` is enabled (or adaptive): signatures travel in thinking blocks. */
  thinking: boolean;
  /** stop_sequences, which the proxy enforces itself (Gemini's STOP does not say which one matched). */
  stopSequences: string[];
}

function tools(list: unknown): { tools: ChatTool[]; search: boolean } {
  const out: ChatTool[] = [];
  let search = false;
  if (isAbsent(list)) return { tools: out, search };
  if (!Array.isArray(list)) throw invalidParam("tools", "tools: expected an array.", "invalid_type");
  const names = new Set<string>();
  list.forEach((t, i) => {
    const p = `tools[${i}]`;
    if (!isRecord(t)) throw invalidParam(p, `${p}: expected an object.`, "invalid_type");
    if (typeof t.type === "string" && t.type.startsWith("web_search")) {
      search = true; // Anthropic's server-side search → Google Search grounding
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
    if (names.has(t.name)) throw invalidParam(`${p}.name`, `${p}.name: duplicate tool name ${JSON.stringify(t.name)}.`);
    names.add(t.name);
    const tool: ChatTool = { name: t.name, schema: t.input_schema };
    if (typeof t.description === "string" && t.description) tool.description = t.description;
    out.push(tool);
  });
  return { tools: out, search };
}

function toolChoice(choice: unknown, declared: readonly ChatTool[]): ToolChoice | undefined {
  const c = optRecord(choice, "tool_choice");
  if (!c) return undefined;
  switch (c.type) {
    case "auto":
      return { mode: "auto" };
    case "none":
      return { mode: "none" };
    case "any":
      if (!declared.length) throw invalidParam("tool_choice", 'tool_choice: "any" needs at least one tool in tools.');
      return { mode: "required" };
    case "tool":
      if (typeof c.name !== "string" || !c.name)
        throw invalidParam("tool_choice.name", "tool_choice.name: Field required.", "missing_required_parameter");
      if (!declared.some((t) => t.name === c.name))
        throw invalidParam("tool_choice.name", `tool_choice.name: no tool named ${JSON.stringify(c.name)} in tools.`);
      return { mode: "required", names: [c.name] };
  }
  throw invalidParam(
    "tool_choice.type",
    `tool_choice.type: expected auto, any, tool or none (got ${JSON.stringify(c.type)}).`,
  );
}

function thinking(value: unknown): { wish: ThinkingWish; enabled: boolean } {
  const t = optRecord(value, "thinking");
  if (!t) return { wish: {}, enabled: false };
  if (t.type === "disabled") return { wish: { effort: "none" }, enabled: false };
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
  const wish: ThinkingWish = { includeThoughts: true };
  if (budget !== undefined) wish.budget = budget;
  return { wish, enabled: true };
}

/** Structured output: `output_config.format` (and the older beta `output_format`), `{type: "json_schema", schema}`. */
function outputFormat(body: JsonObject): ResponseFormat | undefined {
  const config = optRecord(body.output_config, "output_config");
  const [format, param] = !isAbsent(config?.format)
    ? [optRecord(config?.format, "output_config.format"), "output_config.format"]
    : [optRecord(body.output_format, "output_format"), "output_format"];
  if (!format) return undefined;
  if (format.type !== "json_schema")
    throw invalidParam(`${param}.type`, `${param}.type: expected "json_schema" (got ${JSON.stringify(format.type)}).`);
  if (!isRecord(format.schema))
    throw invalidParam(
      `${param}.schema`,
      `${param}.schema: Field required (a JSON Schema object).`,
      isAbsent(format.schema) ? "missing_required_parameter" : "invalid_type",
    );
  return { type: "json_schema", schema: format.schema, param };
}

function stopSequences(value: unknown): string[] {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value) || !value.every((x) => typeof x === "string"))
    throw invalidParam("stop_sequences", "stop_sequences: expected an array of strings.", "invalid_type");
  return value.filter((s) => s.length > 0);
}

export function parseAnthropicRequest(
  body: JsonObject,
  model: ResolvedModel,
  options: { countOnly?: boolean } = {},
): AnthropicRequest {
  const messages = body.messages;
  if (!Array.isArray(messages))
    throw invalidParam("messages", "messages: Field required (an array).", "missing_required_parameter");
  if (messages.length === 0) throw invalidParam("messages", "messages: at least one message is required.");
  const turns: ChatTurn[] = [];
  if (!isAbsent(body.system)) turns.push(systemTurn(body.system, "system"));
  messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isRecord(m)) throw invalidParam(p, `${p}: expected an object.`, "invalid_type");
    if (m.role === "user") turns.push(userTurn(m.content, p));
    else if (m.role === "assistant") turns.push(assistantTurn(m.content, p));
    else if (m.role === "system") turns.push(systemTurn(m.content, `${p}.content`));
    else
      throw invalidParam(
        `${p}.role`,
        `${p}.role: expected "user", "assistant" or "system" (got ${JSON.stringify(m.role)}).`,
      );
  });

  const max = optInt(body.max_tokens, "max_tokens", 1);
  if (max === undefined && !options.countOnly)
    throw invalidParam("max_tokens", "max_tokens: Field required.", "missing_required_parameter");
  const generation: ChatRequest["generation"] = {};
  if (max !== undefined) generation.maxOutputTokens = max;
  const temperature = optNumber(body.temperature, "temperature", 0, 2);
  if (temperature !== undefined) generation.temperature = temperature;
  const topP = optNumber(body.top_p, "top_p", 0, 1);
  if (topP !== undefined) generation.topP = topP;
  const topK = optInt(body.top_k, "top_k", 0);
  if (topK !== undefined && topK > 0) generation.topK = topK;
  const declared = tools(body.tools);
  const th = thinking(body.thinking);
  const stream = options.countOnly ? false : (optBool(body.stream, "stream") ?? false);

  const chat: ChatRequest = {
    model,
    turns,
    tools: declared.tools,
    search: declared.search,
    generation,
    reasoning: th.wish,
    stream,
  };
  const choice = toolChoice(body.tool_choice, declared.tools);
  if (choice) chat.toolChoice = choice;
  const format = outputFormat(body);
  if (format) chat.responseFormat = format;
  return { chat, thinking: th.enabled, stopSequences: stopSequences(body.stop_sequences) };
}
