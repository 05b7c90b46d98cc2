// The thinking clamp per model, end to end: every catalogue model × every effort / budget input of each
// surface → the exact thinkingConfig Google receives, against a fake that refuses what Google refuses
// (docs/upstream.md#thinking-per-model, docs/openai-mapping.md#thinking-clamp).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, DEFAULT_MODELS, type GeminiProxy } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, proxyOptionsFor } from "./_setup.ts";

type Family = "pro25" | "flash25" | "lite25" | "pro3" | "flash3" | "gemma";

const FAMILY: Record<string, Family> = {
  "gemini-2.5-pro": "pro25",
  "gemini-2.5-flash": "flash25",
  "gemini-2.5-flash-lite": "lite25",
  "gemini-3-pro-preview": "pro3",
  "gemini-3.1-pro-preview": "pro3",
  "gemini-3.1-pro-preview-customtools": "pro3",
  "gemini-3-flash-preview": "flash3",
  "gemini-3-flash": "flash3",
  "gemini-3.5-flash": "flash3",
  "gemini-3.1-flash-lite": "flash3",
  "gemini-3.1-flash-lite-preview": "flash3",
  "gemma-4-31b-it": "gemma",
  "gemma-4-26b-a4b-it": "gemma",
};
const MODELS = Object.keys(FAMILY);

const EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"] as const;
/** What each effort becomes, in EFFORTS order: a 2.5 budget or a Gemini 3 level. */
const BY_EFFORT: Record<Family, (number | string)[] | undefined> = {
  pro25: [128, 512, 1024, 8192, 24576, 32768],
  flash25: [0, 512, 1024, 8192, 24576, 24576],
  lite25: [0, 512, 1024, 8192, 24576, 24576],
  pro3: ["low", "low", "low", "low", "high", "high"],
  flash3: ["minimal", "minimal", "low", "medium", "high", "high"],
  gemma: undefined,
};

/** Anthropic `thinking.budget_tokens` (and Google's own thinking_budget) → budget or level. */
const BUDGETS = [1024, 1025, 4000, 8192, 8193, 32000];
const BY_BUDGET: Record<Family, (number | string)[] | undefined> = {
  pro25: [1024, 1025, 4000, 8192, 8193, 32000],
  flash25: [1024, 1025, 4000, 8192, 8193, 24576],
  lite25: [1024, 1025, 4000, 8192, 8193, 24576],
  pro3: ["low", "low", "low", "low", "high", "high"],
  flash3: ["low", "medium", "medium", "medium", "high", "high"],
  gemma: undefined,
};

/** The -nothinking and -maxthinking variants. */
const VARIANTS: Record<Family, [unknown, unknown] | undefined> = {
  pro25: [{ thinkingBudget: 128 }, { thinkingBudget: 32768 }],
  flash25: [{ includeThoughts: false, thinkingBudget: 0 }, { thinkingBudget: 24576 }],
  lite25: [{ includeThoughts: false, thinkingBudget: 0 }, { thinkingBudget: 24576 }],
  pro3: [{ thinkingLevel: "low" }, { thinkingLevel: "high" }],
  flash3: [{ thinkingLevel: "minimal" }, { thinkingLevel: "high" }],
  gemma: undefined,
};

/** The config Google must receive: thoughts asked for unless thinking is (as far as allowed) off. */
function expected(value: number | string | undefined, thoughts: boolean): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const setting = typeof value === "number" ? { thinkingBudget: value } : { thinkingLevel: value };
  return thoughts && value !== 0 ? { includeThoughts: true, ...setting } : setting;
}

let fake: FakeGoogle;
let proxy: GeminiProxy;

beforeAll(async () => {
  fake = await createFakeGoogle();
  proxy = createGeminiProxy(proxyOptionsFor(fake, { geminiApiKeys: [fake.addApiKey("AIzaThinkingTableKey00000000")] }));
  await proxy.ready();
});
afterAll(async () => {
  await proxy?.close();
  await fake?.close();
});

/** POSTs, expects a 200 (the fake refuses any config Google would), returns the thinkingConfig sent. */
async function sent(path: string, body: unknown, model: string): Promise<unknown> {
  const res = await proxy.fetch(
    new Request(`http://proxy.test${path}`, { method: "POST", headers: authHeaders(), body: JSON.stringify(body) }),
  );
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const upstream = fake.last({ action: "generateContent" })!;
  expect(upstream.model).toBe(model);
  return (upstream.body as { generationConfig?: { thinkingConfig?: unknown } }).generationConfig?.thinkingConfig;
}

const user = [{ role: "user", content: "think about it" }];

it("covers every model of the catalogue", () => {
  expect([...MODELS].sort()).toEqual(DEFAULT_MODELS.map((m) => m.id).sort());
});

describe("chat reasoning_effort", () => {
  const rows = MODELS.flatMap((model) =>
    EFFORTS.map((effort, i) => [model, effort, expected(BY_EFFORT[FAMILY[model]!]?.[i], effort !== "none")] as const),
  );
  it.each(rows)("%s %s → %j", async (model, effort, want) => {
    expect(await sent("/v1/chat/completions", { model, messages: user, reasoning_effort: effort }, model)).toEqual(
      want,
    );
  });
});

