// POST /v1/responses body → what the route needs: the new input as chat messages, the options that
// become a Chat Completions body for parseChatRequest (the one translation to Gemini), and the
// fields echoed in the response object. Malformed fields are 400s naming the Responses parameter.

import type { ReasoningEffort } from "../../gemini/thinking.ts";
import { invalidParam } from "../openai/errors.ts";
import { isAbsent, isRecord, optBool, optInt, optRecord, optString, type JsonObject } from "../../chat/values.ts";
import { inputToMessages } from "./input.ts";

export interface ResponsesRequest {
  model: string;
  /** The new input, as chat messages (without instructions). */
  input: JsonObject[];
  instructions?: string;
  previousResponseId?: string;
  stream: boolean;
  store: boolean;
  /** include: ["reasoning.encrypted_content"]: thought signatures travel in reasoning items. */
  encryptedReasoning: boolean;
  /** Chat Completions options (everything but model and messages). */
  options: JsonObject;
  /** Request fields the response object repeats. */
  echo: JsonObject;
}

const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh"]);

function tools(list: unknown): JsonObject[] | undefined {
  if (isAbsent(list)) return undefined;
  if (!Array.isArray(list)) throw invalidParam("tools", "Invalid type for 'tools': expected an array.", "invalid_type");
  return list.flatMap((t, i): JsonObject[] => {
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
      const fn: JsonObject = { name: t.name };
      if (typeof t.description === "string") fn.description = t.description;
      if (isRecord(t.parameters)) fn.parameters = t.parameters;
      return [{ type: "function", function: fn }];
    }
    if (typeof t.type === "string" && t.type.startsWith("web_search")) return [{ type: "web_search" }];
    if (typeof t.type !== "string")
      throw invalidParam(`${p}.type`, `Missing required parameter: '${p}.type'.`, "missing_required_parameter");
    return []; // hosted tools we cannot run (file_search, computer, mcp, custom…) are left out
  });
}

function toolChoice(choice: unknown): unknown {
  if (isAbsent(choice) || typeof choice === "string") return choice ?? undefined;
  if (!isRecord(choice)) throw invalidParam("tool_choice", "Invalid type for 'tool_choice'.", "invalid_type");
  if (choice.type === "function") {
    if (typeof choice.name !== "string")
      throw invalidParam(
        "tool_choice.name",
        "Missing required parameter: 'tool_choice.name'.",
        "missing_required_parameter",
      );
    return { type: "function", function: { name: choice.name } };
  }
  if (choice.type === "allowed_tools") {
    const list = Array.isArray(choice.tools) ? choice.tools.filter((t) => isRecord(t) && t.type === "function") : [];
    return {
      type: "allowed_tools",
      allowed_tools: { mode: choice.mode === "required" ? "required" : "auto", tools: list },
    };
  }
  return "auto"; // a hosted tool type: let the model decide
}

function textFormat(text: unknown): JsonObject | undefined {
  const t = optRecord(text, "text");
  const f = optRecord(t?.format, "text.format");
  if (!f || f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json_object" };
  if (f.type === "json_schema") {
    if (!isRecord(f.schema))
      throw invalidParam(
        "text.format.schema",
        "Missing required parameter: 'text.format.schema'.",
        "missing_required_parameter",
      );
    return {
      type: "json_schema",
      json_schema: {
        name: typeof f.name === "string" ? f.name : "response",
        schema: f.schema,
        strict: f.strict === true,
      },
    };
  }
  throw invalidParam(
    "text.format.type",
    `Invalid value for 'text.format.type': ${JSON.stringify(f.type)}. Expected text, json_object or json_schema.`,
  );
}

/** Thoughts are asked for only with reasoning.summary (the Responses API shows nothing otherwise). */
function reasoning(r: JsonObject | undefined, options: JsonObject): void {
  if (!r) return;
  const effort = optString(r.effort, "reasoning.effort");
  if (effort !== undefined && !EFFORTS.has(effort))
    throw invalidParam("reasoning.effort", `Invalid value for 'reasoning.effort': ${JSON.stringify(effort)}.`);
  const summary = optString(r.summary ?? r.generate_summary, "reasoning.summary");
  if (effort) options.reasoning_effort = effort as ReasoningEffort;
  if (effort || summary)
    options.google = { thinking_config: { include_thoughts: summary !== undefined && effort !== "none" } };
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
  const input = isAbsent(body.input) ? [] : inputToMessages(body.input);
  const instructions = optString(body.instructions, "instructions");
  const include = isAbsent(body.include) ? [] : body.include;
  if (!Array.isArray(include))
    throw invalidParam("include", "Invalid type for 'include': expected an array.", "invalid_type");

  const options: JsonObject = {};
  const t = tools(body.tools);
  if (t?.length) options.tools = t;
  const choice = toolChoice(body.tool_choice);
  if (choice !== undefined && (t?.length || choice === "required" || typeof choice === "object"))
    options.tool_choice = choice;
  const max = optInt(body.max_output_tokens, "max_output_tokens", 1);
  if (max !== undefined) options.max_tokens = max;
  for (const k of ["temperature", "top_p"] as const) if (!isAbsent(body[k])) options[k] = body[k];
  const rf = textFormat(body.text);
  if (rf) options.response_format = rf;
  reasoning(optRecord(body.reasoning, "reasoning"), options);
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
    options,
    echo,
  };
  if (instructions) out.instructions = instructions;
  return out;
}

/** The Chat Completions body: instructions, the stored history, then the new input. */
export function toChatBody(req: ResponsesRequest, model: string, history: readonly JsonObject[]): JsonObject {
  const messages: JsonObject[] = [];
  if (req.instructions) messages.push({ role: "system", content: req.instructions });
  messages.push(...history, ...req.input);
  return { ...req.options, model, messages };
}
