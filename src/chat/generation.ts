// Neutral generation settings and response format → Gemini generationConfig
// (docs/openai-mapping.md#generation-config, docs/openai-mapping.md#response-format). Thinking is
// clamped per model in gemini/thinking.ts and added by to-gemini.ts.

import type { GeminiGenerationConfig } from "../gemini/types.ts";
import type { ModelInfo } from "../gemini/models.ts";
import { invalidParam } from "./errors.ts";
import { toOpenAPISchema } from "./openapi-schema.ts";
import { cleanJsonSchema } from "./schema.ts";
import type { SchemaMode } from "./tools.ts";
import type { ChatRequest } from "./types.ts";

/** Gemini takes at most 5 stop sequences (docs/openai-mapping.md#request-parameters). */
export const MAX_STOP_SEQUENCES = 5;
/** Gemini candidateCount upper bound. */
export const MAX_CANDIDATES = 8;

/** Families that answer 400 "Penalty is not enabled for models/…": penalties are dropped for them. */
export function rejectsPenalties(model: ModelInfo): boolean {
  return model.family === "gemini-2.5" || model.family === "gemini-3" || /^gemini-([3-9]|2\.5)/.test(model.id);
}

export function toGenerationConfig(chat: ChatRequest, mode: SchemaMode): GeminiGenerationConfig {
  const g = chat.generation;
  const config: GeminiGenerationConfig = {};
  if (g.temperature !== undefined) config.temperature = g.temperature;
  if (g.topP !== undefined) config.topP = g.topP;
  if (g.topK !== undefined && g.topK > 0) config.topK = g.topK;
  if (g.candidateCount !== undefined && g.candidateCount > 1) config.candidateCount = g.candidateCount;
  if (g.maxOutputTokens !== undefined) config.maxOutputTokens = g.maxOutputTokens;
  if (g.stopSequences?.length) config.stopSequences = [...g.stopSequences];
  if (!rejectsPenalties(chat.model.base)) {
    if (g.presencePenalty) config.presencePenalty = g.presencePenalty;
    if (g.frequencyPenalty) config.frequencyPenalty = g.frequencyPenalty;
  }
  if (g.seed !== undefined) config.seed = g.seed;
  if (g.logprobs) {
    config.responseLogprobs = true;
    if (g.logprobs.top !== undefined && g.logprobs.top > 0) config.logprobs = g.logprobs.top;
  }
  const rf = chat.responseFormat;
  if (rf) {
    config.responseMimeType = "application/json";
    if (rf.type === "json_schema" && rf.schema) {
      if (mode === "openapi") {
        const converted = toOpenAPISchema(rf.schema);
        if (converted) config.responseSchema = converted;
      } else config.responseJsonSchema = cleanJsonSchema(rf.schema);
    }
    if (chat.toolChoice?.mode === "required" && chat.tools.length) {
      throw invalidParam(
        rf.param,
        "A JSON response format cannot be combined with a forced tool call (a required or named tool choice) on Gemini.",
        "unsupported_parameter",
      );
    }
  }
  return config;
}
