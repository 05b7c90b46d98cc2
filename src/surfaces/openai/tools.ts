// OpenAI tools / tool_choice (and legacy functions / function_call) → neutral tools and tool choice
// (docs/openai-mapping.md#tools-and-tool_choice). Search tools and web_search_options → Google Search.

import { invalidParam } from "../../chat/errors.ts";
import type { ChatTool, ToolChoice } from "../../chat/types.ts";
import { isAbsent, isRecord, optRecord, type JsonObject } from "../../chat/values.ts";

export interface OpenAITools {
  tools: ChatTool[];
  search: boolean;
  toolChoice?: ToolChoice;
  /** true when the request used legacy `functions` (answer with message.function_call). */
  legacyFunctions: boolean;
}

interface FunctionSpec {
  name?: unknown;
  description?: unknown;
  parameters?: unknown;
}

function tool(spec: FunctionSpec, param: string): ChatTool {
  if (typeof spec.name !== "string" || spec.name.length === 0)
    throw invalidParam(`${param}.name`, `Missing or invalid function name at '${param}.name'.`);
  if (!isAbsent(spec.parameters) && !isRecord(spec.parameters)) {
    throw invalidParam(
      `${param}.parameters`,
      `Invalid '${param}.parameters': expected a JSON Schema object.`,
      "invalid_type",
    );
  }
  const out: ChatTool = { name: spec.name };
  if (typeof spec.description === "string" && spec.description.length > 0) out.description = spec.description;
  if (isRecord(spec.parameters)) out.schema = spec.parameters;
  return out;
}

function parseToolChoice(choice: unknown, declared: Set<string>, param: string): ToolChoice | undefined {
  const named = (name: unknown, p: string): string => {
    if (typeof name !== "string" || !declared.has(name))
      throw invalidParam(p, `Invalid '${p}': no function named ${JSON.stringify(name)} in tools.`);
    return name;
  };
  if (typeof choice === "string") {
    if (choice === "auto") return { mode: "auto" };
    if (choice === "none") return { mode: "none" };
    if (choice === "required" || choice === "any") {
      if (!declared.size) throw invalidParam(param, `'${param}' is "required" but no tools were given.`);
      return { mode: "required" };
    }
    throw invalidParam(
      param,
      `Invalid '${param}': ${JSON.stringify(choice)}. Expected "none", "auto", "required" or an object.`,
    );
  }
  if (!isRecord(choice)) throw invalidParam(param, `Invalid type for '${param}'.`, "invalid_type");
  if (choice.type === "function" || (param === "function_call" && "name" in choice)) {
    const fn = param === "function_call" ? choice : choice.function;
    const p = param === "function_call" ? `${param}.name` : `${param}.function.name`;
    return { mode: "required", names: [named(isRecord(fn) ? fn.name : undefined, p)] };
  }
  if (choice.type === "allowed_tools" && isRecord(choice.allowed_tools)) {
    const at = choice.allowed_tools;
    const list = Array.isArray(at.tools) ? at.tools : [];
    const names = list.map((t, i) => {
      const fn = isRecord(t) ? (isRecord(t.function) ? t.function : t) : undefined;
      return named(fn?.name, `${param}.allowed_tools.tools[${i}].function.name`);
    });
    if (at.mode === "required") return names.length ? { mode: "required", names } : { mode: "required" };
    return { mode: "allowed", names };
  }
  throw invalidParam(
    `${param}.type`,
    `Unsupported '${param}.type': ${JSON.stringify(choice.type)}.`,
    "unsupported_parameter",
  );
}

export function parseTools(body: JsonObject): OpenAITools {
  const tools: ChatTool[] = [];
  const declared = new Set<string>();
  let search = !isAbsent(body.web_search_options);
  if (!isAbsent(body.web_search_options)) optRecord(body.web_search_options, "web_search_options");

  if (!isAbsent(body.tools)) {
    if (!Array.isArray(body.tools))
      throw invalidParam("tools", "Invalid type for 'tools': expected an array.", "invalid_type");
    body.tools.forEach((t, i) => {
      const p = `tools[${i}]`;
      if (!isRecord(t)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
      if (t.type === "web_search" || t.type === "web_search_preview" || t.type === "google_search") {
        search = true;
        return;
      }
      if (t.type !== undefined && t.type !== "function") return; // custom / unknown tool kinds are skipped
      // Nested Chat Completions shape, or the flat Responses-style shape (Cursor).
      const nested = isRecord(t.function);
      const spec = (nested ? t.function : t) as FunctionSpec;
      if (!nested && t.function !== undefined)
        throw invalidParam(`${p}.function`, `Invalid type for '${p}.function'.`, "invalid_type");
      const d = tool(spec, nested ? `${p}.function` : p);
      if (declared.has(d.name))
        throw invalidParam(`${p}.function.name`, `Duplicate function name ${JSON.stringify(d.name)}.`);
      declared.add(d.name);
      tools.push(d);
    });
  }
  const legacy = !isAbsent(body.functions);
  if (legacy) {
    if (!Array.isArray(body.functions))
      throw invalidParam("functions", "Invalid type for 'functions': expected an array.", "invalid_type");
    body.functions.forEach((fn, i) => {
      if (!isRecord(fn)) throw invalidParam(`functions[${i}]`, `Invalid type for 'functions[${i}]'.`, "invalid_type");
      if (declared.has(fn.name as string)) return;
      tools.push(tool(fn, `functions[${i}]`));
      declared.add(fn.name as string);
    });
  }

  let toolChoice: ToolChoice | undefined;
  if (!isAbsent(body.tool_choice)) toolChoice = parseToolChoice(body.tool_choice, declared, "tool_choice");
  else if (!isAbsent(body.function_call)) toolChoice = parseToolChoice(body.function_call, declared, "function_call");

  const out: OpenAITools = { tools, search, legacyFunctions: legacy && isAbsent(body.tools) };
  if (toolChoice) out.toolChoice = toolChoice;
  return out;
}