describe("Responses reasoning.effort", () => {
  const rows = MODELS.flatMap((model) =>
    (["low", "medium", "high"] as const).map(
      (effort) => [model, effort, expected(BY_EFFORT[FAMILY[model]!]?.[EFFORTS.indexOf(effort)], true)] as const,
    ),
  );
  it.each(rows)("%s %s → %j", async (model, effort, want) => {
    const body = { model, input: "think about it", reasoning: { effort, summary: "auto" } };
    expect(await sent("/v1/responses", body, model)).toEqual(want);
  });
});

describe("Anthropic thinking.budget_tokens", () => {
  const rows = MODELS.flatMap((model) =>
    BUDGETS.map((budget, i) => [model, budget, expected(BY_BUDGET[FAMILY[model]!]?.[i], true)] as const),
  );
  it.each(rows)("%s %d → %j", async (model, budget, want) => {
    const body = {
      model,
      max_tokens: 40000,
      thinking: { type: "enabled", budget_tokens: budget },
      messages: user,
    };
    expect(await sent("/v1/messages", body, model)).toEqual(want);
  });

  it.each(MODELS)("%s thinking disabled → the least the model allows", async (model) => {
    const body = { model, max_tokens: 1000, thinking: { type: "disabled" }, messages: user };
    expect(await sent("/v1/messages", body, model)).toEqual(expected(BY_EFFORT[FAMILY[model]!]?.[0], false));
  });
});

describe("chat extra_body.google.thinking_config.thinking_budget", () => {
  const rows = MODELS.flatMap((model) =>
    BUDGETS.map((budget, i) => [model, budget, expected(BY_BUDGET[FAMILY[model]!]?.[i], true)] as const),
  );
  it.each(rows)("%s %d → %j", async (model, budget, want) => {
    const body = { model, messages: user, extra_body: { google: { thinking_config: { thinking_budget: budget } } } };
    expect(await sent("/v1/chat/completions", body, model)).toEqual(want);
  });
});

describe("-nothinking / -maxthinking on the native surface", () => {
  const rows = MODELS.filter((m) => VARIANTS[FAMILY[m]!]).flatMap((model) => [
    [model, "nothinking", VARIANTS[FAMILY[model]!]![0]] as const,
    [model, "maxthinking", VARIANTS[FAMILY[model]!]![1]] as const,
  ]);
  it.each(rows)("%s-%s → %j", async (model, variant, want) => {
    const body = { contents: [{ role: "user", parts: [{ text: "think" }] }] };
    expect(await sent(`/v1beta/models/${model}-${variant}:generateContent`, body, model)).toEqual(want);
  });

  it("Gemma has no thinking variants: -nothinking goes to Google as is and changes nothing", async () => {
    const body = { contents: [{ role: "user", parts: [{ text: "think" }] }] };
    expect(await sent("/v1beta/models/gemma-4-31b-it-nothinking:generateContent", body, "gemma-4-31b-it")).toBe(
      undefined,
    );
  });
});

describe("the fake refuses what Google refuses (so a wrong clamp fails above)", () => {
  const refused: [string, Record<string, unknown>][] = [
    ["gemini-3.1-pro-preview", { thinkingLevel: "medium" }],
    ["gemini-3.1-pro-preview-customtools", { thinkingLevel: "minimal" }],
    ["gemini-3-pro-preview", { thinkingLevel: "MEDIUM" }],
    ["gemini-2.5-pro", { thinkingBudget: 0 }],
    ["gemini-2.5-pro", { thinkingBudget: 100 }],
    ["gemini-2.5-flash", { thinkingBudget: 24577 }],
    ["gemini-2.5-flash-lite", { thinkingBudget: 511 }],
    ["gemini-2.5-flash", { thinkingLevel: "low" }],
    ["gemini-3-flash-preview", { thinkingLevel: "low", thinkingBudget: 1024 }],
    ["gemma-4-31b-it", { thinkingBudget: 1024 }],
    ["gemini-2.5-flash-image", { thinkingBudget: 1024 }],
  ];
  it.each(refused)("%s %j → 400", async (model, thinkingConfig) => {
    const res = await proxy.fetch(
      new Request(`http://proxy.test/v1beta/models/${model}:generateContent`, {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({
          contents: [{ role: "user", parts: [{ text: "x" }] }],
          generationConfig: { thinkingConfig },
        }),
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT" } });
  });

  it.each([
    ["gemini-3.1-flash-lite-preview", { thinkingLevel: "MINIMAL" }],
    ["gemini-3.5-flash", { thinkingLevel: "medium" }],
    ["gemini-2.5-flash-lite", { thinkingBudget: 0 }],
    ["gemini-2.5-pro", { thinkingBudget: -1 }],
  ])("%s %j → 200", async (model, thinkingConfig) => {
    const body = { contents: [{ role: "user", parts: [{ text: "x" }] }], generationConfig: { thinkingConfig } };
    expect(await sent(`/v1beta/models/${model}:generateContent`, body, model)).toEqual(thinkingConfig);
  });
});
