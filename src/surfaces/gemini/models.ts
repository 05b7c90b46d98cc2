// Model objects of the native surface, in the Gemini API's `models.list` shape.
import type { ResolvedModel } from "../../gemini/models.ts";

const VARIANT_NAMES = {
  search: "with Google Search",
  nothinking: "without thinking",
  maxthinking: "with maximum thinking",
} as const;

export function toNativeModel(model: ResolvedModel): Record<string, unknown> {
  const base = model.base;
  return {
    name: `models/${model.id}`,
    baseModelId: base.id,
    version: base.id.replace(/^gemini-/, ""),
    displayName: model.variant ? `${base.displayName} (${VARIANT_NAMES[model.variant]})` : base.displayName,
    description: `${base.displayName} through gemini-cli-proxy`,
    inputTokenLimit: base.inputTokenLimit,
    outputTokenLimit: base.outputTokenLimit,
    supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"],
    thinking: base.thinking.kind !== "none",
  };
}
