import { describe, expect, it } from "vitest";
import {
  applyVariant,
  createModelCatalogue,
  DEFAULT_MODELS,
  inferModelInfo,
  variantsFor,
  type ModelInfo,
} from "../src/gemini/models.ts";
import { clampThinking, type ThinkingWish } from "../src/gemini/thinking.ts";
import type { GenerateContentRequest } from "../src/gemini/types.ts";

const cat = createModelCatalogue();
const model = (id: string): ModelInfo => {
  const m = cat.resolve(id);
  if (!m) throw new Error(id);
  return m.base;
};

describe("catalogue", () => {
  it("has the required models and their variants", () => {
    const required = [
      "gemini-2.5-pro",
      "gemini-2.5-flash",
      "gemini-2.5-flash-lite",
      "gemini-3-pro-preview",
      "gemini-3.1-pro-preview",
      "gemini-3.1-pro-preview-customtools",
      "gemini-3-flash-preview",
      "gemini-3-flash",
      "gemini-3.5-flash",
      "gemini-3.1-flash-lite",
      "gemini-3.1-flash-lite-preview",
    ];
    for (const id of required) {
      expect(cat.ids()).toContain(id);
      for (const v of ["search", "nothinking", "maxthinking"]) expect(cat.ids()).toContain(`${id}-${v}`);
    }
    for (const id of ["gemma-4-31b-it", "gemma-4-26b-a4b-it"]) {
      expect(cat.ids()).toContain(id);
      expect(cat.ids()).toContain(`${id}-search`);
      expect(cat.ids()).not.toContain(`${id}-nothinking`); // no thinking config for Gemma
    }
    const variants = DEFAULT_MODELS.reduce((n, m) => n + variantsFor(m).length, 0);
    expect(cat.ids()).toHaveLength(DEFAULT_MODELS.length + variants);
    expect(cat.ids()).toBe(cat.ids()); // precomputed
  });

  it.each([
    ["gemini-2.5-pro", { id: "gemini-2.5-pro", variant: undefined, upstream: "gemini-2.5-pro" }],
    ["models/gemini-2.5-pro", { id: "gemini-2.5-pro", variant: undefined, upstream: "gemini-2.5-pro" }],
    ["gemini-2.5-pro-search", { id: "gemini-2.5-pro-search", variant: "search", upstream: "gemini-2.5-pro" }],
    [
      "models/gemini-3-flash-preview-nothinking",
      { id: "gemini-3-flash-preview-nothinking", variant: "nothinking", upstream: "gemini-3-flash-preview" },
    ],
    [
      "gemini-3.1-pro-preview-maxthinking",
      { id: "gemini-3.1-pro-preview-maxthinking", variant: "maxthinking", upstream: "gemini-3.1-pro-preview" },
    ],
    ["GEMINI-2.5-FLASH", { id: "gemini-2.5-flash", variant: undefined, upstream: "gemini-2.5-flash" }],
  ])("resolve(%s)", (input, want) => {
    const r = cat.resolve(input);
    expect(r && { id: r.id, variant: r.variant, upstream: r.upstream }).toEqual(want);
  });

  it.each(["gpt-4o", "claude-sonnet-4", "", "models/", "gemini-", "gemini-x y", "gemini-2.5-pro/../x"])(
    "non-Gemini id %j → undefined",
    (id) => {
      expect(cat.resolve(id)).toBeUndefined();
    },
  );

  it.each([
    ["gemini-2.5-pro-turbo", { id: "gemini-2.5-pro-turbo", variant: undefined, upstream: "gemini-2.5-pro-turbo" }],
    ["models/gemini-flash-latest", { id: "gemini-flash-latest", variant: undefined, upstream: "gemini-flash-latest" }],
    [
      "gemini-flash-latest-search",
      { id: "gemini-flash-latest-search", variant: "search", upstream: "gemini-flash-latest" },
    ],
    ["Gemma-3-27b-IT", { id: "gemma-3-27b-it", variant: undefined, upstream: "gemma-3-27b-it" }],
    [
      "gemini-9-ultra-maxthinking",
      { id: "gemini-9-ultra-maxthinking", variant: "maxthinking", upstream: "gemini-9-ultra" },
    ],
  ])("unknown %s goes to Google as is (unlisted)", (input, want) => {
    const r = cat.resolve(input);
    expect(r && { id: r.id, variant: r.variant, upstream: r.upstream }).toEqual(want);
    expect(r?.listed).toBe(false);
    expect(cat.resolve("gemini-2.5-pro")?.listed).toBe(true);
  });

  it("strict: only the catalogue and its variants resolve", () => {
    const strict = createModelCatalogue(DEFAULT_MODELS, { strict: true });
    expect(strict.strict).toBe(true);
    expect(cat.strict).toBe(false);
    for (const id of ["gemini-2.5-pro-turbo", "gemini-flash-latest", "gemma-3-27b-it", "gemini-2.5-pro-search-search"])
      expect(strict.resolve(id)).toBeUndefined();
    expect(strict.resolve("gemini-3.5-flash-search")?.upstream).toBe("gemini-3.5-flash");
  });

  it("Code Assist wire names: gemini-3.5-flash is gemini-3-flash there, other ids as they are", () => {
    expect(cat.resolve("gemini-3.5-flash-nothinking")?.upstream).toBe("gemini-3.5-flash");
    expect(cat.codeAssistId("gemini-3.5-flash")).toBe("gemini-3-flash");
    expect(cat.codeAssistId("gemini-3-flash")).toBe("gemini-3-flash");
    expect(cat.codeAssistId("gemini-2.5-pro")).toBe("gemini-2.5-pro");
    expect(cat.codeAssistId("gemini-flash-latest")).toBe("gemini-flash-latest");
    // A custom catalogue without it still sends the wire name Code Assist expects.
    const custom = createModelCatalogue(["gemini-2.5-flash"]);
    expect(custom.resolve("gemini-3.5-flash")?.base.thinking.kind).toBe("level");
    expect(custom.codeAssistId("gemini-3.5-flash")).toBe("gemini-3-flash");
  });

  it("is configurable: known ids, partial objects, unknown ids inferred, upstreamId", () => {
    const c = createModelCatalogue([
      "gemini-2.5-flash",
      { id: "gemini-2.5-pro", displayName: "Pro" },
      "gemini-2.0-flash",
      { id: "gemini-3.5-flash", upstreamId: "gemini-3-flash" },
    ]);
    expect(c.models.map((m) => m.id)).toEqual([
      "gemini-2.5-flash",
      "gemini-2.5-pro",
      "gemini-2.0-flash",
      "gemini-3.5-flash",
    ]);
    expect(c.resolve("gemini-2.5-pro")?.base.displayName).toBe("Pro");
    expect(c.resolve("gemini-2.5-pro")?.base.thinking).toEqual({
      kind: "budget",
      min: 128,
      max: 32768,
      canDisable: false,
      dynamic: true,
    });
    expect(c.ids()).not.toContain("gemini-2.0-flash-nothinking"); // no thinking → only -search
    expect(c.resolve("gemini-2.0-flash-search")?.upstream).toBe("gemini-2.0-flash");
    expect(c.resolve("gemini-3.5-flash-search")?.upstream).toBe("gemini-3-flash");
    expect(c.ids()).not.toContain("gemini-3-pro-preview");
    expect(c.resolve("gemini-3-pro-preview")?.listed).toBe(false); // still sent to Google
    expect(c.resolve("gemini-3-pro-preview")?.base.thinking).toEqual(model("gemini-3-pro-preview").thinking);
  });

  it.each([
    [
      "gemini-2.5-flash-preview-09-2025",
      {
        family: "gemini-2.5",
        tier: "flash",
        preview: true,
        thinking: { kind: "budget", min: 0, max: 24576, canDisable: true, dynamic: true },
      },
    ],
    [
      "gemini-3-pro-preview-11-2025",
      {
        family: "gemini-3",
        tier: "pro",
        preview: true,
        thinking: { kind: "level", levels: ["low", "high"], default: "high" },
      },
    ],
    [
      // A Gemini 3 model we do not know: only the levels every Gemini 3 model accepts.
      "gemini-3.2-flash-lite-preview",
      {
        family: "gemini-3",
        tier: "flash-lite",
        preview: true,
        thinking: { kind: "level", levels: ["low", "high"], default: "high" },
      },
    ],
    [
      "gemini-2.5-flash-lite-preview-06-17",
      {
        family: "gemini-2.5",
        tier: "flash-lite",
        preview: true,
        thinking: { kind: "budget", min: 512, max: 24576, canDisable: true, dynamic: true },
      },
    ],
    ["gemma-5-9b-it", { family: "gemma-5", tier: "other", preview: false, thinking: { kind: "none" } }],
    ["gemini-flash-latest", { family: "other", tier: "flash", preview: false, thinking: { kind: "none" } }],
    ["gemini-2.5-flash-image", { family: "gemini-2.5", tier: "flash", preview: false, thinking: { kind: "none" } }],
    ["gemini-3-pro-image-preview", { family: "gemini-3", tier: "pro", preview: true, thinking: { kind: "none" } }],
    [
      "gemini-2.5-flash-preview-tts",
      { family: "gemini-2.5", tier: "flash", preview: true, thinking: { kind: "none" } },
    ],
    ["gemini-2.0-flash", { family: "gemini-2.0", tier: "flash", preview: false, thinking: { kind: "none" } }],
  ])("infers %s", (id, want) => {
    const m = inferModelInfo(id);
    expect({ family: m.family, tier: m.tier, preview: m.preview, thinking: m.thinking }).toEqual(want);
  });
});

