import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { GenerateContentResponse } from "../src/gemini/types.ts";
import { openAIErrorBody } from "../src/surfaces/openai/errors.ts";
import type { ResponseContext } from "../src/surfaces/openai/response.ts";
import { createChunkTranslator } from "../src/surfaces/openai/stream.ts";
import { byteToIndex, createCitationText } from "../src/surfaces/openai/citations.ts";
import { toOpenAIError } from "../src/surfaces/openai/failure.ts";

const FIX = new URL("./fixtures/gemini-api-recorded/", import.meta.url).pathname;
const chunksOf = (name: string): GenerateContentResponse[] =>
  readFileSync(FIX + name, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

function translator(extra: Partial<ResponseContext> & { includeUsage?: boolean } = {}) {
  let n = 0;
  return createChunkTranslator({
    id: "chatcmpl-1",
    created: 1767225600,
    model: "gemini-2.5-flash",
    toolNames: new Map(),
    reasoning: "reasoning_content",
    newToolCallId: () => `call_${++n}`,
    includeUsage: false,
    ...extra,
  });
}
function run(chunks: GenerateContentResponse[], extra: Parameters<typeof translator>[0] = {}) {
  const t = translator(extra);
  const out = chunks.flatMap((c) => t.push(c));
  out.push(...t.finish());
  return { out, t };
}
const head = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1767225600, model: "gemini-2.5-flash" };
const ch = (delta: object, finish: string | null = null, usage?: null) => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...(usage === null ? { usage: null } : {}),
});
const part = (parts: unknown[], finishReason?: string, extra: object = {}): GenerateContentResponse =>
  ({
    candidates: [{ content: { role: "model", parts }, ...(finishReason ? { finishReason } : {}), ...extra }],
  }) as GenerateContentResponse;
const U = { promptTokenCount: 5, candidatesTokenCount: 2, thoughtsTokenCount: 3, totalTokenCount: 10 };
const USAGE = {
  prompt_tokens: 5,
  completion_tokens: 5,
  total_tokens: 10,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 3 },
};

