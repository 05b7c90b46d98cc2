// GET /v1/models and /v1/models/{id} bodies (docs/openai-mapping.md#models-endpoint).

import type { ModelCatalogue, ResolvedModel } from "../../gemini/models.ts";

export interface OpenAIModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/** The catalogue (variants included), then `extra` ids (Google's list for the pooled keys) not already in it. */
export function toOpenAIModelList(
  catalogue: ModelCatalogue,
  created: number,
  extra: readonly string[] = [],
): { object: "list"; data: OpenAIModel[] } {
  const ids = [...new Set([...catalogue.ids(), ...extra])];
  return { object: "list", data: ids.map((id) => ({ id, object: "model", created, owned_by: "google" })) };
}

/** One model, with informative extra keys clients ignore or display. */
export function toOpenAIModel(model: ResolvedModel, created: number): OpenAIModel & Record<string, unknown> {
  const suffix = model.variant ? ` (${model.variant})` : "";
  return {
    id: model.id,
    object: "model",
    created,
    owned_by: "google",
    display_name: model.base.displayName + suffix,
    context_length: model.base.inputTokenLimit,
    max_output_tokens: model.base.outputTokenLimit,
  };
}