describe("applyVariant", () => {
  const base: GenerateContentRequest = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
  const withThoughts: GenerateContentRequest = {
    ...base,
    generationConfig: { temperature: 1, thinkingConfig: { includeThoughts: true, thinkingLevel: "low" } },
  };
  const tools: GenerateContentRequest = { ...base, tools: [{ functionDeclarations: [{ name: "f" }] }] };
  it.each([
    ["gemini-2.5-pro", base, base],
    ["gemini-2.5-pro-search", base, { ...base, tools: [{ googleSearch: {} }] }],
    [
      "gemini-2.5-pro-search",
      tools,
      { ...base, tools: [{ functionDeclarations: [{ name: "f" }] }, { googleSearch: {} }] },
    ],
    ["gemini-2.5-pro-nothinking", base, { ...base, generationConfig: { thinkingConfig: { thinkingBudget: 128 } } }],
    [
      "gemini-2.5-flash-nothinking",
      withThoughts,
      { ...base, generationConfig: { temperature: 1, thinkingConfig: { includeThoughts: false, thinkingBudget: 0 } } },
    ],
    [
      "gemini-2.5-flash-lite-nothinking",
      base,
      { ...base, generationConfig: { thinkingConfig: { includeThoughts: false, thinkingBudget: 0 } } },
    ],
    [
      "gemini-2.5-pro-maxthinking",
      withThoughts,
      {
        ...base,
        generationConfig: { temperature: 1, thinkingConfig: { includeThoughts: true, thinkingBudget: 32768 } },
      },
    ],
    [
      "gemini-2.5-flash-maxthinking",
      base,
      { ...base, generationConfig: { thinkingConfig: { thinkingBudget: 24576 } } },
    ],
    [
      "gemini-3-pro-preview-nothinking",
      base,
      { ...base, generationConfig: { thinkingConfig: { thinkingLevel: "low" } } },
    ],
    [
      "gemini-3-flash-preview-nothinking",
      withThoughts,
      {
        ...base,
        generationConfig: { temperature: 1, thinkingConfig: { includeThoughts: true, thinkingLevel: "minimal" } },
      },
    ],
    [
      "gemini-3.1-pro-preview-maxthinking",
      base,
      { ...base, generationConfig: { thinkingConfig: { thinkingLevel: "high" } } },
    ],
  ])("%s", (id, input, want) => {
    const snapshot = structuredClone(input);
    expect(applyVariant(input, cat.resolve(id)!)).toEqual(want);
    expect(input).toEqual(snapshot); // not mutated
  });
});