describe("chunk translator: exact sequences", () => {
  it.each<[string, GenerateContentResponse[], Parameters<typeof translator>[0], object[]]>([
    [
      "text, role on first chunk, finish once",
      [part([{ text: "Hel" }]), part([{ text: "lo" }], "STOP")],
      {},
      [ch({ role: "assistant", content: "Hel" }), ch({ content: "lo" }), ch({}, "stop")],
    ],
    [
      "include_usage: usage:null on chunks and a final choices:[] chunk",
      [part([{ text: "a" }]), { ...part([{ text: "" }], "STOP"), usageMetadata: U }],
      { includeUsage: true },
      [
        ch({ role: "assistant", content: "a" }, null, null),
        ch({}, "stop", null),
        { ...head, choices: [], usage: USAGE },
      ],
    ],
    [
      "reasoning then text; empty strings never sent",
      [
        part([
          { text: "th", thought: true },
          { text: "", thought: true },
        ]),
        part([{ text: "ink", thought: true }, { text: "A" }], "STOP"),
      ],
      {},
      [
        ch({ role: "assistant", reasoning_content: "th" }),
        ch({ reasoning_content: "ink" }),
        ch({ content: "A" }),
        ch({}, "stop"),
      ],
    ],
    [
      "think tags",
      [part([{ text: "t1", thought: true }]), part([{ text: "t2", thought: true }, { text: "A" }], "STOP")],
      { reasoning: "think_tags" },
      [ch({ role: "assistant", content: "<think>\nt1" }), ch({ content: "t2\n</think>\n\nA" }), ch({}, "stop")],
    ],
    [
      "hidden thoughts",
      [part([{ text: "t", thought: true }]), part([{ text: "A" }], "STOP")],
      { reasoning: "hidden" },
      [ch({ role: "assistant", content: "A" }), ch({}, "stop")],
    ],
    [
      "parallel tool calls: own index and id, whole arguments, tool_calls not overwritten by STOP",
      [
        part([
          { functionCall: { name: "a_b", args: { x: 1 } }, thoughtSignature: "S" },
          { functionCall: { id: "fc_2", name: "c" } },
        ]),
        part([{ text: "" }], "STOP"),
      ],
      { toolNames: new Map([["a_b", "a b"]]) },
      [
        ch({
          role: "assistant",
          tool_calls: [
            {
              index: 0,
              id: "call_1",
              type: "function",
              function: { name: "a b", arguments: '{"x":1}' },
              extra_content: { google: { thought_signature: "S" } },
            },
          ],
        }),
        ch({ tool_calls: [{ index: 1, id: "fc_2", type: "function", function: { name: "c", arguments: "{}" } }] }),
        ch({}, "tool_calls"),
      ],
    ],
    [
      "streamed partialArgs assembled into one delta",
      [
        part([{ functionCall: { name: "w", willContinue: true }, thoughtSignature: "S" }]),
        part([
          {
            functionCall: {
              partialArgs: [{ jsonPath: "$.loc", stringValue: "Bos", willContinue: true }],
              willContinue: true,
            },
          },
        ]),
        part([
          {
            functionCall: {
              partialArgs: [
                { jsonPath: "$.loc", stringValue: "ton" },
                { jsonPath: "$.n[1].k", numberValue: 2 },
              ],
              willContinue: true,
            },
          },
        ]),
        part([{ functionCall: {} }], "STOP"),
      ],
      {},
      [
        ch({
          role: "assistant",
          tool_calls: [
            {
              index: 0,
              id: "call_1",
              type: "function",
              function: { name: "w", arguments: '{"loc":"Boston","n":[null,{"k":2}]}' },
              extra_content: { google: { thought_signature: "S" } },
            },
          ],
        }),
        ch({}, "tool_calls"),
      ],
    ],
    [
      "legacy functions → delta.function_call",
      [part([{ functionCall: { name: "f", args: {} } }], "STOP")],
      { legacyFunctions: true },
      [ch({ role: "assistant", function_call: { name: "f", arguments: "{}" } }), ch({}, "function_call")],
    ],
    [
      "MAX_TOKENS → length",
      [part([{ text: "a" }], "MAX_TOKENS")],
      {},
      [ch({ role: "assistant", content: "a" }), ch({}, "length")],
    ],
    [
      "SAFETY mid-stream → content_filter",
      [part([{ text: "a" }]), part([], "SAFETY")],
      {},
      [ch({ role: "assistant", content: "a" }), ch({}, "content_filter")],
    ],
    [
      "blocked prompt → role chunk then content_filter",
      [{ promptFeedback: { blockReason: "PROHIBITED_CONTENT" } }],
      {},
      [ch({ role: "assistant", content: "" }), ch({}, "content_filter")],
    ],
    [
      "grounding → annotations delta before the finish",
      [
        part([{ text: "Paris." }], "STOP", {
          groundingMetadata: {
            groundingChunks: [{ web: { uri: "https://p.test", title: "P" } }],
            groundingSupports: [{ segment: { endIndex: 6 }, groundingChunkIndices: [0] }],
          },
        }),
      ],
      {},
      [
        ch({ role: "assistant", content: "Paris." }),
        ch({
          annotations: [
            { type: "url_citation", url_citation: { start_index: 0, end_index: 6, title: "P", url: "https://p.test" } },
          ],
        }),
        ch({}, "stop"),
      ],
    ],
  ])("%s", (_name, chunks, extra, want) => {
    expect(run(chunks, extra).out).toEqual(want);
  });

  it("citation offsets of a streamed answer equal those of the whole text, ASCII or not", () => {
    for (const pieces of [["Par", "is is ", "nice."], ["ab", "cé", "d😀e", "f"], ["é"], [], ["x", "", "日本語", "z"]]) {
      const text = createCitationText();
      for (const p of pieces) text.push(p);
      const whole = pieces.join("");
      for (const b of [-1, 0, 1, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 12, 100, Infinity, Number.NaN])
        expect([pieces, b, text.index(b)]).toEqual([pieces, b, byteToIndex(whole, b)]);
    }
  });

  it("grounding over an answer in several non-ASCII chunks: indices in the whole answer", () => {
    const grounding = {
      groundingChunks: [{ web: { uri: "https://p.test", title: "P" } }],
      // "Café " is 6 bytes; "très bien" starts at byte 6, ends at byte 16
      groundingSupports: [{ segment: { startIndex: 6, endIndex: 16 }, groundingChunkIndices: [0] }],
    };
    const { out } = run([
      part([{ text: "Caf" }]),
      part([{ text: "é tr" }]),
      part([{ text: "ès bien" }], "STOP", { groundingMetadata: grounding }),
    ]);
    const annotations = out.flatMap(
      (c) => (c as { choices: { delta: { annotations?: unknown[] } }[] }).choices[0]?.delta.annotations ?? [],
    );
    expect(annotations).toEqual([
      { type: "url_citation", url_citation: { start_index: 5, end_index: 14, title: "P", url: "https://p.test" } },
    ]);
  });

  it("start() sends the role chunk once, before anything else", () => {
    const t = translator();
    expect(t.start()).toEqual([ch({ role: "assistant", content: "" })]);
    expect(t.start()).toEqual([]);
    expect(t.push(part([{ text: "x" }], "STOP"))).toEqual([ch({ content: "x" })]);
    expect(t.finish()).toEqual([ch({}, "stop")]);
    expect(t.finish()).toEqual([]);
  });

  it("usage() keeps the last usage with counts; signatures() collects", () => {
    const t = translator();
    t.push({ ...part([{ functionCall: { name: "f" }, thoughtSignature: "S" }]), usageMetadata: U });
    t.push({ ...part([], "STOP"), usageMetadata: { trafficType: "ON_DEMAND" } });
    t.finish();
    expect(t.usage()).toEqual(U);
    expect(t.signatures()).toEqual([["call_1", "S"]]);
  });

  it.each<[string, GenerateContentResponse[], string]>([
    ["no finish reason", [part([{ text: "a" }])], "stream_incomplete"],
    ["empty stream", [], "stream_incomplete"],
    ["MALFORMED_FUNCTION_CALL", [part([], "MALFORMED_FUNCTION_CALL")], "malformed_function_call"],
    ["UNEXPECTED_TOOL_CALL", [part([{ text: "a" }], "UNEXPECTED_TOOL_CALL")], "unexpected_tool_call"],
  ])("%s → finish() throws an in-band error", (_name, chunks, code) => {
    const t = translator();
    chunks.forEach((c) => t.push(c));
    let err: unknown;
    try {
      t.finish();
    } catch (e) {
      err = e;
    }
    const e = toOpenAIError(err);
    expect(e).toMatchObject({ status: 502, message: (err as Error).message });
    expect(openAIErrorBody(e)).toEqual({ error: { message: e.message, type: "server_error", param: null, code } });
  });
});

