// Clamp a wish for "how much thinking" to what a model accepts (docs/openai-mapping.md#thinking-clamp,
// docs/upstream.md#thinking-per-model). Never returns both thinkingLevel and thinkingBudget (that is a 400).
//
// Mapping table (effort ⇄ budget ⇄ level):
//
// | effort / level | 2.5 thinkingBudget (then clamped to [min,max]) | Gemini 3 thinkingLevel wanted |
// | -------------- | ----------------------------------------------- | ----------------------------- |
// | none           | 0 (min when the model cannot disable, 2.5 Pro 128) | minimal                    |
// | minimal        | 512                                             | minimal                       |
// | low            | 1024                                            | low                           |
// | medium         | 8192                                            | medium                        |
// | high           | 24576                                           | high                          |
// | xhigh / max    | the model's max (Pro 32768, Flash 24576)        | high                          |
//
// Budget → level (Gemini 3): 0 → minimal, 1–1024 → low, 1025–8192 → medium, > 8192 → high, -1 → omitted
// (the model's dynamic default). A wanted level the model lacks becomes the highest supported level not
// above it, else the model's lowest (every 3 Pro, 3.1 included: minimal → low, medium → low).
// Budget models: -1 stays -1 when the model thinks dynamically (else max); 0 becomes min when the model
// cannot disable thinking; 0 < b < min becomes min (2.5 Flash-Lite: 1–511 → 512); b > max becomes max.
// Precedence: an explicit budget/level (thinking_config) wins over reasoning_effort; on a budget model a
// budget wins over a level and on a level model a level wins over a budget.

import type { GeminiThinkingConfig } from "./types.ts";
import type { ModelInfo } from "./model-info.ts";

export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh";

export interface ThinkingWish {
  effort?: ReasoningEffort;
  budget?: number;
  level?: string;
  includeThoughts?: boolean;
}

export const LEVEL_ORDER: readonly string[] = ["minimal", "low", "medium", "high"];

const EFFORT_BUDGET: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24_576,
  xhigh: Number.POSITIVE_INFINITY,
};

const EFFORT_LEVEL: Record<ReasoningEffort, string> = {
  none: "minimal",
  minimal: "minimal",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "high",
};

function normalizeLevel(level: string): string | undefined {
  const l = level.trim().toLowerCase();
  if (l === "xhigh" || l === "max") return "high";
  if (l === "none") return "minimal";
  return LEVEL_ORDER.includes(l) ? l : undefined;
}

function budgetToLevel(budget: number): string | undefined {
  if (budget < 0) return undefined;
  if (budget === 0) return "minimal";
  if (budget <= 1024) return "low";
  if (budget <= 8192) return "medium";
  return "high";
}

/** Highest supported level not above `wanted`, else the lowest supported. */
export function pickLevel(levels: readonly string[], wanted: string): string | undefined {
  const rank = LEVEL_ORDER.indexOf(wanted);
  let best: string | undefined;
  for (const l of levels) {
    const r = LEVEL_ORDER.indexOf(l.toLowerCase());
    if (r !== -1 && r <= rank) best = l;
  }
  return best ?? levels[0];
}

function clampBudget(
  rules: { min: number; max: number; canDisable: boolean; dynamic: boolean },
  budget: number,
): number {
  if (budget < 0) return rules.dynamic ? -1 : rules.max;
  if (budget === 0) return rules.canDisable ? 0 : rules.min;
  return Math.min(rules.max, Math.max(rules.min, Math.round(budget)));
}

export function clampThinking(model: ModelInfo, want: ThinkingWish): GeminiThinkingConfig | undefined {
  const t = model.thinking;
  if (t.kind === "none") return undefined;
  const out: GeminiThinkingConfig = {};
  if (want.includeThoughts !== undefined) out.includeThoughts = want.includeThoughts;
  if (t.kind === "budget") {
    let budget: number | undefined;
    if (want.budget !== undefined && Number.isFinite(want.budget)) budget = want.budget;
    else if (want.level !== undefined) {
      const l = normalizeLevel(want.level);
      if (l !== undefined) budget = EFFORT_BUDGET[l as ReasoningEffort];
    } else if (want.effort !== undefined && want.effort in EFFORT_BUDGET) budget = EFFORT_BUDGET[want.effort];
    if (budget !== undefined) {
      out.thinkingBudget = budget === Number.POSITIVE_INFINITY ? t.max : clampBudget(t, budget);
      if (out.thinkingBudget === 0 && out.includeThoughts) delete out.includeThoughts;
    }
  } else {
    let wanted: string | undefined;
    if (want.level !== undefined) wanted = normalizeLevel(want.level);
    if (wanted === undefined && want.budget !== undefined && Number.isFinite(want.budget))
      wanted = budgetToLevel(want.budget);
    else if (wanted === undefined && want.level === undefined && want.effort !== undefined)
      wanted = EFFORT_LEVEL[want.effort];
    if (wanted !== undefined) {
      const level = pickLevel(t.levels, wanted);
      if (level !== undefined) out.thinkingLevel = level;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
