// POST /v1/responses body → what the route needs: the new input as neutral turns, the settings of
// the neutral chat request, and the fields echoed in the response object. Malformed fields are 400s
// naming the Responses parameter (docs/openai-mapping.md#responses-api).

import type { ResolvedModel } from "../../gemini/models.ts";
import type { ReasoningEffort, ThinkingWish } from "../../gemini/thinking.ts";
import { invalidParam } from "../../chat/errors.ts";
import type { ChatRequest, ChatTool, ChatTurn, ResponseFormat, ToolChoice } from "../../chat/types.ts";
import {
  isAbsent,
  isRecord,
  optBool,
  optInt,
  optNumber,
  optRecord,
  optString,
  type JsonObject,
} from "../../chat/values.ts";
import { inputToTurns } from "./input.ts";

/** The request's settings, for every neutral chat request built from it. */
export interface ResponsesSettings {
  tools: ChatTool[];
  search: boolean;
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  generation: ChatRequest["generation"];
  reasoning: ThinkingWish;
}

export interface ResponsesRequest {
  model: string;
  /** The new input, as neutral turns (without instructions). */
  input: ChatTurn[];
  instructions?: string;
  previousResponseId?: string;
  stream: boolean;
  store: boolean;
  /** include: ["reasoning.encrypted_content"]: thought signatures travel in reasoning items. */
  encryptedReasoning: boolean;
  settings: ResponsesSettings;
  /** Request fields the response object repeats. */
  echo: JsonObject;
}

const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh"]);

