// OpenAI sampling / output parameters → Gemini generationConfig (docs/openai-mapping.md#request-parameters, docs/openai-mapping.md#generation-config, docs/openai-mapping.md#response-format).
// Thinking is handled in reasoning.ts; tools in tools.ts.

import type { GeminiGenerationConfig } from "../../gemini/types.ts";
import type { ModelInfo } from "../../gemini/models.ts";
import { invalidParam } from "./errors.ts";
import { toOpenAPISchema } from "../../chat/openapi-schema.ts";
import { cleanJsonSchema } from "../../chat/schema.ts";
import type { SchemaMode } from "./tools.ts";
import { isAbsent, isRecord, optBool, optInt, optNumber, optRecord, type JsonObject } from "../../chat/values.ts";

/** Gemini accepts 1..16 stop sequences ("supported range is from 1 (inclusive) to 17 (exclusive)"). */
export const MAX_STOP_SEQUENCES = 16;
/** Gemini candidateCount upper bound. */
export const MAX_CANDIDATES = 8;

/** Families that answer 400 "Penalty is not enabled for models/…": penalties are dropped for them. */
export function rejectsPenalties(model: ModelInfo): boolean {
  return model.family === "gemini-2.5" || model.family === "gemini-3" || /^gemini-([3-9]|2\.5)/.test(model.id);
}

function stopSequences(stop: unknown): string[] | undefined {
  if (isAbsent(stop)) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) {
    throw invalidParam("stop", "Invalid type for 'stop': expected a string or an array of strings.", "invalid_type");
  }
  const kept = list.filter((s) => s.length > 0).slice(0, MAX_STOP_SEQUENCES);
  return kept.length ? kept : undefined;
}

function responseFormat(rf: unknown, config: GeminiGenerationConfig, mode: SchemaMode): void {
  const f = optRecord(rf, "response_format");
  if (!f) return;
  if (f.type === "text") return;
  if (f.type === "json_object") {
    config.responseMimeType = "application/json";
    return;
  }
  if (f.type === "json_schema") {
    const js = optRecord(f.json_schema, "response_format.json_schema");
    if (!js)
      throw invalidParam(
        "response_format.json_schema",
        "Missing required parameter: 'response_format.json_schema'.",
        "missing_required_parameter",
      );
    config.responseMimeType = "application/json";
    const schema = optRecord(js.schema, "response_format.json_schema.schema");
    if (!schema) return;
    if (mode === "openapi") {
      const converted = toOpenAPISchema(schema);
      if (converted) config.responseSchema = converted;
    } else config.responseJsonSchema = cleanJsonSchema(schema);
    return;
  }
  throw invalidParam(
    "response_format.type",
    `Invalid value for 'response_format.type': ${JSON.stringify(f.type)}. Expected text, json_object or json_schema.`,
  );
}

export interface GenerationInput {
  body: JsonObject;
  model: ModelInfo;
  stream: boolean;
  schemaMode: SchemaMode;
  /** toolConfig mode is ANY: Gemini rejects it together with a JSON response mime type. */
  forcedToolCall: boolean;
}

export function buildGenerationConfig({ body, model, stream, schemaMode, forcedToolCall }: GenerationInput): {
  config: GeminiGenerationConfig;
  n: number;
} {
  const config: GeminiGenerationConfig = {};
  const temperature = optNumber(body.temperature, "temperature", 0, 2);
  if (temperature !== undefined) config.temperature = temperature;
  const topP = optNumber(body.top_p, "top_p", 0, 1);
  if (topP !== undefined) config.topP = topP;
  const topK = optInt(body.top_k, "top_k", 0);
  if (topK !== undefined && topK > 0) config.topK = topK;
  const n = optInt(body.n, "n", 1, MAX_CANDIDATES) ?? 1;
  if (n > 1 && stream)
    throw invalidParam("n", "'n' greater than 1 is not supported with stream: true.", "unsupported_parameter");
  if (n > 1) config.candidateCount = n;
  const maxCompletion = optInt(body.max_completion_tokens, "max_completion_tokens", 1);
  const maxTokens = optInt(body.max_tokens, "max_tokens", 1);
  const max = maxCompletion ?? maxTokens;
  if (max !== undefined) config.maxOutputTokens = max;
  const stop = stopSequences(body.stop);
  if (stop) config.stopSequences = stop;
  const presence = optNumber(body.presence_penalty, "presence_penalty", -2, 2);
  const frequency = optNumber(body.frequency_penalty, "frequency_penalty", -2, 2);
  if (!rejectsPenalties(model)) {
    if (presence) config.presencePenalty = presence;
    if (frequency) config.frequencyPenalty = frequency;
  }
  const seed = optInt(body.seed, "seed");
  if (seed !== undefined) config.seed = seed;
  const logprobs = optBool(body.logprobs, "logprobs");
  const top = optInt(body.top_logprobs, "top_logprobs", 0, 20);
  if (logprobs) {
    config.responseLogprobs = true;
    if (top !== undefined && top > 0) config.logprobs = top;
  }
  responseFormat(body.response_format, config, schemaMode);
  if (forcedToolCall && config.responseMimeType === "application/json") {
    throw invalidParam(
      "response_format",
      'A JSON response_format cannot be combined with a forced tool call (tool_choice "required" or a named function) on Gemini.',
      "unsupported_parameter",
    );
  }
  if (Array.isArray(body.modalities) && body.modalities.includes("audio")) {
    throw invalidParam("modalities", "Audio output is not supported.", "unsupported_parameter");
  }
  if (!isAbsent(body.modalities) && !Array.isArray(body.modalities))
    throw invalidParam("modalities", "Invalid type for 'modalities': expected an array.", "invalid_type");
  if (isRecord(body.audio) && Array.isArray(body.modalities) && body.modalities.includes("audio"))
    throw invalidParam("audio", "Audio output is not supported.", "unsupported_parameter");
  return { config, n };
}
