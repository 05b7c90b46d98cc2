// Neutral tools and tool choice → Gemini tools + toolConfig (docs/openai-mapping.md#tools-and-tool_choice).
// All functions go into ONE functionDeclarations entry; Google Search is a separate tool object.

import type { GeminiFunctionDeclaration, GeminiTool, GenerateContentRequest } from "../gemini/types.ts";
import { toOpenAPISchema } from "./openapi-schema.ts";
import { cleanJsonSchema, isEmptyObjectSchema } from "./schema.ts";
import type { ToolNameMap } from "./tool-names.ts";
import type { ChatTool, ToolChoice } from "./types.ts";

/** "json-schema" (default): parametersJsonSchema / responseJsonSchema; "openapi": parameters / responseSchema. */
export type SchemaMode = "json-schema" | "openapi";

function declaration(tool: ChatTool, names: ToolNameMap, mode: SchemaMode): GeminiFunctionDeclaration {
  const decl: GeminiFunctionDeclaration = { name: names.toGemini(tool.name) };
  if (tool.description) decl.description = tool.description;
  if (!isEmptyObjectSchema(tool.schema)) {
    if (mode === "openapi") {
      const params = toOpenAPISchema(tool.schema);
      if (params) decl.parameters = params;
    } else decl.parametersJsonSchema = cleanJsonSchema(tool.schema);
  }
  return decl;
}

export function toGeminiTools(
  tools: readonly ChatTool[],
  search: boolean,
  names: ToolNameMap,
  mode: SchemaMode,
): GeminiTool[] | undefined {
  const out: GeminiTool[] = [];
  if (tools.length) out.push({ functionDeclarations: tools.map((t) => declaration(t, names, mode)) });
  if (search) out.push({ googleSearch: {} });
  return out.length ? out : undefined;
}

/** Modes `auto` and `none` mean nothing without functions (Gemini's default is AUTO). */
export function toToolConfig(
  choice: ToolChoice | undefined,
  hasFunctions: boolean,
  names: ToolNameMap,
): GenerateContentRequest["toolConfig"] {
  if (!choice) return undefined;
  switch (choice.mode) {
    case "auto":
      return hasFunctions ? { functionCallingConfig: { mode: "AUTO" } } : undefined;
    case "none":
      return hasFunctions ? { functionCallingConfig: { mode: "NONE" } } : undefined;
    case "required":
      return choice.names?.length
        ? { functionCallingConfig: { mode: "ANY", allowedFunctionNames: choice.names.map((n) => names.toGemini(n)) } }
        : { functionCallingConfig: { mode: "ANY" } };
    case "allowed":
      return choice.names.length
        ? {
            functionCallingConfig: {
              mode: "VALIDATED",
              allowedFunctionNames: choice.names.map((n) => names.toGemini(n)),
            },
          }
        : { functionCallingConfig: { mode: "VALIDATED" } };
  }
}