function tools(list: unknown): { tools: ChatTool[]; search: boolean } {
  const out: ChatTool[] = [];
  let search = false;
  if (isAbsent(list)) return { tools: out, search };
  if (!Array.isArray(list)) throw invalidParam("tools", "Invalid type for 'tools': expected an array.", "invalid_type");
  list.forEach((t, i) => {
    const p = `tools[${i}]`;
    if (!isRecord(t)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
    if (t.type === "function") {
      if (typeof t.name !== "string" || !t.name)
        throw invalidParam(`${p}.name`, `Missing required parameter: '${p}.name'.`, "missing_required_parameter");
      if (!isAbsent(t.parameters) && !isRecord(t.parameters))
        throw invalidParam(
          `${p}.parameters`,
          `Invalid type for '${p}.parameters': expected a JSON Schema object.`,
          "invalid_type",
        );
      if (out.some((x) => x.name === t.name))
        throw invalidParam(`${p}.name`, `Duplicate function name ${JSON.stringify(t.name)}.`);
      const tool: ChatTool = { name: t.name };
      if (typeof t.description === "string" && t.description) tool.description = t.description;
      if (isRecord(t.parameters)) tool.schema = t.parameters;
      out.push(tool);
      return;
    }
    if (typeof t.type === "string" && t.type.startsWith("web_search")) {
      search = true;
      return;
    }
    if (typeof t.type !== "string")
      throw invalidParam(`${p}.type`, `Missing required parameter: '${p}.type'.`, "missing_required_parameter");
    // hosted tools we cannot run (file_search, computer, mcp, custom…) are left out
  });
  return { tools: out, search };
}

function toolChoice(choice: unknown, declared: readonly ChatTool[]): ToolChoice | undefined {
  const named = (name: unknown, p: string): string => {
    if (typeof name !== "string" || !declared.some((t) => t.name === name))
      throw invalidParam(p, `Invalid '${p}': no function named ${JSON.stringify(name)} in tools.`);
    return name;
  };
  if (isAbsent(choice)) return undefined;
  if (typeof choice === "string") {
    if (choice === "auto") return { mode: "auto" };
    if (choice === "none") return { mode: "none" };
    if (choice === "required") {
      if (!declared.length) throw invalidParam("tool_choice", `'tool_choice' is "required" but no tools were given.`);
      return { mode: "required" };
    }
    throw invalidParam("tool_choice", `Invalid 'tool_choice': ${JSON.stringify(choice)}.`);
  }
  if (!isRecord(choice)) throw invalidParam("tool_choice", "Invalid type for 'tool_choice'.", "invalid_type");
  if (choice.type === "function") {
    if (typeof choice.name !== "string")
      throw invalidParam(
        "tool_choice.name",
        "Missing required parameter: 'tool_choice.name'.",
        "missing_required_parameter",
      );
    return { mode: "required", names: [named(choice.name, "tool_choice.name")] };
  }
  if (choice.type === "allowed_tools") {
    const list = Array.isArray(choice.tools) ? choice.tools.filter((t) => isRecord(t) && t.type === "function") : [];
    const names = list.map((t, i) => named((t as JsonObject).name, `tool_choice.tools[${i}].name`));
    if (choice.mode === "required") return names.length ? { mode: "required", names } : { mode: "required" };
    return { mode: "allowed", names };
  }
  return { mode: "auto" }; // a hosted tool type: let the model decide
}

function textFormat(text: unknown): ResponseFormat | undefined {
  const t = optRecord(text, "text");
  const f = optRecord(t?.format, "text.format");
  if (!f || f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json", param: "text.format" };
  if (f.type === "json_schema") {
    if (!isRecord(f.schema))
      throw invalidParam(
        "text.format.schema",
        "Missing required parameter: 'text.format.schema'.",
        "missing_required_parameter",
      );
    return { type: "json_schema", schema: f.schema, param: "text.format" };
  }
  throw invalidParam(
    "text.format.type",
    `Invalid value for 'text.format.type': ${JSON.stringify(f.type)}. Expected text, json_object or json_schema.`,
  );
}

/** Thoughts are asked for only with reasoning.summary (the Responses API shows nothing otherwise). */
function reasoning(r: JsonObject | undefined): ThinkingWish {
  const wish: ThinkingWish = {};
  if (!r) return wish;
  const effort = optString(r.effort, "reasoning.effort");
  if (effort !== undefined && !EFFORTS.has(effort))
    throw invalidParam("reasoning.effort", `Invalid value for 'reasoning.effort': ${JSON.stringify(effort)}.`);
  const summary = optString(r.summary ?? r.generate_summary, "reasoning.summary");
  if (effort) wish.effort = effort as ReasoningEffort;
  if (effort || summary) wish.includeThoughts = summary !== undefined && effort !== "none";
  return wish;
}

export function parseResponsesRequest(body: JsonObject): ResponsesRequest {
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "Missing required parameter: 'model'.", "missing_required_parameter");
  const previousResponseId = optString(body.previous_response_id, "previous_response_id");
  if (isAbsent(body.input) && !previousResponseId)
    throw invalidParam("input", "Missing required parameter: 'input'.", "missing_required_parameter");
  if (optBool(body.background, "background"))
    throw invalidParam("background", "Background responses are not supported.", "unsupported_parameter");
  if (!isAbsent(body.conversation))
    throw invalidParam(
      "conversation",
      "Conversations are not supported; use previous_response_id.",
      "unsupported_parameter",
    );
  const input = isAbsent(body.input) ? [] : inputToTurns(body.input);
  const instructions = optString(body.instructions, "instructions");
  const include = isAbsent(body.include) ? [] : body.include;
  if (!Array.isArray(include))
    throw invalidParam("include", "Invalid type for 'include': expected an array.", "invalid_type");

  const declared = tools(body.tools);
  const settings: ResponsesSettings = Object.assign({}, declared, {
    generation: {},
    reasoning: reasoning(optRecord(body.reasoning, "reasoning")),
  });
  const choice = toolChoice(body.tool_choice, declared.tools);
  if (choice) settings.toolChoice = choice;
  const max = optInt(body.max_output_tokens, "max_output_tokens", 1);
  if (max !== undefined) settings.generation.maxOutputTokens = max;
  const temperature = optNumber(body.temperature, "temperature", 0, 2);
  if (temperature !== undefined) settings.generation.temperature = temperature;
  const topP = optNumber(body.top_p, "top_p", 0, 1);
  if (topP !== undefined) settings.generation.topP = topP;
  const rf = textFormat(body.text);
  if (rf) settings.responseFormat = rf;
  const stream = optBool(body.stream, "stream") ?? false;
  const store = optBool(body.store, "store") ?? true;
  optBool(body.parallel_tool_calls, "parallel_tool_calls");

  const echo: JsonObject = {
    instructions: instructions ?? null,
    max_output_tokens: max ?? null,
    metadata: isRecord(body.metadata) ? body.metadata : {},
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: previousResponseId ?? null,
    reasoning: isRecord(body.reasoning)
      ? { effort: body.reasoning.effort ?? null, summary: body.reasoning.summary ?? null }
      : { effort: null, summary: null },
    store,
    temperature: typeof body.temperature === "number" ? body.temperature : 1,
    text: isRecord(body.text) ? body.text : { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === "number" ? body.top_p : 1,
    truncation: typeof body.truncation === "string" ? body.truncation : "disabled",
    user: typeof body.user === "string" ? body.user : null,
  };
  const out: ResponsesRequest = {
    model: body.model,
    input,
    previousResponseId,
    stream,
    store,
    encryptedReasoning: include.includes("reasoning.encrypted_content"),
    settings,
    echo,
  };
  if (instructions) out.instructions = instructions;
  return out;
}

/** The neutral chat request: instructions, the stored history, then the new input. */
export function toChat(req: ResponsesRequest, model: ResolvedModel, history: readonly ChatTurn[]): ChatRequest {
  const turns: ChatTurn[] = [];
  if (req.instructions) turns.push({ role: "system", blocks: [{ type: "text", text: req.instructions }] });
  turns.push(...history, ...req.input);
  const { settings } = req;
  const chat: ChatRequest = {
    model,
    turns,
    tools: settings.tools,
    search: settings.search,
    generation: { ...settings.generation },
    reasoning: { ...settings.reasoning },
    stream: req.stream,
  };
  if (settings.toolChoice) chat.toolChoice = settings.toolChoice;
  if (settings.responseFormat) chat.responseFormat = settings.responseFormat;
  return chat;
}
