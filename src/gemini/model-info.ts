// What the proxy knows about each Gemini model: limits, thinking rules, wire names. Pure data and the
// inference for ids it does not know (docs/upstream.md#catalogue, docs/upstream.md#thinking-per-model).

export type ThinkingRules =
  | { kind: "budget"; min: number; max: number; canDisable: boolean; dynamic: boolean }
  | { kind: "level"; levels: string[] /* lowest first */; default: string }
  | { kind: "none" };

/** One model of the catalogue: id, display name, family, limits and thinking rules. */
export interface ModelInfo {
  id: string;
  displayName: string;
  family: "gemini-2.5" | "gemini-3" | "gemma-4" | (string & {});
  tier: "pro" | "flash" | "flash-lite" | (string & {});
  preview: boolean;
  inputTokenLimit: number;
  outputTokenLimit: number;
  thinking: ThinkingRules;
  /** What is sent on the wire, to Code Assist and the Gemini API alike, when it differs from `id`. */
  upstreamId?: string;
  /** What Code Assist expects when it differs from the Gemini API name (`gemini-3.5-flash` → `gemini-3-flash`). */
  codeAssistId?: string;
}

const M = 1_048_576;
const OUT = 65_536;

export const PRO_25: ThinkingRules = { kind: "budget", min: 128, max: 32_768, canDisable: false, dynamic: true };
export const FLASH_25: ThinkingRules = { kind: "budget", min: 0, max: 24_576, canDisable: true, dynamic: true };
export const LITE_25: ThinkingRules = { kind: "budget", min: 512, max: 24_576, canDisable: true, dynamic: true };
/** Every Gemini 3 Pro: `low` and `high` only (`minimal` and `medium` are a 400). */
export const PRO_3: ThinkingRules = { kind: "level", levels: ["low", "high"], default: "high" };
export const FLASH_3: ThinkingRules = {
  kind: "level",
  levels: ["minimal", "low", "medium", "high"],
  default: "high",
};
/** A Gemini 3 model we do not know: the levels every Gemini 3 model accepts. */
export const ANY_3: ThinkingRules = PRO_3;
export const NO_THINKING: ThinkingRules = { kind: "none" };

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

// Gemma 4's limits are not in the notes: 256K context as AI Studio advertises it; output inferred.
const GEMMA_4 = { inputTokenLimit: 262_144, outputTokenLimit: 32_768 };

/** The built-in model catalogue: every model Google serves to the Gemini CLI (docs/upstream.md#catalogue). */
export const DEFAULT_MODELS: readonly ModelInfo[] = [
  info("gemini-2.5-pro", "Gemini 2.5 Pro", "gemini-2.5", "pro", PRO_25),
  info("gemini-2.5-flash", "Gemini 2.5 Flash", "gemini-2.5", "flash", FLASH_25),
  info("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "gemini-2.5", "flash-lite", LITE_25),
  info("gemini-3-pro-preview", "Gemini 3 Pro Preview", "gemini-3", "pro", PRO_3),
  info("gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", "gemini-3", "pro", PRO_3),
  info("gemini-3.1-pro-preview-customtools", "Gemini 3.1 Pro Preview (custom tools)", "gemini-3", "pro", PRO_3),
  info("gemini-3-flash-preview", "Gemini 3 Flash Preview", "gemini-3", "flash", FLASH_3),
  info("gemini-3-flash", "Gemini 3 Flash", "gemini-3", "flash", FLASH_3),
  info("gemini-3.5-flash", "Gemini 3.5 Flash", "gemini-3", "flash", FLASH_3, { codeAssistId: "gemini-3-flash" }),
  info("gemini-3.1-flash-lite", "Gemini 3.1 Flash-Lite", "gemini-3", "flash-lite", FLASH_3),
  info("gemini-3.1-flash-lite-preview", "Gemini 3.1 Flash-Lite Preview", "gemini-3", "flash-lite", FLASH_3),
  info("gemma-4-31b-it", "Gemma 4 31B IT", "gemma-4", "gemma", NO_THINKING, GEMMA_4),
  info("gemma-4-26b-a4b-it", "Gemma 4 26B A4B IT", "gemma-4", "gemma", NO_THINKING, GEMMA_4),
];

/** Ids outside the catalogue that may still be sent to Google (unless the catalogue is strict). */
export const OPEN_MODEL_ID = /^(gemini|gemma)-[a-z0-9][a-z0-9.-]*$/;

/** Models that never take a thinkingConfig whatever their family: images, speech, live audio, embeddings. */
const NON_THINKING = /image|tts|audio|live|embedding|gemma/;

/**
 * Rules for an id we do not know, inferred from its name. Thinking is only configured where the name
 * leaves no doubt: 2.5 budgets by tier, Gemini 3 levels limited to `low`/`high` (which every Gemini 3
 * model accepts); anything else (aliases such as `gemini-flash-latest`, images, Gemma) gets none, so
 * Google never sees a thinkingConfig it could reject.
 */
export function inferModelInfo(id: string): ModelInfo {
  const version = /^gemini-(\d+)(?:\.(\d+))?-/.exec(id);
  const major = version ? Number(version[1]) : 0;
  const family = id.startsWith("gemma-")
    ? (/^gemma-\d+/.exec(id)?.[0] ?? "gemma")
    : version
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
  let thinking: ThinkingRules = NO_THINKING;
  if (!NON_THINKING.test(id)) {
    if (family === "gemini-2.5" && tier !== "other") {
      thinking = tier === "pro" ? PRO_25 : tier === "flash-lite" ? LITE_25 : FLASH_25;
    } else if (family === "gemini-3" && tier !== "other") {
      thinking = tier === "pro" ? PRO_3 : ANY_3;
    }
  }
  const displayName = id
    .split("-")
    .map((w) => (w === "gemini" ? "Gemini" : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
  return info(id, displayName, family, tier, thinking);
}

/** Client ids whose Code Assist wire name is `wire` (quota buckets come back under the wire name). */
export function clientIdsOfCodeAssistId(wire: string): string[] {
  return DEFAULT_MODELS.filter((m) => m.codeAssistId === wire).map((m) => m.id);
}