type Chunk = {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: unknown;
};

/** The invariants the openai SDK helper, the AI SDK and LangChain rely on (docs/openai-mapping.md#streaming). */
function assertValidSequence(chunks: Chunk[], includeUsage: boolean): void {
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
  const finishes = chunks.flatMap((c) => c.choices.filter((x) => x.finish_reason !== null));
  expect(finishes).toHaveLength(1);
  const body = includeUsage ? chunks.slice(0, -1) : chunks;
  expect(body[body.length - 1]?.choices[0]?.finish_reason).not.toBeNull();
  for (const c of chunks) {
    expect(c).toMatchObject({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1767225600 });
    expect(Array.isArray(c.choices)).toBe(true);
    expect("usage" in c).toBe(includeUsage);
    for (const x of c.choices) {
      for (const v of ["content", "reasoning_content"]) if (v in x.delta) expect(typeof x.delta[v]).toBe("string");
      for (const tc of (x.delta.tool_calls as Record<string, unknown>[] | undefined) ?? []) {
        expect(tc).toMatchObject({
          index: expect.any(Number),
          id: expect.any(String),
          type: "function",
          function: { name: expect.any(String), arguments: expect.any(String) },
        });
        expect(() => JSON.parse((tc.function as { arguments: string }).arguments)).not.toThrow();
      }
    }
  }
  if (includeUsage)
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  const idx = chunks.flatMap((c) =>
    c.choices.flatMap((x) => ((x.delta.tool_calls as { index: number }[] | undefined) ?? []).map((t) => t.index)),
  );
  expect(idx).toEqual(idx.map((_, i) => i));
}

