// Which Gemini model serves an Anthropic `model` name. Gemini ids pass as they are; Claude names
// (what Claude Code sends) go through `anthropic.modelMap` (exact keys first, then `*` globs), and
// any other `claude-*` name falls back to `anthropic.defaultModel`, so Claude Code works unconfigured.

import type { ModelCatalogue, ResolvedModel } from "../../gemini/models.ts";

export interface AnthropicModelOptions {
  modelMap: Readonly<Record<string, string>>;
  defaultModel: string;
}

export const DEFAULT_ANTHROPIC_MODEL = "gemini-2.5-pro";
/** Claude Code's small fast model (Haiku: titles, summaries) → a Flash model. */
export const DEFAULT_ANTHROPIC_MODEL_MAP: Readonly<Record<string, string>> = Object.freeze({
  "claude-*haiku*": "gemini-2.5-flash",
});

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(name);
}

export type ModelMapping = { model: ResolvedModel; target: string } | { model?: undefined; target?: string };

export function mapAnthropicModel(
  name: string,
  options: AnthropicModelOptions,
  catalogue: ModelCatalogue,
): ModelMapping {
  let target: string | undefined = Object.hasOwn(options.modelMap, name) ? options.modelMap[name] : undefined;
  if (target === undefined && catalogue.resolve(name)) target = name;
  if (target === undefined) {
    const glob = Object.keys(options.modelMap).find((k) => k.includes("*") && globMatch(k, name));
    if (glob) target = options.modelMap[glob];
  }
  if (target === undefined && /^claude/i.test(name)) target = options.defaultModel;
  const model = target === undefined ? undefined : catalogue.resolve(target);
  return model ? { model, target: target as string } : { target };
}
