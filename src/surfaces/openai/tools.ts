// OpenAI tools / tool_choice (and legacy functions / function_call) → Gemini tools + toolConfig
// (docs/openai-mapping.md#tools-and-tool_choice, docs/openai-mapping.md#grounding-and-citations). All functions go into ONE functionDeclarations entry;
// built-ins (googleSearch) are separate tool objects.

import type { GeminiFunctionDeclaration, GeminiTool, GenerateContentRequest } from "../../gemini/types.ts";
import { invalidParam } from "./errors.ts";
import { cleanJsonSchema, isEmptyObjectSchema } from "../../chat/schema.ts";
import { toOpenAPISchema } from "../../chat/openapi-schema.ts";
import type { ToolNameMap } from "../../chat/tool-names.ts";
import { isAbsent, isRecord, optRecord, type JsonObject } from "../../chat/values.ts";

export type SchemaMode = "json-schema" | "openapi";

export interface PreparedTools {
  tools?: GeminiTool[];
  toolConfig?: GenerateContentRequest["toolConfig"];
  /** true when the request used legacy `functions` (answer with message.function_call). */
  legacyFunctions: boolean;
}

interface FunctionSpec {
  name: unknown;
  description?: unknown;
  parameters?: unknown;
}

function declaration(
  spec: FunctionSpec,
  param: string,
  names: ToolNameMap,
  mode: SchemaMode,
): GeminiFunctionDeclaration {
  if (typeof spec.name !== "string" || spec.name.length === 0)
    throw invalidParam(`${param}.name`, `Missing or invalid function name at '${param}.name'.`);
  if (!isAbsent(spec.parameters) && !isRecord(spec.parameters)) {
    throw invalidParam(
      `${param}.parameters`,
      `Invalid '${param}.parameters': expected a JSON Schema object.`,
      "invalid_type",
    );
  }
  const decl: GeminiFunctionDeclaration = { name: names.toGemini(spec.name) };
  if (typeof spec.description === "string" && spec.description.length > 0) decl.description = spec.description;
  if (!isEmptyObjectSchema(spec.parameters)) {
    if (mode === "openapi") {
      const params = toOpenAPISchema(spec.parameters);
      if (params) decl.parameters = params;
    } else decl.parametersJsonSchema = cleanJsonSchema(spec.parameters);
  }
  return decl;
}

function parseToolChoice(
  choice: unknown,
  declared: Set<string>,
  names: ToolNameMap,
  param: string,
): GenerateContentRequest["toolConfig"] {
  const named = (name: unknown, p: string): string[] => {
    if (typeof name !== "string" || !declared.has(name))
      throw invalidParam(p, `Invalid '${p}': no function named ${JSON.stringify(name)} in tools.`);
    return [names.toGemini(name)];
  };
  if (typeof choice === "string") {
    if (choice === "auto") return declared.size ? { functionCallingConfig: { mode: "AUTO" } } : undefined;
    if (choice === "none") return declared.size ? { functionCallingConfig: { mode: "NONE" } } : undefined;
    if (choice === "required" || choice === "any") {
      if (!declared.size) throw invalidParam(param, `'${param}' is "required" but no tools were given.`);
      return { functionCallingConfig: { mode: "ANY" } };
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
    return {
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: named(isRecord(fn) ? fn.name : undefined, p) },
    };
  }
  if (choice.type === "allowed_tools" && isRecord(choice.allowed_tools)) {
    const at = choice.allowed_tools;
    const list = Array.isArray(at.tools) ? at.tools : [];
    const allowed = list.flatMap((t, i) => {
      const fn = isRecord(t) ? (isRecord(t.function) ? t.function : t) : undefined;
      return named(fn?.name, `${param}.allowed_tools.tools[${i}].function.name`);
    });
    const mode = at.mode === "required" ? "ANY" : "VALIDATED";
    return { functionCallingConfig: allowed.length ? { mode, allowedFunctionNames: allowed } : { mode } };
  }
  throw invalidParam(
    `${param}.type`,
    `Unsupported '${param}.type': ${JSON.stringify(choice.type)}.`,
    "unsupported_parameter",
  );
}

export function prepareTools(body: JsonObject, names: ToolNameMap, mode: SchemaMode): PreparedTools {
  const decls: GeminiFunctionDeclaration[] = [];
  const declared = new Set<string>();
  let search = !isAbsent(body.web_search_options);
  if (!isAbsent(body.web_search_options)) optRecord(body.web_search_options, "web_search_options");

  if (!isAbsent(body.tools)) {
    if (!Array.isArray(body.tools))
      throw invalidParam("tools", "Invalid type for 'tools': expected an array.", "invalid_type");
    body.tools.forEach((tool, i) => {
      const p = `tools[${i}]`;
      if (!isRecord(tool)) throw invalidParam(p, `Invalid type for '${p}': expected an object.`, "invalid_type");
      if (tool.type === "web_search" || tool.type === "web_search_preview" || tool.type === "google_search") {
        search = true;
        return;
      }
      if (tool.type !== undefined && tool.type !== "function") return; // custom / unknown tool kinds are skipped
      // Nested Chat Completions shape, or the flat Responses-style shape (Cursor).
      const nested = isRecord(tool.function);
      const spec = (nested ? tool.function : tool) as FunctionSpec;
      if (!nested && tool.function !== undefined)
        throw invalidParam(`${p}.function`, `Invalid type for '${p}.function'.`, "invalid_type");
      const d = declaration(spec, nested ? `${p}.function` : p, names, mode);
      if (declared.has(spec.name as string))
        throw invalidParam(`${p}.function.name`, `Duplicate function name ${JSON.stringify(spec.name)}.`);
      declared.add(spec.name as string);
      decls.push(d);
    });
  }
  const legacy = !isAbsent(body.functions);
  if (legacy) {
    if (!Array.isArray(body.functions))
      throw invalidParam("functions", "Invalid type for 'functions': expected an array.", "invalid_type");
    body.functions.forEach((fn, i) => {
      if (!isRecord(fn)) throw invalidParam(`functions[${i}]`, `Invalid type for 'functions[${i}]'.`, "invalid_type");
      if (declared.has(fn.name as string)) return;
      decls.push(declaration(fn as unknown as FunctionSpec, `functions[${i}]`, names, mode));
      declared.add(fn.name as string);
    });
  }

  const tools: GeminiTool[] = [];
  if (decls.length) tools.push({ functionDeclarations: decls });
  if (search) tools.push({ googleSearch: {} });

  let toolConfig: GenerateContentRequest["toolConfig"];
  if (!isAbsent(body.tool_choice)) toolConfig = parseToolChoice(body.tool_choice, declared, names, "tool_choice");
  else if (!isAbsent(body.function_call))
    toolConfig = parseToolChoice(body.function_call, declared, names, "function_call");

  const out: PreparedTools = { legacyFunctions: legacy && isAbsent(body.tools) };
  if (tools.length) out.tools = tools;
  if (toolConfig) out.toolConfig = toolConfig;
  return out;
}
