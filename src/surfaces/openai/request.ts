// POST /v1/chat/completions body → the neutral chat request (chat/types.ts), plus what only the
// OpenAI answer needs (n, include_usage, where thoughts go, legacy functions). Pure; unknown fields
// are ignored, malformed known fields throw ChatError naming the param.

import type { GenerateContentRequest } from "../../gemini/types.ts";
import type { ModelCatalogue, ResolvedModel } from "../../gemini/models.ts";
import { invalidParam, modelNotFound } from "../../chat/errors.ts";
import { toGeminiRequest, type GeminiMappingContext } from "../../chat/to-gemini.ts";
import type { ChatRequest } from "../../chat/types.ts";
import { isRecord, optBool, optRecord, pick, type JsonObject } from "../../chat/values.ts";
import { toTurns } from "./messages.ts";
import { googleOptions, parseReasoning, type ReasoningOutput } from "./reasoning.ts";
import { parseSettings } from "./settings.ts";
import { parseTools } from "./tools.ts";

export interface OpenAIChatOptions {
  /** Server default for where thoughts go (default "reasoning_content"). */
  reasoningOutput?: ReasoningOutput;
  /** Request thought summaries even when the client did not ask for reasoning (default false). */
  includeThoughts?: boolean;
}

export interface OpenAIChat {
  chat: ChatRequest;
  includeUsage: boolean;
  n: number;
  reasoning: ReasoningOutput;
  /** the request used legacy `functions`: answer with message.function_call / finish_reason "function_call" */
  legacyFunctions: boolean;
}

function safetySettings(value: unknown, param: string): ChatRequest["safetySettings"] {
  if (!Array.isArray(value))
    throw invalidParam(param, `Invalid type for '${param}': expected an array.`, "invalid_type");
  return value.map((s, i) => {
    if (!isRecord(s) || typeof s.category !== "string" || typeof s.threshold !== "string") {
      throw invalidParam(`${param}[${i}]`, `Invalid '${param}[${i}]': expected {category, threshold} strings.`);
    }
    return { category: s.category, threshold: s.threshold };
  });
}

export function parseOpenAIChat(body: unknown, catalogue: ModelCatalogue, options: OpenAIChatOptions = {}): OpenAIChat {
  if (!isRecord(body)) throw invalidParam(null, "The request body must be a JSON object.", "invalid_json");
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "Missing required parameter: 'model'.", "missing_required_parameter");
  const model = catalogue.resolve(body.model);
  if (!model) throw modelNotFound(body.model);

  const stream = optBool(body.stream, "stream") ?? false;
  const streamOptions = optRecord(body.stream_options, "stream_options");
  const includeUsage = stream && (optBool(streamOptions?.include_usage, "stream_options.include_usage") ?? false);
  const tools = parseTools(body);
  const turns = toTurns(body.messages);
  const settings = parseSettings(body, stream);
  const google = googleOptions(body);
  const reasoning = parseReasoning(body, google, {
    output: options.reasoningOutput ?? "reasoning_content",
    includeThoughts: options.includeThoughts ?? false,
  });

  const chat: ChatRequest = {
    model,
    turns,
    tools: tools.tools,
    search: tools.search,
    generation: settings.generation,
    reasoning: reasoning.wish,
    stream,
  };
  if (tools.toolChoice) chat.toolChoice = tools.toolChoice;
  if (settings.responseFormat) chat.responseFormat = settings.responseFormat;
  const safety = pick(google?.value, "safety_settings", "safetySettings");
  if (safety) chat.safetySettings = safetySettings(safety[1], `${google?.param}.${safety[0]}`);
  const cached = pick(google?.value, "cached_content", "cachedContent");
  if (cached) {
    if (typeof cached[1] !== "string")
      throw invalidParam(`${google?.param}.${cached[0]}`, "Invalid type: expected a string.", "invalid_type");
    chat.cachedContent = cached[1];
  }
  return {
    chat,
    includeUsage,
    n: settings.n,
    reasoning: reasoning.output,
    legacyFunctions: tools.legacyFunctions,
  };
}

export type ChatRequestOptions = OpenAIChatOptions & Pick<GeminiMappingContext, "schemaMode" | "defaultSafetySettings">;

export interface ChatPlan extends Omit<OpenAIChat, "chat"> {
  model: ResolvedModel;
  request: GenerateContentRequest;
  stream: boolean;
  /** sanitized Gemini name → original OpenAI name (only names that changed) */
  toolNames: ReadonlyMap<string, string>;
}

/** The whole pure path for one chat body: parse, then the core's mapping to Gemini. */
export function parseChatRequest(
  body: unknown,
  ctx: ChatRequestOptions &
    Omit<GeminiMappingContext, "schemaMode" | "defaultSafetySettings"> & { catalogue: ModelCatalogue },
): ChatPlan {
  const { chat, ...rest } = parseOpenAIChat(body, ctx.catalogue, ctx);
  const { request, toolNames } = toGeminiRequest(chat, ctx);
  return Object.assign({}, rest, { model: chat.model, request, stream: chat.stream, toolNames });
}

export type { JsonObject };
