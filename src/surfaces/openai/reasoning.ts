// What the client asked for about thinking, from every dialect (docs/openai-mapping.md#reasoning-inputs, docs/openai-mapping.md#thought-output, docs/openai-mapping.md#thinking-clamp):
// reasoning_effort; extra_body.google.thinking_config / google.thinking_config (snake and camel case);
// Anthropic-style `thinking`; OpenRouter-style `reasoning`. Precedence: google.thinking_config >
// thinking / reasoning objects > reasoning_effort. The result is clamped per model in gemini/thinking.ts.
// Output mode: google.reasoning_output ("reasoning_content" | "think_tags" | "hidden"), reasoning.exclude
// → hidden, else the server default. Thoughts are requested (includeThoughts) only when the client asked
// for reasoning, or the server enables it, and never in hidden mode.

import type { ReasoningEffort, ThinkingWish } from "../../gemini/thinking.ts";
import { invalidParam } from "../../chat/errors.ts";
import { isAbsent, isRecord, optBool, optInt, optRecord, optString, pick, type JsonObject } from "../../chat/values.ts";

export type ReasoningOutput = "reasoning_content" | "think_tags" | "hidden";

const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh"]);
const OUTPUTS: Record<string, ReasoningOutput> = {
  reasoning_content: "reasoning_content",
  think_tags: "think_tags",
  "think-tags": "think_tags",
  tags: "think_tags",
  hidden: "hidden",
  off: "hidden",
  none: "hidden",
};

function effortOf(v: unknown, param: string): ReasoningEffort | undefined {
  const s = optString(v, param);
  if (s === undefined) return undefined;
  const e = s === "max" ? "xhigh" : s.toLowerCase();
  if (!EFFORTS.has(e))
    throw invalidParam(
      param,
      `Invalid value for '${param}': ${JSON.stringify(s)}. Expected none, minimal, low, medium, high, xhigh or max.`,
    );
  return e as ReasoningEffort;
}

export interface ReasoningRequest {
  wish: ThinkingWish;
  output: ReasoningOutput;
}

export function parseReasoning(
  body: JsonObject,
  google: { value: JsonObject; param: string } | undefined,
  defaults: { output: ReasoningOutput; includeThoughts: boolean },
): ReasoningRequest {
  const wish: ThinkingWish = {};
  let asked = false;
  let output = defaults.output;

  const effort = effortOf(body.reasoning_effort, "reasoning_effort");
  if (effort) wish.effort = effort;

  const thinking = optRecord(body.thinking, "thinking");
  if (thinking) {
    if (thinking.type === "disabled") wish.effort = "none";
    else {
      const b = optInt(thinking.budget_tokens, "thinking.budget_tokens");
      if (b !== undefined) wish.budget = b;
      asked = true;
    }
  }
  const reasoning = optRecord(body.reasoning, "reasoning");
  if (reasoning) {
    const e = effortOf(reasoning.effort, "reasoning.effort");
    if (e) wish.effort = e;
    const b = optInt(reasoning.max_tokens, "reasoning.max_tokens");
    if (b !== undefined) wish.budget = b;
    if (optBool(reasoning.enabled, "reasoning.enabled") === false) wish.effort = "none";
    else asked = true;
    if (optBool(reasoning.exclude, "reasoning.exclude") === true) output = "hidden";
  }

  let include: boolean | undefined;
  if (google) {
    const tc = pick(google.value, "thinking_config", "thinkingConfig");
    if (tc) {
      const p = `${google.param}.${tc[0]}`;
      const cfg = optRecord(tc[1], p) as JsonObject;
      const budget = pick(cfg, "thinking_budget", "thinkingBudget");
      if (budget) wish.budget = optInt(budget[1], `${p}.${budget[0]}`) as number;
      const level = pick(cfg, "thinking_level", "thinkingLevel");
      if (level) wish.level = optString(level[1], `${p}.${level[0]}`) as string;
      const inc = pick(cfg, "include_thoughts", "includeThoughts");
      if (inc) include = optBool(inc[1], `${p}.${inc[0]}`);
    }
    const out = pick(google.value, "reasoning_output", "reasoningOutput");
    if (out) {
      const mode = typeof out[1] === "string" ? OUTPUTS[out[1]] : undefined;
      if (!mode)
        throw invalidParam(
          `${google.param}.${out[0]}`,
          `Invalid value for '${google.param}.${out[0]}': expected reasoning_content, think_tags or hidden.`,
        );
      output = mode;
    }
  }

  if (wish.effort && wish.effort !== "none") asked = true;
  if (wish.budget !== undefined && wish.budget !== 0) asked = true;
  if (wish.level !== undefined) asked = true;
  if (wish.effort === "none" && wish.budget === undefined && wish.level === undefined) asked = false;
  const includeThoughts =
    output === "hidden" ? undefined : (include ?? (asked || defaults.includeThoughts ? true : undefined));
  if (includeThoughts !== undefined) wish.includeThoughts = includeThoughts;
  return { wish, output };
}

/** extra_body.google when present, else top-level google, with the param path of the one used. */
export function googleOptions(body: JsonObject): { value: JsonObject; param: string } | undefined {
  const nested = isRecord(body.extra_body) ? body.extra_body.google : undefined;
  if (!isAbsent(nested))
    return { value: optRecord(nested, "extra_body.google") as JsonObject, param: "extra_body.google" };
  if (!isAbsent(body.google)) return { value: optRecord(body.google, "google") as JsonObject, param: "google" };
  return undefined;
}
