// OpenAI sampling and output parameters → neutral generation settings and response format
// (docs/openai-mapping.md#request-parameters, docs/openai-mapping.md#response-format).

import { invalidParam } from "../../chat/errors.ts";
import { MAX_CANDIDATES, MAX_STOP_SEQUENCES } from "../../chat/generation.ts";
import type { GenerationSettings, ResponseFormat } from "../../chat/types.ts";
import { isAbsent, isRecord, optBool, optInt, optNumber, optRecord, type JsonObject } from "../../chat/values.ts";

function stopSequences(stop: unknown): string[] | undefined {
  if (isAbsent(stop)) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) {
    throw invalidParam("stop", "Invalid type for 'stop': expected a string or an array of strings.", "invalid_type");
  }
  const kept = list.filter((s) => s.length > 0);
  if (kept.length > MAX_STOP_SEQUENCES)
    throw invalidParam("stop", `Invalid 'stop': at most ${MAX_STOP_SEQUENCES} stop sequences (got ${kept.length}).`);
  return kept.length ? kept : undefined;
}

function responseFormat(rf: unknown): ResponseFormat | undefined {
  const f = optRecord(rf, "response_format");
  if (!f || f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json", param: "response_format" };
  if (f.type === "json_schema") {
    const js = optRecord(f.json_schema, "response_format.json_schema");
    if (!js)
      throw invalidParam(
        "response_format.json_schema",
        "Missing required parameter: 'response_format.json_schema'.",
        "missing_required_parameter",
      );
    const schema = optRecord(js.schema, "response_format.json_schema.schema");
    return schema
      ? { type: "json_schema", schema, param: "response_format" }
      : { type: "json", param: "response_format" };
  }
  throw invalidParam(
    "response_format.type",
    `Invalid value for 'response_format.type': ${JSON.stringify(f.type)}. Expected text, json_object or json_schema.`,
  );
}

export function parseSettings(
  body: JsonObject,
  stream: boolean,
): { generation: GenerationSettings; responseFormat?: ResponseFormat; n: number } {
  const g: GenerationSettings = {};
  const temperature = optNumber(body.temperature, "temperature", 0, 2);
  if (temperature !== undefined) g.temperature = temperature;
  const topP = optNumber(body.top_p, "top_p", 0, 1);
  if (topP !== undefined) g.topP = topP;
  const topK = optInt(body.top_k, "top_k", 0);
  if (topK !== undefined && topK > 0) g.topK = topK;
  const n = optInt(body.n, "n", 1, MAX_CANDIDATES) ?? 1;
  if (n > 1 && stream)
    throw invalidParam("n", "'n' greater than 1 is not supported with stream: true.", "unsupported_parameter");
  if (n > 1) g.candidateCount = n;
  const maxCompletion = optInt(body.max_completion_tokens, "max_completion_tokens", 1);
  const maxTokens = optInt(body.max_tokens, "max_tokens", 1);
  const max = maxCompletion ?? maxTokens;
  if (max !== undefined) g.maxOutputTokens = max;
  const stop = stopSequences(body.stop);
  if (stop) g.stopSequences = stop;
  const presence = optNumber(body.presence_penalty, "presence_penalty", -2, 2);
  if (presence) g.presencePenalty = presence;
  const frequency = optNumber(body.frequency_penalty, "frequency_penalty", -2, 2);
  if (frequency) g.frequencyPenalty = frequency;
  const seed = optInt(body.seed, "seed");
  if (seed !== undefined) g.seed = seed;
  const logprobs = optBool(body.logprobs, "logprobs");
  const top = optInt(body.top_logprobs, "top_logprobs", 0, 20);
  if (logprobs) g.logprobs = top !== undefined && top > 0 ? { top } : {};
  const format = responseFormat(body.response_format);

  if (Array.isArray(body.modalities) && body.modalities.includes("audio")) {
    throw invalidParam("modalities", "Audio output is not supported.", "unsupported_parameter");
  }
  if (!isAbsent(body.modalities) && !Array.isArray(body.modalities))
    throw invalidParam("modalities", "Invalid type for 'modalities': expected an array.", "invalid_type");
  if (isRecord(body.audio) && Array.isArray(body.modalities) && body.modalities.includes("audio"))
    throw invalidParam("audio", "Audio output is not supported.", "unsupported_parameter");
  return format ? { generation: g, responseFormat: format, n } : { generation: g, n };
}
