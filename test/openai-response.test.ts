import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { GeminiCandidate, GeminiPart, GenerateContentResponse } from "../src/gemini/types.ts";
import { toOpenAIError } from "../src/surfaces/openai/failure.ts";
import { toChatCompletion, type ResponseContext } from "../src/surfaces/openai/response.ts";
import { createModelCatalogue } from "../src/gemini/models.ts";
import { toOpenAIModel, toOpenAIModelList } from "../src/surfaces/openai/models.ts";

const FIX = new URL("./fixtures/gemini-api-recorded/", import.meta.url).pathname;
const fixture = (name: string): GenerateContentResponse => JSON.parse(readFileSync(FIX + name, "utf8"));

function ctx(extra: Partial<ResponseContext> = {}): ResponseContext {
  let n = 0;
  return {
    id: "chatcmpl-1",
    created: 1767225600,
    model: "gemini-2.5-pro",
    toolNames: new Map(),
    reasoning: "reasoning_content",
    newToolCallId: () => `call_${++n}`,
    ...extra,
  };
}
const USAGE0 = {
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const wrap = (choices: unknown[], usage: unknown = USAGE0) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1767225600,
  model: "gemini-2.5-pro",
  system_fingerprint: null,
  choices,
  usage,
});
const msg = (m: Record<string, unknown>, finish = "stop", index = 0) => ({
  index,
  message: { role: "assistant", refusal: null, ...m },
  logprobs: null,
  finish_reason: finish,
});
const cand = (parts: GeminiPart[], finishReason = "STOP", extra: Record<string, unknown> = {}): GeminiCandidate => ({
  content: { role: "model", parts },
  finishReason,
  ...extra,
});

