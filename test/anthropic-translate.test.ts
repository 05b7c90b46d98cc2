// Pure translation of the Anthropic surface: model names, request → Gemini (through the shared chat
// translation), blocks and the event writer from scripted Gemini chunks, usage and stop reasons.
import { describe, expect, it } from "vitest";
import { DEFAULT_ANTHROPIC_MODEL_MAP, mapAnthropicModel } from "../src/surfaces/anthropic/models.ts";
import { parseAnthropicRequest } from "../src/surfaces/anthropic/request.ts";
import { toAnthropicMessage, toAnthropicUsage } from "../src/surfaces/anthropic/response.ts";
import { createAnthropicStream } from "../src/surfaces/anthropic/stream.ts";
import { createModelCatalogue } from "../src/gemini/models.ts";
import type { GenerateContentResponse } from "../src/gemini/types.ts";
import { ChatError } from "../src/chat/errors.ts";
import { toGeminiRequest } from "../src/chat/to-gemini.ts";
import { collectBlocks } from "../src/chat/blocks.ts";

const catalogue = createModelCatalogue();
const gemini = (body: Record<string, unknown>, model = "gemini-2.5-flash") =>
  toGeminiRequest(parseAnthropicRequest(body, catalogue.resolve(model)!).chat).request;
const base = { model: "gemini-2.5-flash", max_tokens: 100 };
let n = 0;
const blocks = (signatureBlocks = false) => ({
  toolNames: new Map<string, string>(),
  newToolId: () => `toolu_${++n}`,
  signatureBlocks,
});
const chunk = (
  parts: Record<string, unknown>[],
  finishReason?: string,
  usage?: Record<string, number>,
): GenerateContentResponse => ({
  candidates: [{ content: { role: "model", parts }, ...(finishReason ? { finishReason } : {}), index: 0 }],
  ...(usage ? { usageMetadata: usage } : {}),
});

describe("model names", () => {
  const options = {
    modelMap: {
      ...DEFAULT_ANTHROPIC_MODEL_MAP,
      "claude-opus-4-1": "gemini-3-pro-preview",
      "my-*": "gemini-2.5-flash-lite",
      broken: "gemini-9-ultra",
    },
    defaultModel: "gemini-2.5-pro",
  };
  it.each([
    ["claude-opus-4-1", "gemini-3-pro-preview"],
    ["gemini-2.5-flash", "gemini-2.5-flash"],
    ["gemini-3-flash-preview-nothinking", "gemini-3-flash-preview-nothinking"],
    ["my-alias", "gemini-2.5-flash-lite"],
    ["claude-3-5-haiku-latest", "gemini-2.5-flash"],
    ["claude-sonnet-4-5", "gemini-2.5-pro"],
    ["Claude-Opus-4", "gemini-2.5-pro"],
  ])("%s → %s", (name, id) => {
    expect(mapAnthropicModel(name, options, catalogue).model?.id).toBe(id);
  });
  it("unknown names resolve to nothing; Gemini targets outside the catalogue go to Google unless strict", () => {
    expect(mapAnthropicModel("gpt-4o", options, catalogue)).toEqual({ target: undefined });
    expect(mapAnthropicModel("broken", options, catalogue).model).toMatchObject({
      id: "gemini-9-ultra",
      listed: false,
    });
    const strict = createModelCatalogue(undefined, { strict: true });
    expect(mapAnthropicModel("broken", options, strict)).toEqual({ target: "gemini-9-ultra" });
  });
});

