// POST /v1/chat/completions body → a ready-to-send Gemini request (the "plan"). Pure: the route
// pre-fetches media (collectMediaUrls) and loads stored thought signatures (collectToolCallIds).
// Unknown fields are ignored; malformed known fields throw OpenAIError 400 naming the param.

import type { GenerateContentRequest } from "../../gemini/types.ts";
import { applyVariant, type ModelCatalogue, type ResolvedModel } from "../../gemini/models.ts";
import { clampThinking } from "../../gemini/thinking.ts";
import { invalidParam, modelNotFound } from "./errors.ts";
import { buildGenerationConfig } from "./generation-config.ts";
import { convertMessages } from "./messages.ts";
import { isFetchableUrl, type MediaMap } from "./parts.ts";
import { googleOptions, parseReasoning, type ReasoningOutput } from "./reasoning.ts";
import { createToolNameMap } from "../../chat/tool-names.ts";
import { callSignature } from "./signatures.ts";
import { prepareTools, type SchemaMode } from "./tools.ts";
import { isRecord, optBool, optRecord, pick } from "../../chat/values.ts";

export interface ChatRequestContext {
  catalogue: ModelCatalogue;
  /** thought signatures the route loaded from storage for the tool_call ids in the request */
  signatures?: ReadonlyMap<string, string>;
  /** images/files the route fetched for the http(s) URLs in the request */
  media?: MediaMap;
}

export interface ChatRequestOptions {
  /** Server default for where thoughts go (default "reasoning_content"). */
  reasoningOutput?: ReasoningOutput;
  /** Request thought summaries even when the client did not ask for reasoning (default false). */
  includeThoughts?: boolean;
  /** "json-schema" (default): parametersJsonSchema / responseJsonSchema; "openapi": parameters / responseSchema. */
  schemaMode?: SchemaMode;
  /** safetySettings sent when the request has none (default: none sent). */
  defaultSafetySettings?: GenerateContentRequest["safetySettings"];
}

export interface ChatPlan {
  model: ResolvedModel;
  request: GenerateContentRequest;
  stream: boolean;
  includeUsage: boolean;
  n: number;
  /** sanitized Gemini name → original OpenAI name (only names that changed) */
  toolNames: ReadonlyMap<string, string>;
  reasoning: ReasoningOutput;
  /** the request used legacy `functions`: answer with message.function_call / finish_reason "function_call" */
  legacyFunctions: boolean;
}

function safetySettings(value: unknown, param: string): GenerateContentRequest["safetySettings"] {
  if (!Array.isArray(value))
    throw invalidParam(param, `Invalid type for '${param}': expected an array.`, "invalid_type");
  return value.map((s, i) => {
    if (!isRecord(s) || typeof s.category !== "string" || typeof s.threshold !== "string") {
      throw invalidParam(`${param}[${i}]`, `Invalid '${param}[${i}]': expected {category, threshold} strings.`);
    }
    return { category: s.category, threshold: s.threshold };
  });
}

export function parseChatRequest(body: unknown, ctx: ChatRequestContext & ChatRequestOptions): ChatPlan {
  if (!isRecord(body)) throw invalidParam(null, "The request body must be a JSON object.", "invalid_json");
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "Missing required parameter: 'model'.", "missing_required_parameter");
  const model = ctx.catalogue.resolve(body.model);
  if (!model) throw modelNotFound(body.model);

  const stream = optBool(body.stream, "stream") ?? false;
  const streamOptions = optRecord(body.stream_options, "stream_options");
  const includeUsage = stream && (optBool(streamOptions?.include_usage, "stream_options.include_usage") ?? false);
  const names = createToolNameMap();
  const schemaMode = ctx.schemaMode ?? "json-schema";

  const tools = prepareTools(body, names, schemaMode);
  const converted = convertMessages(body.messages, { names, media: ctx.media, signatures: ctx.signatures });
  const forcedToolCall = tools.toolConfig?.functionCallingConfig?.mode === "ANY";
  const { config, n } = buildGenerationConfig({ body, model: model.base, stream, schemaMode, forcedToolCall });

  const google = googleOptions(body);
  const reasoning = parseReasoning(body, google, {
    output: ctx.reasoningOutput ?? "reasoning_content",
    includeThoughts: ctx.includeThoughts ?? false,
  });
  const thinking = clampThinking(model.base, reasoning.wish);
  if (thinking) config.thinkingConfig = thinking;

  const request: GenerateContentRequest = { contents: converted.contents };
  if (converted.systemInstruction) request.systemInstruction = converted.systemInstruction;
  if (tools.tools) request.tools = tools.tools;
  if (tools.toolConfig) request.toolConfig = tools.toolConfig;
  const safety = pick(google?.value, "safety_settings", "safetySettings");
  if (safety) request.safetySettings = safetySettings(safety[1], `${google?.param}.${safety[0]}`);
  else if (ctx.defaultSafetySettings?.length) request.safetySettings = ctx.defaultSafetySettings.map((s) => ({ ...s }));
  const cached = pick(google?.value, "cached_content", "cachedContent");
  if (cached) {
    if (typeof cached[1] !== "string")
      throw invalidParam(`${google?.param}.${cached[0]}`, "Invalid type: expected a string.", "invalid_type");
    request.cachedContent = cached[1];
  }
  if (Object.keys(config).length > 0) request.generationConfig = config;

  return {
    model,
    request: applyVariant(request, model),
    stream,
    includeUsage,
    n,
    toolNames: names.renamed,
    reasoning: reasoning.output,
    legacyFunctions: tools.legacyFunctions,
  };
}

function messagesOf(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body.messages)) return [];
  return body.messages.filter(isRecord);
}

/** tool_call ids of assistant messages (for the signature lookup); safe on garbage input. */
export function collectToolCallIds(body: unknown): string[] {
  const ids: string[] = [];
  for (const m of messagesOf(body)) {
    if (m.role !== "assistant" || !Array.isArray(m.tool_calls)) continue;
    for (const tc of m.tool_calls) if (isRecord(tc) && typeof tc.id === "string" && tc.id.length > 0) ids.push(tc.id);
  }
  return [...new Set(ids)];
}

/** tool_call ids whose call carries no signature of its own: only these need the server-side store. */
export function collectUnsignedToolCallIds(body: unknown): string[] {
  const ids: string[] = [];
  for (const m of messagesOf(body)) {
    if (m.role !== "assistant" || !Array.isArray(m.tool_calls)) continue;
    for (const tc of m.tool_calls) {
      if (isRecord(tc) && typeof tc.id === "string" && tc.id.length > 0 && !callSignature(tc, undefined, undefined))
        ids.push(tc.id);
    }
  }
  return [...new Set(ids)];
}

/** http(s) image/file URLs the route must fetch (not data URIs, not Gemini file URIs); safe on garbage input. */
export function collectMediaUrls(body: unknown): string[] {
  const urls: string[] = [];
  for (const m of messagesOf(body)) {
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content) {
      if (!isRecord(part)) continue;
      const img = part.image_url;
      const url =
        typeof img === "string" ? img : isRecord(img) ? img.url : isRecord(part.file) ? part.file.file_data : undefined;
      if (typeof url === "string" && isFetchableUrl(url)) urls.push(url);
    }
  }
  return [...new Set(urls)];
}