describe("clampThinking", () => {
  it.each<[string, ThinkingWish, unknown]>([
    ["gemini-2.5-pro", {}, undefined],
    ["gemini-2.5-pro", { includeThoughts: true }, { includeThoughts: true }],
    ["gemini-2.5-pro", { effort: "none" }, { thinkingBudget: 128 }],
    ["gemini-2.5-flash", { effort: "none", includeThoughts: true }, { thinkingBudget: 0 }],
    ["gemini-2.5-flash", { effort: "minimal" }, { thinkingBudget: 512 }],
    ["gemini-2.5-flash", { effort: "low" }, { thinkingBudget: 1024 }],
    ["gemini-2.5-flash", { effort: "medium" }, { thinkingBudget: 8192 }],
    ["gemini-2.5-flash", { effort: "high" }, { thinkingBudget: 24576 }],
    ["gemini-2.5-pro", { effort: "xhigh" }, { thinkingBudget: 32768 }],
    ["gemini-2.5-flash", { effort: "xhigh" }, { thinkingBudget: 24576 }],
    ["gemini-2.5-pro", { budget: 100000 }, { thinkingBudget: 32768 }],
    ["gemini-2.5-pro", { budget: 0 }, { thinkingBudget: 128 }],
    ["gemini-2.5-pro", { budget: -1, includeThoughts: true }, { includeThoughts: true, thinkingBudget: -1 }],
    ["gemini-2.5-flash-lite", { budget: 100 }, { thinkingBudget: 512 }],
    ["gemini-2.5-flash-lite", { budget: 0 }, { thinkingBudget: 0 }],
    ["gemini-2.5-flash", { budget: 2000, effort: "high" }, { thinkingBudget: 2000 }],
    ["gemini-2.5-flash", { level: "LOW" }, { thinkingBudget: 1024 }],
    ["gemini-3-pro-preview", { effort: "none" }, { thinkingLevel: "low" }],
    ["gemini-3-pro-preview", { effort: "minimal" }, { thinkingLevel: "low" }],
    ["gemini-3-pro-preview", { effort: "medium" }, { thinkingLevel: "low" }],
    [
      "gemini-3-pro-preview",
      { effort: "xhigh", includeThoughts: true },
      { includeThoughts: true, thinkingLevel: "high" },
    ],
    ["gemini-3.1-pro-preview", { effort: "medium" }, { thinkingLevel: "low" }],
    ["gemini-3.1-pro-preview", { effort: "minimal" }, { thinkingLevel: "low" }],
    ["gemini-3-flash-preview", { effort: "none" }, { thinkingLevel: "minimal" }],
    ["gemini-3-flash-preview", { effort: "medium" }, { thinkingLevel: "medium" }],
    ["gemini-3-flash-preview", { level: "HIGH" }, { thinkingLevel: "high" }],
    ["gemini-3-flash-preview", { level: "high", budget: 0 }, { thinkingLevel: "high" }],
    ["gemini-3-flash-preview", { budget: 0 }, { thinkingLevel: "minimal" }],
    ["gemini-3-flash-preview", { budget: 800 }, { thinkingLevel: "low" }],
    ["gemini-3-flash-preview", { budget: 4096 }, { thinkingLevel: "medium" }],
    ["gemini-3-pro-preview", { budget: 24576 }, { thinkingLevel: "high" }],
    ["gemini-3-pro-preview", { budget: -1 }, undefined],
  ])("%s %j", (id, wish, want) => {
    expect(clampThinking(model(id), wish)).toEqual(want);
  });

  it("returns undefined for models without thinking", () => {
    expect(clampThinking(inferModelInfo("gemma-4-31b-it"), { effort: "high", includeThoughts: true })).toBeUndefined();
  });
});
