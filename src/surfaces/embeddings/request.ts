// POST /v1/embeddings body → Gemini batchEmbedContents requests (docs/openai-mapping.md#embeddings). OpenAI's own
// model names map to the default Gemini embedding model; token-array inputs are refused (Gemini
// embeds text). Malformed fields are OpenAI-shaped 400s naming the parameter.

import { invalidParam } from "../../chat/errors.ts";
import { isAbsent, isRecord, optInt, optString, type JsonObject } from "../../chat/values.ts";

export interface EmbeddingsPlan {
  /** Gemini model id (no `models/` prefix). */
  model: string;
  inputs: string[];
  dimensions?: number;
  encoding: "float" | "base64";
}

export interface EmbeddingModelOptions {
  defaultModel: string;
  modelMap: Readonly<Record<string, string>>;
}

export const DEFAULT_EMBEDDING_MODEL = "gemini-embedding-001";
/** Inputs per request (OpenAI's limit); Gemini's batch limit is applied per upstream call. */
export const MAX_INPUTS = 2048;
export const GEMINI_BATCH = 100;

const OPENAI_EMBEDDING_MODEL = /^text-embedding-(3-small|3-large|ada-002)$/;

export function embeddingModel(name: string, options: EmbeddingModelOptions): string {
  const bare = name.startsWith("models/") ? name.slice(7) : name;
  // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
  const mapped = (key: string) => (Object.hasOwn(options.modelMap, key) ? options.modelMap[key] : undefined);
  return mapped(name) ?? mapped(bare) ?? (OPENAI_EMBEDDING_MODEL.test(bare) ? options.defaultModel : bare);
}

function inputs(input: unknown): string[] {
  if (isAbsent(input))
    throw invalidParam("input", "Missing required parameter: 'input'.", "missing_required_parameter");
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list))
    throw invalidParam("input", "Invalid type for 'input': expected a string or an array of strings.", "invalid_type");
  if (list.length === 0) throw invalidParam("input", "'input' must not be empty.");
  if (list.length > MAX_INPUTS)
    throw invalidParam("input", `'input' has ${list.length} items; the limit is ${MAX_INPUTS}.`);
  return list.map((v, i) => {
    const p = typeof input === "string" ? "input" : `input[${i}]`;
    if (typeof v === "number" || (Array.isArray(v) && v.every((t) => typeof t === "number"))) {
      throw invalidParam(
        "input",
        "Token arrays are not supported: Gemini embeds text, send strings.",
        "unsupported_parameter",
      );
    }
    if (typeof v !== "string") throw invalidParam(p, `Invalid type for '${p}': expected a string.`, "invalid_type");
    if (v.length === 0) throw invalidParam(p, `'${p}' must not be an empty string.`);
    return v;
  });
}

export function parseEmbeddingsRequest(body: unknown, options: EmbeddingModelOptions): EmbeddingsPlan {
  if (!isRecord(body)) throw invalidParam(null, "The request body must be a JSON object.", "invalid_json");
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "Missing required parameter: 'model'.", "missing_required_parameter");
  const plan: EmbeddingsPlan = {
    model: embeddingModel(body.model, options),
    inputs: inputs(body.input),
    encoding: "float",
  };
  const encoding = optString(body.encoding_format, "encoding_format");
  if (encoding !== undefined && encoding !== "float" && encoding !== "base64") {
    throw invalidParam(
      "encoding_format",
      `Invalid value for 'encoding_format': ${JSON.stringify(encoding)}. Expected float or base64.`,
    );
  }
  if (encoding) plan.encoding = encoding;
  const dimensions = optInt(body.dimensions, "dimensions", 1, 3072);
  if (dimensions !== undefined) plan.dimensions = dimensions;
  return plan;
}

/** Gemini batchEmbedContents bodies, at most GEMINI_BATCH texts each. */
export function toBatchRequests(plan: EmbeddingsPlan): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < plan.inputs.length; i += GEMINI_BATCH) {
    const requests = plan.inputs.slice(i, i + GEMINI_BATCH).map((text) => {
      const r: JsonObject = { model: `models/${plan.model}`, content: { parts: [{ text }] } };
      if (plan.dimensions !== undefined) r.outputDimensionality = plan.dimensions;
      return r;
    });
    out.push({ requests });
  }
  return out;
}