describe("request → Gemini", () => {
  it("a conversation with thinking, tool_use and tool_result", () => {
    const req = gemini({
      ...base,
      system: "sys",
      tools: [
        {
          name: "lookup",
          input_schema: { type: "object", properties: { q: { type: "string", $schema: "x" } }, required: ["q"] },
        },
      ],
      messages: [
        { role: "user", content: "find" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "SIG-1" },
            { type: "text", text: "Looking." },
            { type: "tool_use", id: "toolu_a", name: "lookup", input: { q: "x" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_a", content: [{ type: "text", text: "found it" }] },
            { type: "text", text: "and then?" },
          ],
        },
      ],
    });
    expect(req.systemInstruction).toEqual({ parts: [{ text: "sys" }] });
    expect(req.contents).toEqual([
      { role: "user", parts: [{ text: "find" }] },
      {
        role: "model",
        parts: [
          { text: "Looking." },
          { functionCall: { name: "lookup", args: { q: "x" } }, thoughtSignature: "SIG-1" },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { name: "lookup", response: { output: "found it" } } }, { text: "and then?" }],
      },
    ]);
    expect(req.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "lookup",
            parametersJsonSchema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
          },
        ],
      },
    ]);
  });

  it("a text-only assistant turn keeps its thinking signature on its text", () => {
    const req = gemini({
      ...base,
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "t", signature: "SIG-T" },
            { type: "text", text: "b" },
          ],
        },
        { role: "user", content: "c" },
      ],
    });
    expect(req.contents[1]).toEqual({ role: "model", parts: [{ text: "b", thoughtSignature: "SIG-T" }] });
  });

  it.each([
    [{ type: "auto" }, { functionCallingConfig: { mode: "AUTO" } }],
    [{ type: "none" }, { functionCallingConfig: { mode: "NONE" } }],
    [{ type: "any" }, { functionCallingConfig: { mode: "ANY" } }],
    [{ type: "tool", name: "f" }, { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } }],
  ])("tool_choice %j", (choice, config) => {
    expect(
      gemini({
        ...base,
        tools: [{ name: "f", input_schema: { type: "object" } }],
        tool_choice: choice,
        messages: [{ role: "user", content: "x" }],
      }).toolConfig,
    ).toEqual(config);
  });

  it.each([
    ["gemini-2.5-pro", { type: "enabled", budget_tokens: 100 }, { includeThoughts: true, thinkingBudget: 128 }],
    ["gemini-2.5-flash", { type: "enabled", budget_tokens: 99_999 }, { includeThoughts: true, thinkingBudget: 24_576 }],
    ["gemini-2.5-flash", { type: "disabled" }, { thinkingBudget: 0 }],
    [
      "gemini-3-pro-preview",
      { type: "enabled", budget_tokens: 31_999 },
      { includeThoughts: true, thinkingLevel: "high" },
    ],
    [
      "gemini-3-flash-preview",
      { type: "enabled", budget_tokens: 4000 },
      { includeThoughts: true, thinkingLevel: "medium" },
    ],
    ["gemini-3-pro-preview", { type: "adaptive" }, { includeThoughts: true }],
  ])("thinking on %s: %j", (model, thinking, config) => {
    expect(
      gemini({ ...base, model, thinking, messages: [{ role: "user", content: "x" }] }, model).generationConfig
        ?.thinkingConfig,
    ).toEqual(config);
  });

  it("sampling fields; stop sequences stay with the proxy (it reports which one matched)", () => {
    const body = {
      ...base,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END", ""],
      messages: [{ role: "user", content: "x" }],
    };
    expect(gemini(body).generationConfig).toEqual({ temperature: 0.2, topP: 0.9, topK: 40, maxOutputTokens: 100 });
    expect(parseAnthropicRequest(body, catalogue.resolve("gemini-2.5-flash")!).stopSequences).toEqual(["END"]);
  });

  it("malformed fields throw 400s naming the Anthropic path", () => {
    const e = (() => {
      try {
        parseAnthropicRequest(
          {
            ...base,
            messages: [
              {
                role: "user",
                content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "!!" } }],
              },
            ],
          },
          catalogue.resolve("gemini-2.5-flash")!,
        );
      } catch (error) {
        return error;
      }
    })() as ChatError;
    expect(e).toBeInstanceOf(ChatError);
    expect(e).toMatchObject({ kind: "invalid_request", param: "messages[0].content[0].source.data" });
  });
});

