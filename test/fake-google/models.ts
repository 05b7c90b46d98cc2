// Model catalogue and per-model thinking rules (docs/upstream.md#catalogue, docs/upstream.md#thinking-per-model, docs/upstream.md#faithful-fake-google).
import { field, isObject } from "./http-util.ts";
import { invalidArgument, type GoogleError } from "./errors.ts";

export interface ModelInfo {
  id: string;
  displayName: string;
  /** "gemma": Gemma 4; "image": image output, no thinking; "embedding": embeddings only. */
  family: "2.5" | "3" | "gemma" | "image" | "embedding";
  tier: "pro" | "flash" | "flash-lite" | "gemma" | "embedding";
  inputTokenLimit: number;
  outputTokenLimit: number;
  /** Which surfaces serve it: Code Assist accounts, Gemini API keys. */
  codeAssist: boolean;
  api: boolean;
}

type Extra = Partial<Pick<ModelInfo, "codeAssist" | "api" | "inputTokenLimit" | "outputTokenLimit">>;

function chat(
  id: string,
  displayName: string,
  family: ModelInfo["family"],
  tier: ModelInfo["tier"],
  extra: Extra = {},
): ModelInfo {
  return {
    id,
    displayName,
    family,
    tier,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    codeAssist: true,
    api: true,
    ...extra,
  };
}

const API_ONLY: Extra = { codeAssist: false };
const GEMMA: Extra = { inputTokenLimit: 262144, outputTokenLimit: 32768 };

