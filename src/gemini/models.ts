// The model catalogue: which ids clients may use, their thinking rules, and the predecessor's
// suffix variants (-search, -nothinking, -maxthinking). Pure data + lookups (docs/upstream.md#models).

import type { GenerateContentRequest, GeminiThinkingConfig } from "./types.ts";
import { DEFAULT_MODELS, inferModelInfo, OPEN_MODEL_ID, type ModelInfo, type ThinkingRules } from "./model-info.ts";

export { DEFAULT_MODELS, inferModelInfo, OPEN_MODEL_ID };
export type { ModelInfo, ThinkingRules };

/** Suffix variants of a model id: Google Search grounding, thinking off, maximum thinking. */
export type ModelVariant = "search" | "nothinking" | "maxthinking";

/** A requested model id resolved against the catalogue: the base model plus its variant. */
export interface ResolvedModel {
  /** As requested (normalized: no `models/` prefix), e.g. "gemini-2.5-pro-search". */
  id: string;
  base: ModelInfo;
  variant?: ModelVariant;
  /** Bare id to send upstream (the Gemini API name; Code Assist may expect another, see `codeAssistId`). */
  upstream: string;
  /** False for an id outside the catalogue that is sent to Google as is (inferred rules). */
  listed: boolean;
}

/** The models a proxy serves, and the resolution of requested ids (with variants) to them. */
export interface ModelCatalogue {
  models: readonly ModelInfo[];
  /** True: ids outside the catalogue are refused. False (default): `gemini-*` / `gemma-*` ids go to Google. */
  strict: boolean;
  ids(): readonly string[];
  resolve(id: string): ResolvedModel | undefined;
  /** The name Code Assist expects for an upstream id (`gemini-3.5-flash` → `gemini-3-flash`). */
  codeAssistId(upstream: string): string;
}

export interface ModelCatalogueOptions {
  /** Refuse ids outside the catalogue instead of sending `gemini-*` / `gemma-*` ids to Google. */
  strict?: boolean;
}

export const MODEL_VARIANTS: readonly ModelVariant[] = ["search", "nothinking", "maxthinking"];

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

/** Code Assist wire names of the built-in models, also for ids a custom catalogue left out. */
const BUILT_IN_CODE_ASSIST_IDS = new Map(
  DEFAULT_MODELS.filter((m) => m.codeAssistId).map((m) => [m.id, m.codeAssistId!] as const),
);

/** `gemini-x-search` → ["gemini-x", "search"]; ids without a variant suffix → [id]. */
function splitVariant(id: string): [string, ModelVariant?] {
  for (const variant of MODEL_VARIANTS) {
    if (id.endsWith(`-${variant}`)) return [id.slice(0, -variant.length - 1), variant];
  }
  return [id];
}

/** Builds a model catalogue from ids or `ModelInfo` objects (the `models` option); resolves variants such as `-search`. */
export function createModelCatalogue(
  models: readonly (string | (Partial<ModelInfo> & { id: string }))[] = DEFAULT_MODELS,
  options: ModelCatalogueOptions = {},
): ModelCatalogue {
  const strict = options.strict === true;
  const list: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const entry of models) {
    const m = toModelInfo(entry);
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    list.push(m);
  }
  const table = new Map<string, ResolvedModel>();
  const codeAssist = new Map<string, string>();
  for (const base of list) {
    const upstream = base.upstreamId ?? base.id;
    table.set(base.id, { id: base.id, base, upstream, listed: true });
    if (base.codeAssistId && !codeAssist.has(upstream)) codeAssist.set(upstream, base.codeAssistId);
  }
  for (const base of list) {
    const upstream = base.upstreamId ?? base.id;
    for (const variant of variantsFor(base)) {
      const id = `${base.id}-${variant}`;
      // A real model with that exact name wins over the synthesized variant.
      if (!table.has(id)) table.set(id, { id, base, variant, upstream, listed: true });
    }
  }
  const ids = Object.freeze([...table.keys()]);

  /** An id outside the catalogue: sent to Google as is, with rules that cannot make Google refuse it. */
  function open(bare: string): ResolvedModel | undefined {
    if (!OPEN_MODEL_ID.test(bare)) return undefined;
    const [name, variant] = splitVariant(bare);
    if (!OPEN_MODEL_ID.test(name)) return undefined;
    const known = table.get(name);
    // A built-in model left out of a custom catalogue keeps its real rules.
    const base =
      known && !known.variant ? known.base : (DEFAULT_MODELS.find((m) => m.id === name) ?? inferModelInfo(name));
    const upstream = known && !known.variant ? known.upstream : name;
    return { id: bare, base, variant, upstream, listed: false };
  }

  return {
    models: Object.freeze(list),
    strict,
    ids: () => ids,
    resolve(id: string): ResolvedModel | undefined {
      if (typeof id !== "string") return undefined;
      const bare = id.startsWith("models/") ? id.slice(7) : id;
      const hit = table.get(bare) ?? table.get(bare.toLowerCase());
      if (hit || strict) return hit;
      return open(bare.toLowerCase());
    },
    codeAssistId: (upstream) => codeAssist.get(upstream) ?? BUILT_IN_CODE_ASSIST_IDS.get(upstream) ?? upstream,
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
