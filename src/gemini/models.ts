// The model catalogue: which ids clients may use, their thinking rules, and the predecessor's
// suffix variants (-search, -nothinking, -maxthinking). Pure data + lookups (docs/upstream.md#models).

import type { GenerateContentRequest, GeminiThinkingConfig } from "./types.ts";

export type ThinkingRules =
  | { kind: "budget"; min: number; max: number; canDisable: boolean; dynamic: boolean }
  | { kind: "level"; levels: string[] /* lowest first */; default: string }
  | { kind: "none" };

/** One model of the catalogue: id, display name, family, limits and thinking rules. */
export interface ModelInfo {
  id: string;
  displayName: string;
  family: "gemini-2.5" | "gemini-3" | (string & {});
  tier: "pro" | "flash" | "flash-lite" | (string & {});
  preview: boolean;
  inputTokenLimit: number;
  outputTokenLimit: number;
  thinking: ThinkingRules;
  /** What is sent on the wire when it differs from `id`. */
  upstreamId?: string;
}

/** Suffix variants of a model id: Google Search grounding, thinking off, maximum thinking. */
export type ModelVariant = "search" | "nothinking" | "maxthinking";

/** A requested model id resolved against the catalogue: the base model plus its variant. */
export interface ResolvedModel {
  /** As requested (normalized: no `models/` prefix), e.g. "gemini-2.5-pro-search". */
  id: string;
  base: ModelInfo;
  variant?: ModelVariant;
  /** Bare id to send upstream. */
  upstream: string;
}

/** The models a proxy serves, and the resolution of requested ids (with variants) to them. */
export interface ModelCatalogue {
  models: readonly ModelInfo[];
  ids(): readonly string[];
  resolve(id: string): ResolvedModel | undefined;
}

export const MODEL_VARIANTS: readonly ModelVariant[] = ["search", "nothinking", "maxthinking"];

const M = 1_048_576;
const OUT = 65_536;

const PRO_25: ThinkingRules = { kind: "budget", min: 128, max: 32_768, canDisable: false, dynamic: true };
const FLASH_25: ThinkingRules = { kind: "budget", min: 0, max: 24_576, canDisable: true, dynamic: true };
const LITE_25: ThinkingRules = { kind: "budget", min: 512, max: 24_576, canDisable: true, dynamic: true };
const PRO_3: ThinkingRules = { kind: "level", levels: ["low", "high"], default: "high" };
const PRO_31: ThinkingRules = { kind: "level", levels: ["low", "medium", "high"], default: "high" };
const FLASH_3: ThinkingRules = { kind: "level", levels: ["minimal", "low", "medium", "high"], default: "high" };

function info(
  id: string,
  displayName: string,
  family: string,
  tier: string,
  thinking: ThinkingRules,
  extra: Partial<ModelInfo> = {},
): ModelInfo {
  return {
    id,
    displayName,
    family,
    tier,
    preview: id.includes("preview"),
    inputTokenLimit: M,
    outputTokenLimit: OUT,
    thinking,
    ...extra,
  };
}