describe("recorded fixtures stream through as-is", () => {
  const files = readdirSync(FIX).filter((f) => f.endsWith(".chunks.txt"));
  it.each(
    files.flatMap(
      (f) =>
        [
          [f, false],
          [f, true],
        ] as [string, boolean][],
    ),
  )("%s (include_usage %s)", (file, includeUsage) => {
    const { out } = run(chunksOf(file), { includeUsage });
    assertValidSequence(out as Chunk[], includeUsage);
  });

  it.each(files)("%s also as Code Assist envelopes unwrapped by the route", (file) => {
    const wrapped = chunksOf(file).map((c) => ({ response: c, traceId: "t" }));
    const { out } = run(wrapped.map((w) => w.response));
    assertValidSequence(out as Chunk[], false);
  });

  const toolCalls = (file: string) =>
    (run(chunksOf(file)).out as Chunk[])
      .flatMap((c) =>
        c.choices.flatMap(
          (x) => (x.delta.tool_calls as { function: { name: string; arguments: string } }[] | undefined) ?? [],
        ),
      )
      .map((t) => [t.function.name, JSON.parse(t.function.arguments)]);

  it("tool call arguments streamed as partialArgs (Gemini 3.1 Pro)", () => {
    expect(toolCalls("google-stream-tool-call-arguments.chunks.txt")).toEqual([
      ["getWeather", { location: "Boston" }],
      ["getWeather", { location: "San Francisco" }],
    ]);
  });
  it("calls without args and calls with streamed args", () => {
    expect(toolCalls("google-stream-no-args-tool-call.chunks.txt")).toEqual([
      ["read_theme", {}],
      ["read_screen", { id: "A" }],
      ["read_screen", { id: "B" }],
      ["read_screen", { id: "C" }],
    ]);
  });
  it("array arguments with a missing terminal functionCall", () => {
    expect(toolCalls("google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt")).toEqual([
      [
        "writeItems",
        {
          operations: [
            { action: "add", description: "Fresh red apple", itemid: "apple_001", price: 0.5 },
            { action: "add", description: "Ripe yellow banana", itemid: "banana_001", price: 0.3 },
          ],
        },
      ],
    ]);
  });
  it("nested Vertex arguments", () => {
    const [call] = toolCalls("google-vertex-stream-tool-call-arguments-nested.1.chunks.txt");
    expect(call?.[0]).toBe("cookRecipe");
    expect(call?.[1].recipe.name).toBe("Lasagna");
    expect(call?.[1].recipe.steps).toHaveLength(10);
    expect(call?.[1].recipe.ingredients[7]).toEqual({ amount: "2 cloves", name: "Garlic" });
  });
  it("Gemini 3 reasoning stream: exact output", () => {
    const { out, t } = run(chunksOf("google-reasoning-gemini3.chunks.txt"), {
      includeUsage: true,
      model: "gemini-3-pro-preview",
    });
    const h = { ...head, model: "gemini-3-pro-preview", usage: null };
    expect(out).toEqual([
      {
        ...h,
        choices: [
          {
            index: 0,
            delta: { role: "assistant", content: 'There are **3** "r"s in strawberry.\n\n' },
            logprobs: null,
            finish_reason: null,
          },
        ],
      },
      { ...h, choices: [{ index: 0, delta: { content: "St**r**awbe**rr**y" }, logprobs: null, finish_reason: null }] },
      { ...h, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] },
      {
        ...h,
        choices: [],
        usage: {
          prompt_tokens: 9,
          completion_tokens: 325,
          total_tokens: 334,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 302 },
        },
      },
    ]);
    expect(t.signatures()).toEqual([]);
  });
  it("thought summary before a call (Gemini 3 Flash) goes to reasoning_content", () => {
    const out = run(chunksOf("google-stream-no-args-tool-call.chunks.txt")).out as Chunk[];
    expect(out[0]?.choices[0]?.delta).toMatchObject({
      role: "assistant",
      reasoning_content: expect.stringContaining("**Processing User Requests**"),
    });
    expect(out[out.length - 1]?.choices[0]?.finish_reason).toBe("tool_calls");
  });
});
