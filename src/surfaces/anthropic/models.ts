// Which Gemini model serves an Anthropic `model` name. Gemini ids pass as they are; Claude names
// (what Claude Code sends, any family or version, dated or with a `[1m]` tag) go through
// `anthropic.modelMap` (exact keys first — also without the date or tag —, then `*` globs), and any
// other `claude-*` name falls back to `anthropic.defaultModel`, so Claude Code works unconfigured.

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

/**
 * A Claude id without what varies between releases of the same model: a context-window tag
 * (`claude-sonnet-4-5[1m]`), a snapshot date (`-20250929`) or `-latest`.
 */
export function baseClaudeName(name: string): string {
  return name
    .replace(/\[[^\]]*\]$/, "")
    .replace(/-(\d{8}|latest)$/i, "")
    .replace(/@\d{8}$/, "");
}

export function mapAnthropicModel(
  name: string,
  options: AnthropicModelOptions,
  catalogue: ModelCatalogue,
): ModelMapping {
  const base = baseClaudeName(name);
  const exact = (n: string) => (Object.hasOwn(options.modelMap, n) ? options.modelMap[n] : undefined);
  const glob = (n: string) => {
    const key = Object.keys(options.modelMap).find((k) => k.includes("*") && globMatch(k, n));
    return key === undefined ? undefined : options.modelMap[key];
  };
  let target: string | undefined = exact(name) ?? (base !== name ? exact(base) : undefined);
  if (target === undefined && catalogue.resolve(name)) target = name;
  target ??= glob(name) ?? (base !== name ? glob(base) : undefined);
  if (target === undefined && /^claude/i.test(name)) target = options.defaultModel;
  const model = target === undefined ? undefined : catalogue.resolve(target);
  return model ? { model, target: target as string } : { target };
}