/** The built-in model catalogue (current Gemini models and their capabilities). */
export const DEFAULT_MODELS: readonly ModelInfo[] = [
  info("gemini-2.5-pro", "Gemini 2.5 Pro", "gemini-2.5", "pro", PRO_25),
  info("gemini-2.5-flash", "Gemini 2.5 Flash", "gemini-2.5", "flash", FLASH_25),
  info("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "gemini-2.5", "flash-lite", LITE_25),
  info("gemini-3-pro-preview", "Gemini 3 Pro Preview", "gemini-3", "pro", PRO_3),
  info("gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", "gemini-3", "pro", PRO_31),
  info("gemini-3-flash-preview", "Gemini 3 Flash Preview", "gemini-3", "flash", FLASH_3),
  info("gemini-3.1-flash-lite", "Gemini 3.1 Flash-Lite", "gemini-3", "flash-lite", FLASH_3),
];

/** Sensible defaults for an id we do not know, inferred from its name. */
export function inferModelInfo(id: string): ModelInfo {
  const version = /^gemini-(\d+)(?:\.(\d+))?/.exec(id);
  const major = version ? Number(version[1]) : 0;
  const family = version
    ? major >= 3
      ? "gemini-3"
      : `gemini-${version[1]}${version[2] ? `.${version[2]}` : ""}`
    : "other";
  const tier = id.includes("flash-lite")
    ? "flash-lite"
    : id.includes("flash")
      ? "flash"
      : id.includes("pro")
        ? "pro"
        : "other";
  let thinking: ThinkingRules = { kind: "none" };
  if (family === "gemini-2.5" && !id.includes("image") && !id.includes("tts")) {
    thinking = tier === "pro" ? PRO_25 : tier === "flash-lite" ? LITE_25 : FLASH_25;
  } else if (family === "gemini-3" && !id.includes("image")) {
    thinking = tier === "pro" ? (id.startsWith("gemini-3-") ? PRO_3 : PRO_31) : FLASH_3;
  }
  const displayName = id
    .split("-")
    .map((w) => (w === "gemini" ? "Gemini" : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
  return info(id, displayName, family, tier, thinking);
}

function copyRules(rules: ThinkingRules): ThinkingRules {
  return rules.kind === "level" ? { ...rules, levels: [...rules.levels] } : { ...rules };
}

function toModelInfo(entry: string | (Partial<ModelInfo> & { id: string })): ModelInfo {
  const id = typeof entry === "string" ? entry : entry.id;
  const known = DEFAULT_MODELS.find((m) => m.id === id);
  const base = known ?? inferModelInfo(id);
  const merged: ModelInfo = typeof entry === "string" ? { ...base } : { ...base, ...entry };
  merged.thinking = copyRules(merged.thinking);
  return merged;
}

/** Variants offered for a model: -search always; thinking variants only when it can think. */
export function variantsFor(model: ModelInfo): ModelVariant[] {
  return model.thinking.kind === "none" ? ["search"] : [...MODEL_VARIANTS];
}

/** Builds a model catalogue from ids or `ModelInfo` objects (the `models` option); resolves variants such as `-search`. */
export function createModelCatalogue(
  models: readonly (string | (Partial<ModelInfo> & { id: string }))[] = DEFAULT_MODELS,
): ModelCatalogue {
  const list: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const entry of models) {
    const m = toModelInfo(entry);
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    list.push(m);
  }
  const table = new Map<string, ResolvedModel>();
  for (const base of list) {
    const upstream = base.upstreamId ?? base.id;
    table.set(base.id, { id: base.id, base, upstream });
  }
  for (const base of list) {
    const upstream = base.upstreamId ?? base.id;
    for (const variant of variantsFor(base)) {
      const id = `${base.id}-${variant}`;
      // A real model with that exact name wins over the synthesized variant.
      if (!table.has(id)) table.set(id, { id, base, variant, upstream });
    }
  }
  const ids = Object.freeze([...table.keys()]);
  return {
    models: Object.freeze(list),
    ids: () => ids,
    resolve(id: string): ResolvedModel | undefined {
      if (typeof id !== "string") return undefined;
      const bare = id.startsWith("models/") ? id.slice(7) : id;
      return table.get(bare) ?? table.get(bare.toLowerCase());
    },
  };
}

/** The thinking config a -nothinking / -maxthinking variant imposes (includeThoughts left to the caller). */
export function variantThinking(
  model: ModelInfo,
  variant: "nothinking" | "maxthinking",
): GeminiThinkingConfig | undefined {
  const t = model.thinking;
  if (t.kind === "budget") {
    if (variant === "maxthinking") return { thinkingBudget: t.max };
    return t.canDisable ? { thinkingBudget: 0, includeThoughts: false } : { thinkingBudget: t.min };
  }
  if (t.kind === "level") {
    const level = variant === "maxthinking" ? t.levels[t.levels.length - 1] : t.levels[0];
    return level === undefined ? undefined : { thinkingLevel: level };
  }
  return undefined;
}

/** Apply a variant to a Gemini request (returns a new object; the input is not mutated). */
export function applyVariant(request: GenerateContentRequest, model: ResolvedModel): GenerateContentRequest {
  const { variant } = model;
  if (!variant) return request;
  if (variant === "search") {
    const tools = Array.isArray(request.tools) ? request.tools : [];
    if (
      tools.some(
        (t) => t?.googleSearch !== undefined || (t as Record<string, unknown> | null)?.google_search !== undefined,
      )
    )
      return request;
    return { ...request, tools: [...tools, { googleSearch: {} }] };
  }
  const forced = variantThinking(model.base, variant);
  if (!forced) return request;
  const gc = request.generationConfig;
  const previous = gc && typeof gc === "object" ? gc.thinkingConfig : undefined;
  const thinkingConfig: GeminiThinkingConfig = {};
  const include = forced.includeThoughts ?? previous?.includeThoughts;
  if (include !== undefined) thinkingConfig.includeThoughts = include;
  if (forced.thinkingBudget !== undefined) thinkingConfig.thinkingBudget = forced.thinkingBudget;
  if (forced.thinkingLevel !== undefined) thinkingConfig.thinkingLevel = forced.thinkingLevel;
  return { ...request, generationConfig: { ...request.generationConfig, thinkingConfig } };
}