describe("toChatCompletion", () => {
  it.each<[string, GenerateContentResponse, Partial<ResponseContext>, unknown, unknown[]]>([
    [
      "plain text",
      { candidates: [cand([{ text: "Hel" }, { text: "lo" }])] },
      {},
      wrap([msg({ content: "Hello" })]),
      [],
    ],
    [
      "thoughts → reasoning_content, usage with thoughts in completion",
      {
        candidates: [cand([{ text: "think", thought: true }, { text: "ans" }])],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 3,
          thoughtsTokenCount: 5,
          cachedContentTokenCount: 4,
          totalTokenCount: 18,
        },
      },
      {},
      wrap([msg({ content: "ans", reasoning_content: "think" })], {
        prompt_tokens: 10,
        completion_tokens: 8,
        total_tokens: 18,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 5 },
      }),
      [],
    ],
    [
      "thoughts as <think> tags",
      { candidates: [cand([{ text: "hmm", thought: true }, { text: "ans" }])] },
      { reasoning: "think_tags" },
      wrap([msg({ content: "<think>\nhmm\n</think>\n\nans" })]),
      [],
    ],
    [
      "thoughts hidden",
      { candidates: [cand([{ text: "hmm", thought: true }, { text: "ans" }])] },
      { reasoning: "hidden" },
      wrap([msg({ content: "ans" })]),
      [],
    ],
    [
      "parallel tool calls: ids, restored names, signature on the first, finish tool_calls over STOP",
      {
        candidates: [
          cand([
            { functionCall: { name: "mcp_fs_read", args: { p: "a" } }, thoughtSignature: "S1" },
            { functionCall: { id: "fc_7", name: "get_weather" } },
          ]),
        ],
      },
      { toolNames: new Map([["mcp_fs_read", "mcp/fs read"]]) },
      wrap([
        msg(
          {
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "mcp/fs read", arguments: '{"p":"a"}' },
                extra_content: { google: { thought_signature: "S1" } },
              },
              { id: "fc_7", type: "function", function: { name: "get_weather", arguments: "{}" } },
            ],
          },
          "tool_calls",
        ),
      ]),
      [["call_1", "S1"]],
    ],
    [
      "signature carried by a thought part goes to the first call",
      {
        candidates: [
          cand([
            { text: "plan", thought: true, thoughtSignature: "ST" },
            { text: "Calling." },
            { functionCall: { name: "f", args: {} } },
          ]),
        ],
      },
      {},
      wrap([
        msg(
          {
            content: "Calling.",
            reasoning_content: "plan",
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "f", arguments: "{}" },
                extra_content: { google: { thought_signature: "ST" } },
              },
            ],
          },
          "tool_calls",
        ),
      ]),
      [["call_1", "ST"]],
    ],
    [
      "legacy functions → message.function_call",
      { candidates: [cand([{ functionCall: { name: "f", args: { a: 1 } } }])] },
      { legacyFunctions: true },
      wrap([msg({ content: null, function_call: { name: "f", arguments: '{"a":1}' } }, "function_call")]),
      [],
    ],
    [
      "MAX_TOKENS → length",
      { candidates: [cand([{ text: "trunc" }], "MAX_TOKENS")] },
      {},
      wrap([msg({ content: "trunc" }, "length")]),
      [],
    ],
    [
      "SAFETY → content_filter, content null",
      { candidates: [cand([], "SAFETY")] },
      {},
      wrap([msg({ content: null }, "content_filter")]),
      [],
    ],
    [
      "RECITATION keeps partial text",
      { candidates: [cand([{ text: "par" }], "RECITATION")] },
      {},
      wrap([msg({ content: "par" }, "content_filter")]),
      [],
    ],
    [
      "OTHER → stop, empty content is an empty string",
      { candidates: [cand([], "OTHER")] },
      {},
      wrap([msg({ content: "" })]),
      [],
    ],
    [
      "blocked prompt → one content_filter choice",
      { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } },
      {},
      wrap([msg({ content: null }, "content_filter")], { ...USAGE0, prompt_tokens: 7, total_tokens: 7 }),
      [],
    ],
    [
      "n = 2 candidates, indexes kept, one malformed candidate tolerated",
      {
        candidates: [
          { ...cand([{ text: "B" }]), index: 1 },
          { ...cand([], "MALFORMED_FUNCTION_CALL"), index: 0 },
        ],
      },
      {},
      wrap([msg({ content: "" }, "stop", 0), msg({ content: "B" }, "stop", 1)]),
      [],
    ],
    [
      "grounding → url_citation annotations with UTF-16 indices from UTF-8 byte offsets",
      {
        candidates: [
          cand([{ text: "é is here. Second." }], "STOP", {
            groundingMetadata: {
              groundingChunks: [{ web: { uri: "https://a.test", title: "A" } }, { web: { uri: "https://b.test" } }],
              groundingSupports: [
                { segment: { startIndex: 0, endIndex: 11, text: "é is here." }, groundingChunkIndices: [0] },
              ],
            },
          }),
        ],
      },
      {},
      wrap([
        msg({
          content: "é is here. Second.",
          annotations: [
            {
              type: "url_citation",
              url_citation: { start_index: 0, end_index: 10, title: "A", url: "https://a.test" },
            },
            {
              type: "url_citation",
              url_citation: { start_index: 0, end_index: 0, title: "https://b.test", url: "https://b.test" },
            },
          ],
        }),
      ]),
      [],
    ],
    [
      "logprobs",
      {
        candidates: [
          cand([{ text: "Hi" }], "STOP", {
            logprobsResult: {
              chosenCandidates: [{ token: "Hi", logProbability: -0.5 }],
              topCandidates: [
                {
                  candidates: [
                    { token: "Hi", logProbability: -0.5 },
                    { token: "Yo", logProbability: -2 },
                  ],
                },
              ],
            },
          }),
        ],
      },
      {},
      wrap([
        {
          ...msg({ content: "Hi" }),
          logprobs: {
            content: [
              {
                token: "Hi",
                logprob: -0.5,
                bytes: [72, 105],
                top_logprobs: [
                  { token: "Hi", logprob: -0.5, bytes: [72, 105] },
                  { token: "Yo", logprob: -2, bytes: [89, 111] },
                ],
              },
            ],
            refusal: null,
          },
        },
      ]),
      [],
    ],
    [
      "code execution parts rendered as markdown",
      {
        candidates: [
          cand([
            { executableCode: { language: "PYTHON", code: "print(1)" } },
            { codeExecutionResult: { outcome: "OUTCOME_OK", output: "1" } },
          ]),
        ],
      },
      {},
      wrap([msg({ content: "\n```python\nprint(1)\n```\n\n```\n1\n```\n" })]),
      [],
    ],
    [
      "usage: toolUsePromptTokenCount is input; inconsistent total replaced by the sum",
      {
        candidates: [cand([{ text: "x" }])],
        usageMetadata: { promptTokenCount: 5, toolUsePromptTokenCount: 2, candidatesTokenCount: 1, totalTokenCount: 6 },
      },
      {},
      wrap([msg({ content: "x" })], { ...USAGE0, prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 }),
      [],
    ],
  ])("%s", (_name, resp, extra, want, sigs) => {
    const out = toChatCompletion(resp, ctx(extra));
    expect(out.completion).toEqual(want);
    expect(out.signatures).toEqual(sigs);
  });

  it("recorded Gemini 3 tool call", () => {
    const f = fixture("google-tool-call-gemini3.json");
    const sig = f.candidates?.[0]?.content?.parts[0]?.thoughtSignature as string;
    const out = toChatCompletion(f, ctx({ model: "gemini-3-pro-preview" }));
    expect(out.completion).toEqual({
      ...wrap(
        [
          msg(
            {
              content: null,
              tool_calls: [
                {
                  id: "call_1",
                  type: "function",
                  function: { name: "weather", arguments: '{"location":"San Francisco"}' },
                  extra_content: { google: { thought_signature: sig } },
                },
              ],
            },
            "tool_calls",
          ),
        ],
        {
          prompt_tokens: 29,
          completion_tokens: 1816,
          total_tokens: 1845,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 1801 },
        },
      ),
      model: "gemini-3-pro-preview",
    });
    expect(out.signatures).toEqual([["call_1", sig]]);
  });

  it.each(["google-text.json", "google-reasoning.json", "google-reasoning-gemini3.json", "google-tool-call.json"])(
    "recorded %s translates",
    (name) => {
      const out = toChatCompletion(fixture(name), ctx()).completion as {
        choices: { message: { content: unknown } }[];
        usage: { total_tokens: number };
      };
      expect(out.choices).toHaveLength(1);
      expect(out.usage.total_tokens).toBe(fixture(name).usageMetadata?.totalTokenCount);
    },
  );

  it.each<[string, GenerateContentResponse, number, string]>([
    [
      "all candidates MALFORMED_FUNCTION_CALL",
      { candidates: [cand([], "MALFORMED_FUNCTION_CALL", { finishMessage: "bad" })] },
      502,
      "malformed_function_call",
    ],
    ["UNEXPECTED_TOOL_CALL", { candidates: [cand([], "UNEXPECTED_TOOL_CALL")] }, 502, "unexpected_tool_call"],
    ["no candidates, no block", { candidates: [] }, 502, "empty_response"],
  ])("%s → a bad_reply ChatError, 502 in OpenAI's shape", (_name, resp, status, code) => {
    const err = (() => {
      try {
        toChatCompletion(resp, ctx());
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ kind: "bad_reply", code });
    const e = toOpenAIError(err);
    expect({ status: e.status, code: e.code, type: e.type }).toEqual({ status, code, type: "server_error" });
  });
});

describe("/v1/models", () => {
  const c = createModelCatalogue(["gemini-2.5-pro"]);
  it("list", () => {
    expect(toOpenAIModelList(c, 1750000000)).toEqual({
      object: "list",
      data: ["gemini-2.5-pro", "gemini-2.5-pro-search", "gemini-2.5-pro-nothinking", "gemini-2.5-pro-maxthinking"].map(
        (id) => ({ id, object: "model", created: 1750000000, owned_by: "google" }),
      ),
    });
  });
  it("one model", () => {
    expect(toOpenAIModel(c.resolve("gemini-2.5-pro-search")!, 1)).toEqual({
      id: "gemini-2.5-pro-search",
      object: "model",
      created: 1,
      owned_by: "google",
      display_name: "Gemini 2.5 Pro (search)",
      context_length: 1048576,
      max_output_tokens: 65536,
    });
  });
});
