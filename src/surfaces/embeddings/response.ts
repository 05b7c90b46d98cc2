// Gemini embeddings → the OpenAI embeddings list. `encoding_format: "base64"` (the openai SDK's
// default request, which it decodes itself) is the vector as little-endian float32 bytes in base64.

import { OpenAIError } from "../openai/errors.ts";
import { isRecord, type JsonObject } from "../../chat/values.ts";
import type { EmbeddingsPlan } from "./request.ts";

export function toBase64Float32(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(view.buffer).toString("base64");
}

/** The vectors of one batchEmbedContents answer, checked. */
export function vectorsOf(response: unknown, expected: number): number[][] {
  const list = isRecord(response) && Array.isArray(response.embeddings) ? response.embeddings : undefined;
  const vectors = list?.map((e) =>
    isRecord(e) && Array.isArray(e.values) && e.values.every((v) => typeof v === "number")
      ? (e.values as number[])
      : undefined,
  );
  if (!vectors || vectors.length !== expected || vectors.some((v) => v === undefined)) {
    throw new OpenAIError(502, "Gemini returned an unexpected embeddings answer.", {
      type: "server_error",
      code: "bad_gateway",
    });
  }
  return vectors as number[][];
}

/** Gemini's embed answers carry no token counts: about 4 characters a token, as Google's own estimate. */
export function estimateTokens(inputs: readonly string[]): number {
  return inputs.reduce((n, s) => n + Math.max(1, Math.ceil(s.length / 4)), 0);
}

export function toEmbeddingsResponse(
  vectors: readonly number[][],
  plan: EmbeddingsPlan,
  clientModel: string,
  promptTokens: number,
): JsonObject {
  return {
    object: "list",
    data: vectors.map((values, index) => ({
      object: "embedding",
      index,
      embedding: plan.encoding === "base64" ? toBase64Float32(values) : values,
    })),
    model: clientModel,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