// docs/upstream.md#catalogue. Code Assist knows Gemini 3.5 Flash only by its wire name gemini-3-flash;
// aliases, image models and embeddings are Gemini API models.
export const MODELS: ModelInfo[] = [
  chat("gemini-2.5-pro", "Gemini 2.5 Pro", "2.5", "pro"),
  chat("gemini-2.5-flash", "Gemini 2.5 Flash", "2.5", "flash"),
  chat("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "2.5", "flash-lite"),
  chat("gemini-3-pro-preview", "Gemini 3 Pro Preview", "3", "pro"),
  chat("gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", "3", "pro"),
  chat("gemini-3.1-pro-preview-customtools", "Gemini 3.1 Pro Preview (custom tools)", "3", "pro"),
  chat("gemini-3-flash-preview", "Gemini 3 Flash Preview", "3", "flash"),
  chat("gemini-3-flash", "Gemini 3 Flash", "3", "flash"),
  chat("gemini-3.5-flash", "Gemini 3.5 Flash", "3", "flash", API_ONLY),
  chat("gemini-3.1-flash-lite", "Gemini 3.1 Flash-Lite", "3", "flash-lite"),
  chat("gemini-3.1-flash-lite-preview", "Gemini 3.1 Flash-Lite Preview", "3", "flash-lite"),
  // Gemini CLI 0.61: its auto router classifies every prompt with 3.5 Flash-Lite
  // (LATEST_GEMINI_FLASH_LITE_MODEL) and sends simple ones to 3.8 Flash (LATEST_GEMINI_FLASH_MODEL).
  chat("gemini-3.5-flash-lite", "Gemini 3.5 Flash-Lite", "3", "flash-lite"),
  chat("gemini-3.8-flash", "Gemini 3.8 Flash", "3", "flash"),
  chat("gemma-4-31b-it", "Gemma 4 31B IT", "gemma", "gemma", GEMMA),
  chat("gemma-4-26b-a4b-it", "Gemma 4 26B A4B IT", "gemma", "gemma", GEMMA),
  chat("gemini-flash-latest", "Gemini Flash Latest", "3", "flash", API_ONLY),
  chat("gemini-2.5-flash-image", "Gemini 2.5 Flash Image", "image", "flash", {
    ...API_ONLY,
    inputTokenLimit: 32768,
    outputTokenLimit: 32768,
  }),
  {
    id: "gemini-embedding-001",
    displayName: "Gemini Embedding 001",
    family: "embedding",
    tier: "embedding",
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    codeAssist: false,
    api: true,
  },
];

export function findModel(id: string | undefined): ModelInfo | undefined {
  if (!id) return undefined;
  const bare = id.startsWith("models/") ? id.slice("models/".length) : id;
  return MODELS.find((m) => m.id === bare);
}

/** Accounts without preview access cannot use any gemini-3* model. */
export function needsPreviewAccess(m: ModelInfo): boolean {
  return m.id.startsWith("gemini-3");
}

export function isChatModel(m: ModelInfo): boolean {
  return m.family !== "embedding";
}

/** Whether the model takes a thinkingConfig at all (image models do not). */
export function thinks(m: ModelInfo): boolean {
  return m.family === "2.5" || m.family === "3" || m.family === "gemma";
}

const BUDGETS: Record<string, { min: number; max: number; zeroOk: boolean; zeroMsg?: string }> = {
  "2.5/pro": {
    min: 128,
    max: 32768,
    zeroOk: false,
    zeroMsg: "Budget 0 is invalid. This model only works in thinking mode.",
  },
  "2.5/flash": { min: 0, max: 24576, zeroOk: true },
  "2.5/flash-lite": { min: 512, max: 24576, zeroOk: true },
};

// Gemini 3 Pro: low|high; Gemini 3 Flash and Flash-Lite: all four; Gemma 4: the CLI's HIGH (inferred).
const LEVELS: Record<string, string[]> = {
  "3/pro": ["low", "high"],
  "3/flash": ["minimal", "low", "medium", "high"],
  "3/flash-lite": ["minimal", "low", "medium", "high"],
  "gemma/gemma": ["high"],
};

export function thinkingConfigOf(request: unknown): Record<string, unknown> | undefined {
  const tc = field(field(request, "generationConfig"), "thinkingConfig");
  return isObject(tc) ? tc : undefined;
}

/** 400 for invalid thinking settings (message texts partly inferred, see docs/upstream.md#thinking-per-model). */
export function validateThinking(m: ModelInfo, tc: Record<string, unknown> | undefined): GoogleError | undefined {
  if (!tc) return undefined;
  const budget = field(tc, "thinkingBudget");
  const level = field(tc, "thinkingLevel");
  const hasLevel = level !== undefined && level !== null && level !== "THINKING_LEVEL_UNSPECIFIED";
  const hasBudget = budget !== undefined && budget !== null;
  if (!thinks(m) && (hasLevel || hasBudget)) return invalidArgument("Thinking is not supported for this model.");
  if (hasLevel && hasBudget) {
    return invalidArgument("You can only set only one of thinking budget and thinking level.");
  }
  if (hasLevel) {
    const allowed = LEVELS[`${m.family}/${m.tier}`];
    if (!allowed) return invalidArgument("Thinking level is not supported for this model.");
    if (typeof level !== "string" || !allowed.includes(level.toLowerCase())) {
      return invalidArgument(
        `Invalid value at 'generation_config.thinking_config.thinking_level' (${String(level)}). Supported levels for this model: ${allowed.join(", ")}.`,
      );
    }
  }
  if (hasBudget) {
    if (m.family === "gemma") return invalidArgument("Thinking budget is not supported for this model.");
    if (typeof budget !== "number" || !Number.isInteger(budget)) return invalidArgument("Invalid thinking budget.");
    if (budget === -1) return undefined;
    const rule = BUDGETS[`${m.family}/${m.tier}`];
    // Gemini 3 accepts a budget alone (the CLI classifier sends one); the exact range is not documented.
    const r = rule ?? { min: 0, max: 32768, zeroOk: true };
    if (budget === 0) return r.zeroOk ? undefined : invalidArgument(r.zeroMsg ?? "Budget 0 is invalid.");
    if (budget < r.min || budget > r.max) {
      return invalidArgument(
        `The thinking budget ${budget} is invalid. Please choose a value between ${r.min} and ${r.max}.`,
      );
    }
  }
  return undefined;
}

/** Whether the model thinks for this request (2.5 Flash-Lite thinks only with an explicit budget). */
export function thinkingActive(m: ModelInfo, tc: Record<string, unknown> | undefined): boolean {
  const budget = tc ? field(tc, "thinkingBudget") : undefined;
  if (budget === 0) return false;
  if (m.family === "2.5" && m.tier === "flash-lite") return typeof budget === "number";
  return m.family === "2.5" || m.family === "3";
}

/** Gemini 3 signs its output and validates signatures on input. */
export function signsOutput(m: ModelInfo): boolean {
  return m.family === "3";
}