describe("blocks and events", () => {
  it("writes the exact event sequence, assembling streamed call arguments", () => {
    const w = createAnthropicStream({ id: "msg_1", model: "claude-x", blocks: blocks(true) });
    const out = [
      w.opening(),
      w.push(chunk([{ text: "plan", thought: true }], undefined, { promptTokenCount: 10, totalTokenCount: 10 })),
      w.push(chunk([{ text: "Hel" }])),
      w.push(chunk([{ text: "lo" }])),
      w.push(
        chunk([
          {
            functionCall: { name: "f", willContinue: true, partialArgs: [{ jsonPath: "$.a", stringValue: "x" }] },
            thoughtSignature: "S1",
          },
        ]),
      ),
      w.push(chunk([{ functionCall: { partialArgs: [{ jsonPath: "$.a", stringValue: "y" }] } }])),
      w.push(
        chunk([{ text: "" }], "STOP", {
          promptTokenCount: 10,
          candidatesTokenCount: 5,
          thoughtsTokenCount: 3,
          totalTokenCount: 18,
        }),
      ),
      w.finish(),
    ].join("");
    const events = out
      .split("\n\n")
      .filter(Boolean)
      .map((b) => JSON.parse(b.split("\n")[1]!.slice(6)));
    expect(
      events.map((e) => e.type + (e.delta ? `:${e.delta.type}` : e.content_block ? `:${e.content_block.type}` : "")),
    ).toEqual([
      "ping",
      "message_start",
      "ping",
      "content_block_start:thinking",
      "content_block_delta:thinking_delta",
      "content_block_stop",
      "content_block_start:text",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start:thinking",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start:tool_use",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta:undefined",
      "message_stop",
    ]);
    expect(events[1].message.usage).toEqual({
      input_tokens: 10,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(events.find((e) => e.delta?.type === "input_json_delta").delta.partial_json).toBe('{"a":"xy"}');
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(w.signatures()).toEqual([[expect.stringMatching(/^toolu_/), "S1"]]);
  });

  it("a signature on the text after thoughts signs the thinking block", () => {
    const s = collectBlocks(
      chunk(
        [
          { text: "why", thought: true },
          { text: "answer", thoughtSignature: "S2" },
        ],
        "STOP",
      ),
      blocks(),
    );
    expect(s.blocks).toEqual([
      { kind: "thinking", text: "why", signature: "S2" },
      { kind: "text", text: "answer" },
    ]);
  });

  it("without signature blocks a signed call keeps its signature for the store only", () => {
    const s = collectBlocks(
      chunk([{ functionCall: { name: "f", args: {} }, thoughtSignature: "S3" }], "STOP"),
      blocks(false),
    );
    expect(s.blocks.map((b) => b.kind)).toEqual(["tool"]);
    expect(s.signatures).toEqual([[expect.any(String), "S3"]]);
  });

  it.each([
    ["MAX_TOKENS", "max_tokens"],
    ["SAFETY", "refusal"],
    ["STOP", "end_turn"],
  ])("finish %s → stop_reason %s", (finish, stop) => {
    expect(
      toAnthropicMessage(collectBlocks(chunk([{ text: "x" }], finish), blocks()), { id: "m", model: "c" }).stop_reason,
    ).toBe(stop);
  });

  it("malformed calls and unfinished streams are errors, not answers", () => {
    expect(() => collectBlocks(chunk([], "MALFORMED_FUNCTION_CALL"), blocks())).toThrow(ChatError);
    const w = createAnthropicStream({ id: "m", model: "c", blocks: blocks() });
    w.push(chunk([{ text: "partial" }]));
    expect(() => w.finish()).toThrow(/without a finish reason/);
    expect(() => collectBlocks({ candidates: [] }, blocks())).toThrow(/no candidates/);
  });

  it("usage: cache reads apart from input, thoughts in output", () => {
    expect(
      toAnthropicUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 60,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 5,
        totalTokenCount: 112,
      }),
    ).toEqual({ input_tokens: 40, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 60 });
  });
});
