// The one mapping from the neutral request to Gemini's generateContent body. Pure: the route loads
// stored thought signatures and fetches media URLs first (surfaces/_prepare.ts) and passes them in.

import type { GenerateContentRequest } from "../gemini/types.ts";
import { applyVariant } from "../gemini/models.ts";
import { clampThinking } from "../gemini/thinking.ts";
import { toContents } from "./contents.ts";
import { toGenerationConfig } from "./generation.ts";
import type { MediaMap } from "./media.ts";
import { createToolNameMap } from "./tool-names.ts";
import { toGeminiTools, toToolConfig, type SchemaMode } from "./tools.ts";
import type { ChatRequest } from "./types.ts";

export interface GeminiMappingContext {
  /** Thought signatures loaded from storage for the call ids the request replays. */
  signatures?: ReadonlyMap<string, string>;
  /** Images and files fetched for the http(s) URLs in the request. */
  media?: MediaMap;
  /** Default "json-schema". */
  schemaMode?: SchemaMode;
  /** safetySettings sent when the request has none (default: none sent). */
  defaultSafetySettings?: GenerateContentRequest["safetySettings"];
}

export interface GeminiMapping {
  request: GenerateContentRequest;
  /** sanitized Gemini name → the client's tool name (only names that changed). */
  toolNames: ReadonlyMap<string, string>;
}

export function toGeminiRequest(chat: ChatRequest, ctx: GeminiMappingContext = {}): GeminiMapping {
  const names = createToolNameMap();
  const mode = ctx.schemaMode ?? "json-schema";
  // Declared first, so tool names keep their declared spelling when sanitizing collides.
  const tools = toGeminiTools(chat.tools, chat.search, names, mode);
  const converted = toContents(chat.turns, { names, media: ctx.media, signatures: ctx.signatures });
  const config = toGenerationConfig(chat, mode);
  const thinking = clampThinking(chat.model.base, chat.reasoning);
  if (thinking) config.thinkingConfig = thinking;

  const request: GenerateContentRequest = { contents: converted.contents };
  if (converted.systemInstruction) request.systemInstruction = converted.systemInstruction;
  if (tools) request.tools = tools;
  const toolConfig = toToolConfig(chat.toolChoice, chat.tools.length > 0, names);
  if (toolConfig) request.toolConfig = toolConfig;
  if (chat.safetySettings) request.safetySettings = chat.safetySettings.map((s) => ({ ...s }));
  else if (ctx.defaultSafetySettings?.length) request.safetySettings = ctx.defaultSafetySettings.map((s) => ({ ...s }));
  if (chat.cachedContent !== undefined) request.cachedContent = chat.cachedContent;
  if (Object.keys(config).length > 0) request.generationConfig = config;
  return { request: applyVariant(request, chat.model), toolNames: names.renamed };
}
